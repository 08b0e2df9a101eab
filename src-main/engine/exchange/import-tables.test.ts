import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SonotypeError } from '../../../src-shared/errors';
import { canUndo, redoEdit, undoLastEdit } from '../store/label-history';
import { listLabels } from '../store/labels';
import { effectiveLabels } from '../store/machine-labels';
import { upsertScannedRecording } from '../store/recordings';
import { createTempProject, scannedWav, type TempProject } from '../store/test-helpers';
import { importAnnotationTables, type ImportOptions } from './import-tables';

let project: TempProject;
const ids: Record<string, number> = {};
const RATE = 48_000;
const FRAMES = 480_000; // 10 s

beforeEach(() => {
  project = createTempProject('sonotype-import-');
  for (const p of ['a.wav', 'site1/b.wav', 'site2/b.wav', 'deep/dir/c.flac']) {
    ids[p] = upsertScannedRecording(project.db, scannedWav(p, { info: { sampleRate: RATE, channels: 1, frames: FRAMES, durationSeconds: 10, codec: 'pcm_s16le', container: 'wav', bitsPerSample: 16 } })).id;
  }
});
afterEach(() => project.cleanup());

const AUDIO_ROOT = '/data/project-audio';
const run = (tables: [name: string, text: string][], options: ImportOptions = {}) =>
  importAnnotationTables(project.db, AUDIO_ROOT, tables.map(([name, text]) => ({ name, bytes: Buffer.from(text) })), options);
const labelsOf = (path: string) => listLabels(project.db, ids[path]);

