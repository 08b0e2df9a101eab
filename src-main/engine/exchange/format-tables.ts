/**
 * Label tables as text: Raven selection tables, Audacity label tracks and the
 * project CSV. Written with d3-dsv, which quotes only fields holding a
 * delimiter, quote or line break; reading one back gives the same labels.
 *
 * The Raven layout follows the tables Raven Pro writes (Selection, View,
 * Channel, Begin Time (s), End Time (s), Low Freq (Hz), High Freq (Hz), then
 * measurement and annotation columns; times with 9 decimals), checked in
 * format-tables.test.ts against a table saved by Raven Pro.
 */
import { csvFormatRows, tsvFormatRows } from 'd3-dsv';
import type { StoredLabel } from '../store/labels';
import { clusterOf, extraCell, extraColumns, formatHz, formatSeconds, keptValue, typeOrValue, type ExportRecording } from './export-labels';

export const RAVEN_COLUMNS = [
  'Selection', 'View', 'Channel', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)',
  'Begin Path', 'Begin File', 'File Offset (s)', 'Sound Type', 'Cluster', 'Confidence', 'Source', 'Source Table', 'Annotation',
] as const;

/** Raven Pro writes times with 9 decimals. */
const RAVEN_TIME_DECIMALS = 9;

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/**
 * One recording's Raven selection table. Time-only labels get the full band
 * (0 … Nyquist), as Raven gives a selection made in the waveform; reading the
 * table back turns a full band into a time-only label again.
 */
export function formatRavenTable(recording: ExportRecording, absolutePath: string): string {
  const extras = extraColumns(recording.labels, [...RAVEN_COLUMNS, 'View']);
  const rate = recording.sampleRate;
  const fileName = recording.path.split('/').pop()!;
  const rows = recording.labels.map((l, i) => {
    const begin = formatSeconds(l.startSample, rate, RAVEN_TIME_DECIMALS);
    return [
      String(i + 1), 'Spectrogram 1', keptValue(l, 'Channel') ?? '1', begin, formatSeconds(l.endSample, rate, RAVEN_TIME_DECIMALS),
      formatHz(l.lowHz ?? 0), formatHz(l.highHz ?? rate / 2), absolutePath, fileName, begin,
      typeOrValue(l), text(clusterOf(l, recording)), text(l.confidence), l.source, text(l.sourceTable), text(l.annotation),
      ...extras.map((h) => extraCell(l, h)),
    ];
  });
  return tsvFormatRows([[...RAVEN_COLUMNS, ...extras], ...rows]) + '\n';
}

/** Audacity can hold neither tabs nor line breaks in a label's text. */
const oneLine = (s: string) => s.replace(/[\t\r\n]+/g, ' ');

/**
 * One recording's Audacity label track: `start<TAB>end<TAB>text` with the
 * sound type (else the value) as text, and a `\<TAB>low<TAB>high` line after
 * each label that has a frequency box (6 decimals, as Audacity writes).
 */
export function formatAudacityTrack(recording: ExportRecording): string {
  const lines: string[] = [];
  for (const l of recording.labels) {
    lines.push(`${formatSeconds(l.startSample, recording.sampleRate)}\t${formatSeconds(l.endSample, recording.sampleRate)}\t${oneLine(typeOrValue(l))}`);
    if (l.lowHz !== null && l.highHz !== null) lines.push(`\\\t${l.lowHz.toFixed(6)}\t${l.highHz.toFixed(6)}`);
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

export const CSV_COLUMNS = [
  'recording', 'start_s', 'end_s', 'low_hz', 'high_hz', 'value', 'sound_type', 'cluster', 'confidence', 'source', 'source_table', 'annotation',
] as const;

/** The project's labels as one CSV (recording path under the audio root, times in seconds), kept columns at the end. */
export function formatLabelsCsv(recordings: readonly ExportRecording[]): string {
  const all: StoredLabel[] = recordings.flatMap((r) => r.labels);
  const extras = extraColumns(all, CSV_COLUMNS);
  const rows = recordings.flatMap((r) => r.labels.map((l) => [
    r.path, formatSeconds(l.startSample, r.sampleRate), formatSeconds(l.endSample, r.sampleRate),
    l.lowHz === null ? '' : formatHz(l.lowHz), l.highHz === null ? '' : formatHz(l.highHz),
    l.value, text(l.soundType), text(clusterOf(l, r)), text(l.confidence), l.source, text(l.sourceTable), text(l.annotation),
    ...extras.map((h) => extraCell(l, h)),
  ]));
  return csvFormatRows([[...CSV_COLUMNS, ...extras], ...rows]) + '\n';
}
