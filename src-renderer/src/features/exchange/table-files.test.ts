import { describe, expect, it } from 'vitest';
import { isTableFile, readTables } from './table-files';

describe('table files from the picker or a drop', () => {
  it('recognises annotation tables by name', () => {
    expect(['a.Table.1.selections.txt', 'events.csv', 'x.TSV', 'labels.txt'].every((n) => isTableFile({ name: n }))).toBe(true);
    expect(['song.wav', 'notes.docx', 'folder'].some((n) => isTableFile({ name: n }))).toBe(false);
  });

  it('sends the bytes unchanged (base64), so UTF-16 tables reach the engine intact', async () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Array.from({ length: 70_000 }, (_, i) => i % 251)]);
    const [table] = await readTables([new File([bytes], 'excel.txt')]);
    expect(table.name).toBe('excel.txt');
    expect(Uint8Array.from(atob(table.base64), (c) => c.charCodeAt(0))).toEqual(bytes);
  });

  it('refuses a table too big for the app with a readable message', async () => {
    const huge = new File(['x'], 'survey.txt');
    Object.defineProperty(huge, 'size', { value: 40 * 2 ** 20 });
    await expect(readTables([huge])).rejects.toThrow(/survey\.txt is 40 MB, more than the app takes \(32 MB\): import it with `npx sonotype import survey\.txt`/);
  });
});