describe('importing tables', () => {
  it('is one undo step; re-importing adds nothing; after an undo the same table imports again', () => {
    const table: [string, string] = ['a.txt', '0.5\t1.5\twhistle\n\\\t5000\t12000\n2\t3\tsilence\n4\t5\t\n'];
    const first = run([table], { author: 'ana' });
    expect(first).toMatchObject({ imported: 3, duplicates: 0, rejected: 0, recordingIds: [ids['a.wav']] });
    expect(labelsOf('a.wav').map((l) => [l.startSample, l.endSample, l.value, l.soundType, l.lowHz, l.highHz, l.source, l.sourceTable, l.author])).toEqual([
      [24_000, 72_000, 'sound', 'whistle', 5000, 12000, 'imported', 'a.txt', 'ana'],
      [96_000, 144_000, 'silence', null, null, null, 'imported', 'a.txt', 'ana'],
      [192_000, 240_000, 'sound', null, null, null, 'imported', 'a.txt', 'ana'],
    ]);
    expect(run([table])).toMatchObject({ imported: 0, duplicates: 3 });
    expect(labelsOf('a.wav')).toHaveLength(3);
    undoLastEdit(project.db);
    expect(labelsOf('a.wav')).toHaveLength(0);
    expect(canUndo(project.db)).toBe(false);
    redoEdit(project.db);
    expect(labelsOf('a.wav')).toHaveLength(3);
    undoLastEdit(project.db);
    expect(run([table]).imported).toBe(3);
  });

  it('writes nothing when the transaction fails part way', () => {
    project.db.sql.exec(`CREATE TRIGGER refuse_third AFTER INSERT ON labels WHEN (SELECT count(*) FROM labels) >= 3
                         BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;`);
    expect(() => run([['a.txt', '1\t2\tx\n3\t4\ty\n5\t6\tz\n7\t8\tw\n']])).toThrow(/disk full/);
    expect(listLabels(project.db, ids['a.wav'], { includeDeleted: true })).toEqual([]);
    expect(canUndo(project.db)).toBe(false);
  });

  it('a cancel seen at any check, the last one inside the write included, leaves nothing behind', () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `${i * 0.005}\t${i * 0.005 + 0.004}\tx`).join('\n');
    const tables = [{ name: 'a.txt', bytes: Buffer.from(rows) }];
    let checks = 0;
    importAnnotationTables(project.db, AUDIO_ROOT, tables, {}, { checkCancelled: () => void checks++ });
    expect(checks).toBe(5); // before the table, at rows 500 and 1000, before the write, inside it before COMMIT
    undoLastEdit(project.db);
    for (let stopAt = 1; stopAt <= checks; stopAt++) {
      let n = 0;
      const cancelled = new SonotypeError('CANCELLED', 'The job was cancelled.');
      const hooks = { checkCancelled: () => { if (++n === stopAt) throw cancelled; } };
      expect(() => importAnnotationTables(project.db, AUDIO_ROOT, tables, {}, hooks)).toThrow(cancelled);
      expect(labelsOf('a.wav')).toEqual([]);
      expect(canUndo(project.db)).toBe(false);
    }
  });

  it('reports bad rows with file, line and reason, and imports the good ones', () => {
    const report = run([['a.Table.1.selections.txt', [
      'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tConfidence\tSound Type',
      '1\tSpectrogram 1\t1\t1\t2\t100\t900\t0.5\tok',
      '2\tSpectrogram 1\t1\t9.5\t10.0005\t100\t900\t\tclipped-at-end',
      '3\tSpectrogram 1\t1\t9.5\t10.5\t100\t900\t\tpast-end',
      '4\tSpectrogram 1\t1\t11\t12\t100\t900\t\tafter-end',
      '5\tSpectrogram 1\t1\t3\t3\t100\t900\t\tpoint',
      '6\tSpectrogram 1\t1\t4\t3\t100\t900\t\treversed',
      '7\tSpectrogram 1\t1\t1\t2\t100\t30000\t\tabove-nyquist',
      '8\tSpectrogram 1\t1\t1\t2\t900\t100\t\tlow-above-high',
      '9\tSpectrogram 1\t1\t1\t2\t100\t900\t7\tconfidence',
      `10\tSpectrogram 1\t1\t5\t6\t0\t24000\t\t${'t'.repeat(101)}`,
      '11\tSpectrogram 1\t1\t5\t6\t0\t24000\t\tfull-band',
    ].join('\n')]]);
    expect(report.issues.map((i) => [i.file, i.line, i.reason])).toEqual([
      ['a.Table.1.selections.txt', 10, 'the confidence 7 is not between 0 and 1.'],
      ['a.Table.1.selections.txt', 4, 'it ends at 10.5 s, after the end of a.wav (10 s).'],
      ['a.Table.1.selections.txt', 5, 'it starts at 11 s, after the end of a.wav (10 s).'],
      ['a.Table.1.selections.txt', 6, 'it is a point (start = end); Sonotype labels cover a time range.'],
      ['a.Table.1.selections.txt', 7, 'it ends (3 s) before it starts (4 s).'],
      ['a.Table.1.selections.txt', 8, 'its frequency box reaches 30000 Hz, above the Nyquist frequency of this 48000 Hz recording (24000 Hz).'],
      ['a.Table.1.selections.txt', 9, 'the low frequency 900 Hz is not below the high frequency 100 Hz.'],
      ['a.Table.1.selections.txt', 11, 'A sound type must be non-empty text of at most 100 characters.'],
    ]);
    expect(report).toMatchObject({ imported: 3, rejected: 8 });
    expect(labelsOf('a.wav').map((l) => [l.soundType, l.startSample, l.endSample, l.lowHz, l.confidence])).toEqual([
      ['ok', 48_000, 96_000, 100, 0.5],
      ['full-band', 240_000, 288_000, null, null], // 0 … Nyquist in a Raven table is a time-only label
      ['clipped-at-end', 456_000, FRAMES, 100, null],
    ]);
  });

  it('matches rows by path, by absolute path from another machine, by file name; ambiguous names are bad rows', () => {
    const report = run([['mixed.csv', [
      'file,start,end',
      'site1/b.wav,0,1',
      `${AUDIO_ROOT}/site2/b.wav,0,1`,
      '/home/someone/2011/deep/dir/c.flac,0,1',
      'C:\\Users\\x\\a.wav,0,1',
      'c,2,3',
      'b.wav,2,3',
      'nowhere.wav,0,1',
    ].join('\n')]]);
    expect(report.imported).toBe(5);
    expect([labelsOf('site1/b.wav'), labelsOf('site2/b.wav'), labelsOf('deep/dir/c.flac'), labelsOf('a.wav')].map((l) => l.length)).toEqual([1, 1, 2, 1]);
    expect(report.issues.map((i) => [i.line, i.reason])).toEqual([
      [7, '"b.wav" matches 2 recordings (site1/b.wav, site2/b.wav); give its path under the audio root or use --recording.'],
      [8, 'no recording of this project matches "nowhere.wav".'],
    ]);
  });

  it('matches a table without a file column by its own name, or by --recording', () => {
    const track = '1\t2\tx\n';
    expect(run([['c.Table.1.selections.txt', 'Begin Time (s)\tEnd Time (s)\n1\t2\n']]).recordingIds).toEqual([ids['deep/dir/c.flac']]);
    expect(run([['c.flac.txt', track]]).recordingIds).toEqual([ids['deep/dir/c.flac']]);
    expect(run([['a.audacity_labels.txt', track]]).recordingIds).toEqual([ids['a.wav']]);
    const ambiguous = run([['b.txt', track]]);
    expect(ambiguous.issues[0].reason).toMatch(/the table's name matches 2 recordings/);
    expect(run([['b.txt', track]], { recording: 'site2/b.wav' }).recordingIds).toEqual([ids['site2/b.wav']]);
    expect(run([['unrelated.txt', track]]).issues[0]).toMatchObject({ line: 1, reason: expect.stringMatching(/cannot tell which recording/) });
    expect(() => run([['b.txt', track]], { recording: 'missing.wav' })).toThrow(SonotypeError);
  });

  it('--as reference stores truth for evaluation: flagged, listed, and it trains nothing', () => {
    const report = run([['a.txt', '1\t2\tsilence\n3\t4\twhistle\n']], { as: 'reference' });
    expect(report.imported).toBe(2);
    expect(labelsOf('a.wav').every((l) => l.reference)).toBe(true);
    expect(effectiveLabels(project.db, ids['a.wav'])).toEqual([]);
    // The same table as human labels is not a duplicate of the reference.
    expect(run([['a.txt', '1\t2\tsilence\n3\t4\twhistle\n']]).imported).toBe(2);
    expect(effectiveLabels(project.db, ids['a.wav']).map((l) => l.source)).toEqual(['human', 'human']);
  });

  it('labels whole recordings from a clip-level table and reads the Java labeller’s sample positions', () => {
    run([['clips.csv', 'file,call_type\na.wav,S01\n']]);
    expect(labelsOf('a.wav').map((l) => [l.startSample, l.endSample, l.soundType])).toEqual([[0, FRAMES, 'S01']]);
    const java = run([['2024.csv', 'offset, annotation, source_file, source_start, source_stop\n0,WSTL_UP,/old/disk/c.flac,44100,49612\n5512,NOISE,/old/disk/c.flac,88200,5512\n']]);
    expect(labelsOf('deep/dir/c.flac').map((l) => [l.startSample, l.endSample, l.soundType, l.extras])).toEqual([[44_100, 49_612, 'WSTL_UP', [['offset', '0']]]]);
    // The labeller's NOISE key wrote the window width as the stop: a bad row, explained.
    expect(java.issues).toEqual([{ file: '2024.csv', line: 3, reason: 'it ends (sample 5512) before it starts (sample 88200).' }]);
  });
});
