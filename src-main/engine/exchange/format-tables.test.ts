import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLabel } from '../store/labels';
import { upsertScannedRecording } from '../store/recordings';
import { createTempProject, scannedWav, type TempProject } from '../store/test-helpers';
import { collectExportLabels } from './export-labels';
import { formatAudacityTrack, formatLabelsCsv, formatRavenTable, RAVEN_COLUMNS } from './format-tables';
import { importAnnotationTables } from './import-tables';
import { parseAnnotationTable } from './parse-table';

/**
 * A selection table saved by Raven Pro, verbatim: kitzeslab/opensoundscape @ 4a782527f25a,
 * docs/tutorials/resources/GWWA_XC_AnnoTables/13738.Table.1.selections.txt (first four selections).
 * Raven Pro's layout: Selection, View, Channel, Begin Time (s), End Time (s), Low Freq (Hz),
 * High Freq (Hz), then the user's annotation columns; tab-separated; times with 9 decimals.
 */
const RAVEN_PRO_TABLE = [
  'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tSpecies\tNotes',
  '1\tSpectrogram 1\t1\t0.459636349\t2.298181746\t4029.8\t17006.4\tGWWA_song\t',
  '2\tSpectrogram 1\t1\t6.705283212\t8.246416853\t4156.6\t17031.7\tGWWA_song\t',
  '3\tSpectrogram 1\t1\t13.464641288\t15.005774930\t3903.1\t17082.4\t?\t',
  '4\tSpectrogram 1\t1\t20.128207868\t21.601747929\t4055.2\t16930.3\tGWWA_song\t',
].join('\n') + '\n';

const RATE = 44_100;
let project: TempProject;
let rec: number;
beforeEach(() => {
  project = createTempProject('sonotype-format-');
  rec = upsertScannedRecording(project.db, scannedWav('13738.wav', {
    info: { sampleRate: RATE, channels: 1, frames: 60 * RATE, durationSeconds: 60, codec: 'pcm_s16le', container: 'wav', bitsPerSample: 16 },
  })).id;
});
afterEach(() => project.cleanup());

const exported = () => collectExportLabels(project.db, 'human')[0];

describe('Raven selection tables as Raven Pro writes them', () => {
  it('an exported table has Raven Pro\'s column layout and values, and keeps the table\'s own columns', () => {
    const report = importAnnotationTables(project.db, '/audio', [{ name: '13738.Table.1.selections.txt', bytes: Buffer.from(RAVEN_PRO_TABLE) }]);
    expect(report).toMatchObject({ imported: 4, rejected: 0 });
    const text = formatRavenTable(exported(), '/audio/13738.wav');
    const [header, ...rows] = text.trimEnd().split('\n').map((l) => l.split('\t'));
    const original = RAVEN_PRO_TABLE.trimEnd().split('\n').map((l) => l.split('\t'));
    // Raven Pro's own columns first, in its order; then measurement/annotation columns; the table's Species column kept.
    expect(header.slice(0, 7)).toEqual(original[0].slice(0, 7));
    expect(header).toEqual([...RAVEN_COLUMNS, 'Species']);
    for (const [i, row] of rows.entries()) {
      const source = original[i + 1];
      expect(row.slice(0, 3)).toEqual(source.slice(0, 3)); // selection number, view, channel
      for (const c of [3, 4]) {
        expect(row[c]).toMatch(/^\d+\.\d{9}$/); // seconds with 9 decimals, as Raven writes
        expect(Math.abs(Number(row[c]) - Number(source[c]))).toBeLessThanOrEqual(0.5 / RATE); // the nearest sample
      }
      expect(row.slice(5, 7)).toEqual(source.slice(5, 7)); // frequencies exactly as written
      expect(row[header.indexOf('Species')]).toBe(source[7]);
      expect(row[header.indexOf('Begin File')]).toBe('13738.wav');
      expect(row[header.indexOf('Source')]).toBe('imported');
      expect(row[header.indexOf('Source Table')]).toBe('13738.Table.1.selections.txt');
    }
    // Read back by the same parser Raven-format detection uses: the same four selections.
    const again = parseAnnotationTable(Buffer.from(text), 'again.txt');
    expect(again.format).toBe('raven');
    expect(again.rows.map((r) => r.extras.find(([h]) => h === 'Species')?.[1])).toEqual(['GWWA_song', 'GWWA_song', '?', 'GWWA_song']);
  });

  it('writes time-only labels with the full band and reads them back as time-only', () => {
    createLabel(project.db, { recordingId: rec, startSample: RATE, endSample: 2 * RATE, value: 'silence' });
    const text = formatRavenTable(exported(), '/audio/13738.wav');
    expect(text.split('\n')[1].split('\t').slice(3, 7)).toEqual(['1.000000000', '2.000000000', '0', '22050']);
    const second = createTempProject('sonotype-format-2-');
    try {
      const r2 = upsertScannedRecording(second.db, scannedWav('13738.wav', { info: { sampleRate: RATE, channels: 1, frames: 60 * RATE, durationSeconds: 60, codec: 'pcm_s16le', container: 'wav', bitsPerSample: 16 } })).id;
      importAnnotationTables(second.db, '/audio', [{ name: '13738.Table.1.selections.txt', bytes: Buffer.from(text) }]);
      expect(collectExportLabels(second.db, 'human')[0].labels.map((l) => [l.value, l.lowHz, l.highHz, l.source, l.recordingId])).toEqual([['silence', null, null, 'human', r2]]);
    } finally {
      second.cleanup();
    }
  });
});

describe('Audacity tracks and the project CSV', () => {
  it('write what the formats can hold, quoting CSV fields only when needed', () => {
    createLabel(project.db, { recordingId: rec, startSample: 4471, endSample: 16208, value: 'sound', soundType: 'SP', lowHz: 6441.064453, highHz: 12296.577148, annotation: 'two\nlines, "quoted"', confidence: 0.25 });
    createLabel(project.db, { recordingId: rec, startSample: 44_100, endSample: 88_200, value: 'silence' });
    expect(formatAudacityTrack(exported())).toBe('0.101383\t0.367528\tSP\n\\\t6441.064453\t12296.577148\n1.000000\t2.000000\tsilence\n');
    expect(formatLabelsCsv(collectExportLabels(project.db, 'human'))).toBe([
      'recording,start_s,end_s,low_hz,high_hz,value,sound_type,cluster,confidence,source,source_table,annotation',
      '13738.wav,0.101383,0.367528,6441.064453,12296.577148,sound,SP,,0.25,human,,"two\nlines, ""quoted"""',
      '13738.wav,1.000000,2.000000,,,silence,,,,human,,',
    ].join('\n') + '\n');
  });

  it('use enough decimals that every sample position reads back exactly, at any rate', () => {
    for (const rate of [1_000, 22_050, 44_100, 96_000, 192_000, 384_000, 500_000]) {
      for (const sample of [0, 1, 7, 12_345, rate - 1, 3_600 * rate + 17]) {
        const decimals = Math.max(6, Math.ceil(Math.log10(rate)) + 1);
        expect(Math.round(Number((sample / rate).toFixed(decimals)) * rate), `${sample} @ ${rate}`).toBe(sample);
      }
    }
  });
});
