import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, openAndScan, TEST_RATE, valueOf, type TestApp } from './test-helpers';

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(async () => {
  await app.close();
});

const table = (name: string, text: string | Buffer) => ({ name, base64: Buffer.from(text).toString('base64') });

describe('exchange calls', () => {
  it('imports tables the page read (UTF-16 too), tells the views, undoes as one step, and exports them', async () => {
    const ids = await openAndScan(app);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('file\tstart\tend\tlabel\nb.wav\t0.1\t0.2\tclick\n', 'utf16le')]);
    const report = valueOf(await app.call('exchange:import', [
      table('a.Table.1.selections.txt', 'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\n1\tSpectrogram 1\t1\t0.5\t1.0\t1000\t3000\n2\tSpectrogram 1\t1\tx\t1\t1\t2\n'),
      table('excel.txt', utf16),
    ], {}));
    expect(report).toMatchObject({ imported: 2, rejected: 1, issues: [{ file: 'a.Table.1.selections.txt', line: 3, reason: expect.stringMatching(/not a number/) }] });
    expect(app.events.filter((e) => e.event === 'recording:changed').map((e) => (e.payload as { recordingId: number }).recordingId).sort())
      .toEqual([ids['a.wav'], ids['b.wav']].sort());
    const [box] = valueOf(await app.call('labels:list', ids['a.wav']));
    expect(box).toMatchObject({ startSample: 0.5 * TEST_RATE, lowHz: 1000, highHz: 3000, source: 'imported', sourceTable: 'a.Table.1.selections.txt' });

    const exported = valueOf(await app.call('exchange:export', { format: 'raven', outDir: 'exports/raven' }));
    expect(exported).toMatchObject({ files: ['a.Table.1.selections.txt', 'b.Table.1.selections.txt'], labels: 2 });
    expect(readFileSync(path.join(app.projectDir, 'exports', 'raven', 'a.Table.1.selections.txt'), 'utf8')).toMatch(/^Selection\tView\tChannel\tBegin Time \(s\)/);
    // Exporting again replaces its own files.
    expect(valueOf(await app.call('exchange:export', { format: 'raven', outDir: 'exports/raven' })).files).toHaveLength(2);

    valueOf(await app.call('history:undo'));
    expect(valueOf(await app.call('labels:list', ids['a.wav']))).toEqual([]);
    expect(valueOf(await app.call('labels:list', ids['b.wav']))).toEqual([]);
  });

  it("never overwrites a researcher's own file: the export stops before writing anything", async () => {
    const ids = await openAndScan(app);
    valueOf(await app.call('labels:create', { recordingId: ids['a.wav'], startSample: 0, endSample: 100, value: 'sound' }));
    valueOf(await app.call('labels:create', { recordingId: ids['b.wav'], startSample: 0, endSample: 100, value: 'sound' }));
    const own = path.join(app.projectDir, 'b.txt');
    writeFileSync(own, '1\t2\tmy own labels\n');
    const refused = await app.call('exchange:export', { format: 'audacity', outDir: app.projectDir });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/Export stopped, nothing was written: b\.txt already exists/) } });
    expect(readFileSync(own, 'utf8')).toBe('1\t2\tmy own labels\n');
    expect(existsSync(path.join(app.projectDir, 'a.txt'))).toBe(false);
  });

  it('imports a table staged chunk by chunk, then forgets it', async () => {
    const ids = await openAndScan(app);
    const text = `${Array.from({ length: 400 }, (_, i) => `${(i * 0.002).toFixed(3)}\t${(i * 0.002 + 0.001).toFixed(3)}\tcall`).join('\n')}\n`;
    const bytes = Buffer.from(text);
    let uploadId: string | undefined;
    for (let at = 0; at < bytes.length; at += 1000) {
      const chunk = bytes.subarray(at, at + 1000).toString('base64');
      const staged = valueOf(await app.call('exchange:stageTable', uploadId === undefined ? { base64: chunk } : { uploadId, base64: chunk }));
      expect(staged.bytes).toBe(Math.min(at + 1000, bytes.length));
      uploadId = staged.uploadId;
    }
    const report = valueOf(await app.call('exchange:import', [{ name: 'b.txt', uploadId: uploadId! }], {}));
    expect(report).toMatchObject({ imported: 400, rejected: 0, recordingIds: [ids['b.wav']] });
    expect(valueOf(await app.call('labels:list', ids['b.wav']))).toHaveLength(400);
    // Imported once: the staged bytes are gone.
    expect(await app.call('exchange:import', [{ name: 'b.txt', uploadId: uploadId! }], {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await app.call('exchange:stageTable', { uploadId: uploadId!, base64: 'eA==' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses malformed requests before any handler runs', async () => {
    await openAndScan(app);
    for (const args of [[[], {}], [[{ name: 'x' }], {}], [[table('x', 'y')], { as: 'truth' }], [[table('x', 'y')]]] as unknown[][]) {
      expect((await app.callRaw('exchange:import', args)).ok, JSON.stringify(args)).toBe(false);
    }
    expect((await app.callRaw('exchange:export', [{ format: 'xls', outDir: 'o' }])).ok).toBe(false);
  });
});
