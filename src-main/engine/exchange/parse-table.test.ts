import { describe, expect, it } from 'vitest';
import { parseAnnotationTable } from './parse-table';
import type { ParsedTable } from './table-types';

const parse = (text: string | Uint8Array, name = 't.txt', format: Parameters<typeof parseAnnotationTable>[2] = 'auto'): ParsedTable =>
  parseAnnotationTable(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, name, format);

/** UTF-16 LE with BOM: what Excel's "Unicode text" export writes. */
function utf16le(text: string, bom = true): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

describe('Raven selection tables', () => {
  const header = 'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)';

  it('reads one row per selection (Waveform + Spectrogram rows are one), keeps unknown columns, maps Annotation', () => {
    // Rows as Raven Pro writes them (QutEcoacoustics/baw-server, spec/requests/audio_event_imports_spec.rb).
    const table = parse([
      `${header}\tDelta Time (s)\tDelta Freq (Hz)\tAvg Power Density (dB FS/Hz)\tAnnotation`,
      '1\tWaveform 1\t1\t6.709509878\t15.096397225\t1739.012\t3798.813\t8.3869\t2059.801\t\tBirb',
      '1\tSpectrogram 1\t1\t6.709509878\t15.096397225\t1739.012\t3798.813\t8.3869\t2059.801\t-75.87\tBirb',
      '2\tWaveform 1\t1\t29.383026016\t40.257059266\t1587.060\t4136.485\t10.8740\t2549.426\t\tdonkey',
      '2\tSpectrogram 1\t1\t29.383026016\t40.257059266\t1587.060\t4136.485\t10.8740\t2549.426\t-75.64\tdonkey',
    ].join('\n'), 'rec.Table.1.selections.txt');
    expect(table.format).toBe('raven');
    expect(table.issues).toEqual([]);
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0]).toMatchObject({ line: 3, startSeconds: 6.709509878, endSeconds: 15.096397225, lowHz: 1739.012, highHz: 3798.813, annotation: 'Birb' });
    // The Spectrogram view's measurements are the ones kept.
    expect(table.rows[1].extras).toEqual([['Channel', '1'], ['Delta Time (s)', '10.8740'], ['Delta Freq (Hz)', '2549.426'], ['Avg Power Density (dB FS/Hz)', '-75.64']]);
  });

  it('reads multi-file tables: Begin File names the recording and File Offset (s) is the time in it', () => {
    const table = parse([
      `${header}\tBegin Path\tBegin File\tFile Offset (s)\tSpecies`,
      '1\tSpectrogram 1\t1\t58.5\t59.25\t1000\t4000\tD:\\site\\a.wav\ta.wav\t58.5\tWOTH',
      '2\tSpectrogram 1\t1\t61.0\t62.5\t1200\t3000\tD:\\site\\b.wav\tb.wav\t1.0\tEATO',
    ].join('\r\n'));
    expect(table.issues).toEqual([]);
    expect(table.rows.map((r) => [r.recordingRefs, r.startSeconds, r.endSeconds, r.extras])).toEqual([
      [['D:\\site\\a.wav', 'a.wav'], 58.5, 59.25, [['Channel', '1'], ['Species', 'WOTH']]],
      [['D:\\site\\b.wav', 'b.wav'], 1, 2.5, [['Channel', '1'], ['Species', 'EATO']]],
    ]);
  });

  it('explains bad rows by line and keeps the good ones; a selection number listed twice with other times is a bad row', () => {
    const table = parse([
      header,
      '1\tSpectrogram 1\t1\t1.0\t2.0\t100\t200',
      '2\tSpectrogram 1\t1\tabc\t2.0\t100\t200',
      '3\tSpectrogram 1\t1\t1.5\t\t100\t200',
      '4\tSpectrogram 1\t1\t3.0\t4.0\tlow\t200',
      '1\tWaveform 1\t1\t5.0\t6.0\t100\t200',
      '5\tSpectrogram 1\t1\t7.0\t8.0\t100\t200\textra\tfields',
    ].join('\n'), 'x.txt');
    expect(table.rows.map((r) => r.line)).toEqual([2]);
    expect(table.issues).toEqual([
      { file: 'x.txt', line: 3, reason: 'the start "abc" is not a number of seconds.' },
      { file: 'x.txt', line: 4, reason: 'the end time is empty.' },
      { file: 'x.txt', line: 5, reason: 'the low frequency "low" is not a number.' },
      { file: 'x.txt', line: 7, reason: 'has 9 fields but the header names 7 columns (a delimiter inside an unquoted field?).' },
      { file: 'x.txt', line: 6, reason: 'selection 1 is listed twice (also on line 2) with different times.' },
    ]);
  });

  it('reads Excel exports: UTF-16 LE with BOM, UTF-16 without BOM, UTF-8 BOM, Windows-1252', () => {
    const text = `${header}\tNotes\n1\tSpectrogram 1\t1\t0.5\t1.5\t300\t900\tSchwäne über Æbelø\n`;
    for (const [bytes, encoding] of [
      [utf16le(text), 'utf-16le'], [utf16le(text, false), 'utf-16le'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8'],
      [Buffer.from(text, 'latin1'), 'windows-1252'],
    ] as const) {
      const table = parse(bytes);
      expect(table.encoding).toBe(encoding);
      expect(table.issues).toEqual([]);
      expect(table.rows[0]).toMatchObject({ startSeconds: 0.5, endSeconds: 1.5, annotation: 'Schwäne über Æbelø' });
    }
    expect(parse(Buffer.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45, 1, 2, 0, 0, 0])).issues[0].reason).toMatch(/not a text table/);
  });
});

