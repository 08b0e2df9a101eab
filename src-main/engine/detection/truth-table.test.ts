import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SonotypeError } from '../../../src-shared/errors';
import { eventsForRecording, parseTruthTable, readTruthTable } from './truth-table';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = path.resolve(repoRoot, '../shared/data/recordings');
const haveData = existsSync(dir);
if (!haveData) console.warn(`Skipping annotation-table tests on real files: ${dir} is absent.`);

const RAVEN = [
  'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin Path\tAnnotation',
  '1\tWaveform 1\t1\t0.512\t1.250\t2000\t9000\tC:\\data\\site A\\rec1.wav\twhistle',
  '1\tSpectrogram 1\t1\t0.512\t1.250\t2000\t9000\tC:\\data\\site A\\rec1.wav\twhistle',
  '2\tSpectrogram 1\t1\t3\t3.75\t1500\t4000\tC:\\data\\site A\\rec2.wav\t',
].join('\r\n');

describe('parseTruthTable (inline samples)', () => {
  it('reads a Raven selection table, one event per selection despite several views', () => {
    const t = parseTruthTable(RAVEN, 'sel.txt');
    expect(t.format).toBe('raven');
    expect(t.events).toEqual([
      { startSeconds: 0.512, endSeconds: 1.25, recording: 'C:\\data\\site A\\rec1.wav', label: 'whistle' },
      { startSeconds: 3, endSeconds: 3.75, recording: 'C:\\data\\site A\\rec2.wav' },
    ]);
    expect(eventsForRecording(t.events, 'rec2.wav')).toHaveLength(1);
  });

  it('reads Raven tables with a Begin File column and no view duplicates', () => {
    const text = 'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tBegin File\tSpecies\n7\tSpectrogram 1\t1\t1.5\t2\tx.wav\tTutu\n';
    expect(parseTruthTable(text).events).toEqual([{ startSeconds: 1.5, endSeconds: 2, recording: 'x.wav', label: 'Tutu' }]);
  });

  it('reads Audacity labels, skipping frequency lines', () => {
    const t = parseTruthTable('0.5\t1.25\tSP\n\\\t6441.06\t12296.5\n2\t2.5\n\n3.5\t4\tcall with spaces\n', 'labels.txt');
    expect(t.format).toBe('audacity');
    expect(t.events).toEqual([
      { startSeconds: 0.5, endSeconds: 1.25, label: 'SP' },
      { startSeconds: 2, endSeconds: 2.5 },
      { startSeconds: 3.5, endSeconds: 4, label: 'call with spaces' },
    ]);
  });

  it('reads CSV with various header names, quoted fields and a file column', () => {
    const t = parseTruthTable('sound.files,selec,Start,End,label\n"a, b.wav",1,0.25,0.5,"say ""hi"""\nc.wav,2,1,2,\n');
    expect(t.format).toBe('csv');
    expect(t.events).toEqual([
      { startSeconds: 0.25, endSeconds: 0.5, recording: 'a, b.wav', label: 'say "hi"' },
      { startSeconds: 1, endSeconds: 2, recording: 'c.wav' },
    ]);
    expect(parseTruthTable('begin_time;stop\n1;2\n').events).toEqual([{ startSeconds: 1, endSeconds: 2 }]);
    expect(parseTruthTable('\uFEFFrecording,start_s,end_s\nx.wav,0,1\n').events[0].recording).toBe('x.wav');
  });

  it('names the line of a bad row', () => {
    expect(() => parseTruthTable('start,end\n1,2\n3,abc\n', 't.csv')).toThrow(/t\.csv, line 3: end "abc" is not a number/);
    expect(() => parseTruthTable('0.5\t0.2\tx\n', 'l.txt')).toThrow(/line 1: the event ends \(0.2 s\) before it starts/);
    expect(() => parseTruthTable('start,end\n-1,2\n')).toThrow(/line 2: start -1 s is negative/);
    expect(() => parseTruthTable(RAVEN.replace('\t3\t3.75', '\t3\t')), 'Raven').toThrow(/line 4/);
  });

  it('explains unknown formats and empty tables', () => {
    expect(() => parseTruthTable('foo,bar\n1,2\n', 'x.csv')).toThrow(/not a recognised annotation table.*Raven.*Audacity.*CSV/);
    expect(() => parseTruthTable('hello world\n')).toThrow(SonotypeError);
    expect(() => parseTruthTable('\n\n', 'e.txt')).toThrow(/e\.txt: the table is empty/);
  });

  it('reports a missing file as NOT_FOUND', async () => {
    const missing = path.join(mkdtempSync(path.join(tmpdir(), 'truth-')), 'nope.txt');
    await expect(readTruthTable(missing)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    writeFileSync(missing, RAVEN);
    expect(await readTruthTable(missing)).toHaveLength(2);
  });
});

describe.skipIf(!haveData)('readTruthTable on the real annotation files', () => {
  it('reads the Audacity spinetail labels (18 ROIs, SP/CRER, frequency lines skipped)', async () => {
    const file = path.join(dir, 'birds_spinetail_maad.audacity_labels.txt');
    const events = await readTruthTable(file);
    expect(events).toHaveLength(18);
    expect(new Set(events.map((e) => e.label))).toEqual(new Set(['SP', 'CRER']));
    // Independent check: the label lines are the ones not starting with a backslash.
    const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('\\'));
    expect(events.map((e) => e.startSeconds)).toEqual(lines.map((l) => Number(l.split('\t')[0])));
    for (const e of events) expect(e.endSeconds).toBeGreaterThan(e.startSeconds);
  });

  it('reads the hummingbird CSV reference (6 songs over 2 files)', async () => {
    const events = await readTruthTable(path.join(dir, 'hummingbird_Phae_long_reference_dev.csv'));
    expect(events).toHaveLength(6);
    expect(eventsForRecording(events, 'hummingbird_Phae_long1.wav', false)).toHaveLength(3);
    expect(eventsForRecording(events, '/any/folder/hummingbird_Phae_long2.wav', false)).toHaveLength(3);
    expect(events[0]).toEqual({ recording: 'hummingbird_Phae_long1.wav', startSeconds: 0.341644, endSeconds: 0.538337937 });
  });

  it('rejects a table without times (the orca clip labels) with a clear message', async () => {
    await expect(readTruthTable(path.join(dir, 'orca_srkw_calltype_labels_dev.csv'))).rejects.toThrow(/not a recognised annotation table/);
  });
});
