/**
 * Truth tables for `sonotype eval` and the detection bench, read by the
 * exchange importer: the formats the former truth reader took, what the
 * importer adds (multi-file Raven, decimal commas, encodings), and the
 * all-or-nothing error report.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SonotypeError } from '../../../src-shared/errors';
import { planColumns } from './column-roles';
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
    expect(() => parseTruthTable('start,end\n1,2\n3,abc\n', 't.csv')).toThrow(/t\.csv, line 3: the end "abc" is not a number/);
    expect(() => parseTruthTable('0.5\t0.2\tx\n', 'l.txt')).toThrow(/line 1: the event ends \(0.2 s\) before it starts/);
    expect(() => parseTruthTable('start,end\n-1,2\n')).toThrow(/line 2: the start -1 s is negative/);
    expect(() => parseTruthTable(RAVEN.replace('\t3\t3.75', '\t3\t')), 'Raven').toThrow(/line 4/);
  });

  it('explains unknown formats and empty tables', () => {
    expect(() => parseTruthTable('foo,bar\n1,2\n', 'x.csv')).toThrow(/x\.csv, line 1: no start column .*foo, bar/);
    expect(() => parseTruthTable('hello world\n', 'h.txt')).toThrow(/h\.txt: not a recognised annotation table.*Raven.*Audacity.*CSV/);
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

describe('parseTruthTable reads what the importer reads', () => {
  it('takes a multi-file Raven table: view rows merged, times in each file from File Offset', () => {
    const text = [
      'Selection\tView\tChannel\tBegin File\tFile Offset (s)\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tSound Type',
      '1\tWaveform 1\t1\tone.wav\t2\t2\t4\t0\t8000\tw',
      '1\tSpectrogram 1\t1\tone.wav\t2\t2\t4\t500\t3000\tw',
      '2\tSpectrogram 1\t1\ttwo.wav\t5\t16\t18\t500\t3000\tb',
    ].join('\n');
    const t = parseTruthTable(text, 'seq.selections.txt');
    expect(t.format).toBe('raven');
    // Begin Time 16 s is on the clock of the file sequence; in two.wav the selection starts 5 s in.
    expect(t.events).toEqual([
      { recording: 'one.wav', startSeconds: 2, endSeconds: 4, label: 'w' },
      { recording: 'two.wav', startSeconds: 5, endSeconds: 7, label: 'b' },
    ]);
  });

  it('takes Audacity tracks with decimal commas and -1 frequency bounds', () => {
    const t = parseTruthTable('0,5\t1,25\tSP\n\\\t-1\t9000,5\n2\t2,5\tCRER\n', 'komma.txt');
    expect(t).toEqual({ format: 'audacity', events: [
      { startSeconds: 0.5, endSeconds: 1.25, label: 'SP' },
      { startSeconds: 2, endSeconds: 2.5, label: 'CRER' },
    ] });
  });

  it('takes semicolon tables with decimal commas, Excel UTF-16 and Windows-1252 bytes', () => {
    expect(parseTruthTable('file;onset_s;offset_s;label\nä.wav;0,25;0,5;i\n', 'eu.csv').events).toEqual([
      { recording: 'ä.wav', startSeconds: 0.25, endSeconds: 0.5, label: 'i' },
    ]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('file\tstart\tend\r\nx.wav\t1\t2\r\n', 'utf16le')]);
    expect(parseTruthTable(utf16, 'excel.txt').events).toEqual([{ recording: 'x.wav', startSeconds: 1, endSeconds: 2 }]);
    const latin1 = Buffer.from('file,start,end,label\nx.wav,1,2,Gr\xfcnspecht\n', 'latin1');
    expect(parseTruthTable(latin1, 'w.csv').events[0].label).toBe('Grünspecht');
  });

  it('lists every bad row at once, each as "file, line N: reason"', () => {
    const text = 'file,start,end\na.wav,1,2\na.wav,x,3\na.wav,5,4\n"b.wav",1\n';
    let message = '';
    try {
      parseTruthTable(text, 'bad.csv');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'bad.csv, line 3: the start "x" is not a number of seconds.',
      'bad.csv, line 4: the event ends (4 s) before it starts (5 s).',
      'bad.csv, line 5: the end time is empty.',
    ]);
  });

  it('refuses sample positions (they need the recording\'s rate) and points to import --as reference', () => {
    const java = 'offset,annotation,source_file,source_start,source_stop\n0,1,a.wav,100,900\n';
    expect(() => parseTruthTable(java, 'java.csv')).toThrow(/java\.csv, line 2: .*sample positions.*sonotype import --as reference/);
  });

  it('accepts zero-length events as before (an onset marked by a point)', () => {
    expect(parseTruthTable('start,end\n1.5,1.5\n').events).toEqual([{ startSeconds: 1.5, endSeconds: 1.5 }]);
  });

  it('still recognises every time column name the former truth reader took, with any unit spelling', () => {
    // The former reader's names (before it was folded into the importer), compared after removing "(s)", "(sec)", "(seconds)".
    const formerStart = ['start', 'starts', 'start time', 'start times', 'begin', 'begins', 'begin time', 'begin times', 'onset', 'onsets', 't_start'];
    const formerEnd = ['end', 'ends', 'end time', 'end times', 'stop', 'stops', 'stop time', 'stop times', 'offset', 'offsets', 't_end'];
    for (const unit of ['', ' (s)', ' (sec)', ' (seconds)', '_s', '.sec']) {
      for (const [names, role] of [[formerStart, 'start'], [formerEnd, 'end']] as const) {
        for (const name of names) {
          const header = `${name}${unit}`;
          expect(planColumns([header], 'csv').plans[0].role, header).toBe(role);
        }
      }
    }
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

  it('refuses a table without times (the orca clip labels) with a clear message', async () => {
    await expect(readTruthTable(path.join(dir, 'orca_srkw_calltype_labels_dev.csv'))).rejects.toThrow(
      /orca_srkw_calltype_labels_dev\.csv, line 2: the row labels its whole recording \(no start and end times\)/,
    );
  });
});