describe('Audacity label tracks', () => {
  it('reads labels with their frequency rows, -1 as an undefined bound, decimal commas, empty texts', () => {
    const table = parse('0.101385\t0.367520\tSP\n\\\t6441.064453\t12296.577148\n1,5\t2,25\t\n\\\t-1.000000\t8000\n3\t4\tcall with\ttab\n');
    expect(table.format).toBe('audacity');
    expect(table.issues).toEqual([]);
    expect(table.rows).toEqual([
      { line: 1, recordingRefs: [], startSeconds: 0.101385, endSeconds: 0.36752, soundType: 'SP', lowHz: 6441.064453, highHz: 12296.577148, extras: [] },
      { line: 3, recordingRefs: [], startSeconds: 1.5, endSeconds: 2.25, highHz: 8000, extras: [] },
      { line: 5, recordingRefs: [], startSeconds: 3, endSeconds: 4, soundType: 'call with\ttab', extras: [] },
    ]);
  });

  it('reports malformed lines with their numbers and reads on', () => {
    const table = parse('1\t2\tok\n\\\t100\n3\tx\tbad\n\\\t1\t2\n5\t6\n\\\tlow\thigh\n', 'a.txt', 'audacity');
    expect(table.rows.map((r) => r.line)).toEqual([1, 5]);
    expect(table.issues).toEqual([
      { file: 'a.txt', line: 2, reason: 'expected "\\<TAB>low<TAB>high" (an Audacity frequency line).' },
      { file: 'a.txt', line: 3, reason: 'the end "x" is not a number of seconds.' },
      { file: 'a.txt', line: 6, reason: 'the frequency range "low – high" is not a pair of numbers in Hz.' },
    ]);
  });
});

describe('CSV tables', () => {
  it('reads events.csv, the hummingbird reference (kHz), quoted fields with commas and line breaks, CRLF', () => {
    const events = parse('file,onset_s,offset_s,label\r\n0.wav,1.07000,1.15400,0\r\n"a, b.wav",2,3,"multi\r\nline ""quoted"""\r\n1.wav,4,5,i\r\n');
    expect(events.issues).toEqual([]);
    expect(events.rows.map((r) => [r.line, r.recordingRefs, r.startSeconds, r.endSeconds, r.soundType])).toEqual([
      [2, ['0.wav'], 1.07, 1.154, '0'], [3, ['a, b.wav'], 2, 3, 'multi\nline "quoted"'], [5, ['1.wav'], 4, 5, 'i'],
    ]);
    const humming = parse('file,selec,start_s,end_s,bottom_freq_khz,top_freq_khz\nh1.wav,1,0.341644,0.538337937,2.1237,9.7003\n');
    expect(humming.rows[0]).toMatchObject({ lowHz: 2123.7, highHz: 9700.3, extras: [['selec', '1']] });
  });

  it("reads the original Java labeller's CSV: sample positions, annotation = sound type, offset kept", () => {
    // Header as written by dkohlsdorf/DolphinMnist src/main/java/org/dkohl/wdp/io/Audio.java.
    const table = parse('offset, annotation, source_file, source_start, source_stop\n0,WSTL_UP,/data/2011/a.wav,44100,49612\n5512,NOISE,/data/2011/a.wav,88200,5512\n');
    expect(table.issues).toEqual([]);
    expect(table.rows.map((r) => [r.recordingRefs, r.startSample, r.endSample, r.soundType, r.extras])).toEqual([
      [['/data/2011/a.wav'], 44100, 49612, 'WSTL_UP', [['offset', '0']]],
      [['/data/2011/a.wav'], 88200, 5512, 'NOISE', [['offset', '5512']]],
    ]);
  });

  it('reads semicolon tables with decimal commas, clip-level tables, and Sonotype Source columns only when they are Sonotype values', () => {
    expect(parse('file;start;end;label\na.wav;0,5;1,25;x\n').rows[0]).toMatchObject({ startSeconds: 0.5, endSeconds: 1.25 });
    expect(parse('file,call_type\nS01-1.wav,S01\n').rows[0]).toMatchObject({ wholeRecording: true, soundType: 'S01', recordingRefs: ['S01-1.wav'] });
    const own = parse('recording,start_s,end_s,source,source_table\na.wav,0,1,human,\na.wav,1,2,imported,orig.txt\n');
    expect(own.rows.map((r) => [r.source, r.sourceTable, r.extras])).toEqual([['human', undefined, []], ['imported', 'orig.txt', []]]);
    const theirs = parse('file,start,end,source\na.wav,0,1,xeno-canto\n');
    expect(theirs.rows[0]).toMatchObject({ extras: [['source', 'xeno-canto']] });
    expect(theirs.rows[0].source).toBeUndefined();
  });

  it('says what is missing from a header, and recognises nothing in a text that is no table', () => {
    expect(parse('file,begin,label\na.wav,1,x\n').issues[0].reason).toMatch(/^no end column/);
    expect(parse('just some words\n').issues[0].reason).toMatch(/^not a recognised annotation table/);
    expect(parse('', 'e.csv').issues).toEqual([{ file: 'e.csv', line: null, reason: 'the table is empty.' }]);
    expect(parse('x', 'song.not.mat').issues[0].reason).toMatch(/\.not\.mat files are not supported/);
  });
});
