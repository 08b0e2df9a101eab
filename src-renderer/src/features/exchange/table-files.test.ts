import { describe, expect, it } from 'vitest';
import { MAX_TABLE_CHUNK_BYTES, type TableChunk } from '../../../../src-shared/exchange-types';
import { isTableFile, readTables } from './table-files';

const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const noStaging = () => Promise.reject(new Error('nothing should be staged'));

describe('table files from the picker or a drop', () => {
  it('recognises annotation tables by name', () => {
    expect(['a.Table.1.selections.txt', 'events.csv', 'x.TSV', 'labels.txt'].every((n) => isTableFile({ name: n }))).toBe(true);
    expect(['song.wav', 'notes.docx', 'folder'].some((n) => isTableFile({ name: n }))).toBe(false);
  });

  it('sends the bytes unchanged (base64), so UTF-16 tables reach the engine intact', async () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Array.from({ length: 70_000 }, (_, i) => i % 251)]);
    const [table] = await readTables([new File([bytes], 'excel.txt')], noStaging);
    expect(table).toMatchObject({ name: 'excel.txt' });
    expect(fromBase64((table as { base64: string }).base64)).toEqual(bytes);
  });

  it('stages a table bigger than one call in chunks, in order, and names it by its upload id', async () => {
    const bytes = Uint8Array.from({ length: 2 * MAX_TABLE_CHUNK_BYTES + 1234 }, (_, i) => (i * 7) % 256);
    const chunks: TableChunk[] = [];
    const [table] = await readTables([new File([bytes], 'survey.txt')], async (chunk) => {
      chunks.push(chunk);
      return { uploadId: '00000000-0000-0000-0000-000000000001' };
    });
    expect(table).toEqual({ name: 'survey.txt', uploadId: '00000000-0000-0000-0000-000000000001' });
    expect(chunks.map((c) => c.uploadId)).toEqual([undefined, '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001']);
    const parts = chunks.map((c) => fromBase64(c.base64));
    expect(parts.map((p) => p.length)).toEqual([MAX_TABLE_CHUNK_BYTES, MAX_TABLE_CHUNK_BYTES, 1234]);
    const joined = new Uint8Array(bytes.length);
    parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
    expect(Buffer.from(joined).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses tables too big for the app together with a readable message', async () => {
    const huge = new File(['x'], 'survey.txt');
    Object.defineProperty(huge, 'size', { value: 70 * 2 ** 20 });
    await expect(readTables([huge], noStaging)).rejects.toThrow(/survey\.txt is 70 MB, more than the app imports at once \(64 MB\): import with `npx sonotype import survey\.txt`/);
    const [a, b] = ['a.txt', 'b.txt'].map((n) => new File(['x'], n));
    for (const f of [a, b]) Object.defineProperty(f, 'size', { value: 40 * 2 ** 20 });
    await expect(readTables([a, b], noStaging)).rejects.toThrow(/These 2 tables are 80 MB.*`npx sonotype import a\.txt b\.txt`/);
  });
});
