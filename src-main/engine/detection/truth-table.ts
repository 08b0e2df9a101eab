/**
 * Reads annotation ("truth") tables into time intervals, auto-detecting:
 * - Raven selection tables: tab-separated, header with `Begin Time (s)` and
 *   `End Time (s)`; optional `Begin File` / `Begin Path` (recording) and
 *   `Annotation` / `Species` / `Label` / `Class` (label). Raven writes one
 *   row per view (Waveform 1, Spectrogram 1) for the same selection, so rows
 *   repeating a `Selection` number are kept once.
 * - Audacity label tracks: `start<TAB>end[<TAB>label]`, no header; lines
 *   starting with a backslash hold the optional frequency range
 *   (`\<TAB>low<TAB>high`) and are skipped.
 * - CSV (or tab-separated with a header): a start column (start, start_s,
 *   start_time, begin, begin_time, onset, …) and an end column (end, end_s,
 *   end_time, stop, offset, …), optional recording (file, filename,
 *   recording, sound.files, …) and label (label, class, species, call_type, …).
 * Errors name the file and the line number.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import { toFileError } from '../audio/fs-errors';

export interface TruthEvent {
  /** Recording the event belongs to, when the table names one (file name or path as written). */
  recording?: string;
  startSeconds: number;
  endSeconds: number;
  label?: string;
}

export type TruthTableFormat = 'raven' | 'audacity' | 'csv';

export interface TruthTable {
  format: TruthTableFormat;
  events: TruthEvent[];
}

/** Header names are compared lowercased with spaces, dots, dashes and units removed. */
function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/\((s|sec|seconds)\)/g, '').replace(/[\s._\-()]/g, '');
}

const START_NAMES = ['start', 'starts', 'starttime', 'starttimes', 'begin', 'begins', 'begintime', 'begintimes', 'onset', 'onsets', 'tstart'];
const END_NAMES = ['end', 'ends', 'endtime', 'endtimes', 'stop', 'stops', 'stoptime', 'stoptimes', 'offset', 'offsets', 'tend'];
const RECORDING_NAMES = ['file', 'filename', 'files', 'soundfiles', 'soundfile', 'recording', 'recordingfile', 'beginfile', 'audiofile', 'path', 'beginpath'];
const LABEL_NAMES = ['label', 'labels', 'annotation', 'class', 'species', 'calltype', 'category', 'name'];

function fail(source: string, line: number | null, message: string): never {
  throw new SonotypeError('INVALID_ARGUMENT', `${source}${line === null ? '' : `, line ${line}`}: ${message}`);
}

/** Splits one delimited line, honouring double-quoted fields ("" = a quote). */
function splitFields(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === delimiter) {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.trim());
  return out;
}

function parseSeconds(text: string | undefined, what: string, source: string, line: number): number {
  const value = text === undefined || text === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) fail(source, line, `${what} "${text ?? ''}" is not a number of seconds.`);
  if (value < 0) fail(source, line, `${what} ${value} s is negative.`);
  return value;
}

function checkedEvent(start: number, end: number, source: string, line: number): void {
  if (end < start) fail(source, line, `the event ends (${end} s) before it starts (${start} s).`);
}

interface NumberedLine {
  text: string;
  line: number;
}

function parseAudacity(lines: NumberedLine[], source: string): TruthEvent[] {
  const events: TruthEvent[] = [];
  for (const { text, line } of lines) {
    if (text.startsWith('\\')) continue; // frequency range of the label above
    const f = text.split('\t');
    if (f.length < 2) fail(source, line, 'expected "start<TAB>end<TAB>label" (an Audacity label line).');
    const startSeconds = parseSeconds(f[0].trim(), 'start', source, line);
    const endSeconds = parseSeconds(f[1].trim(), 'end', source, line);
    checkedEvent(startSeconds, endSeconds, source, line);
    const label = f.slice(2).join('\t').trim();
    events.push({ startSeconds, endSeconds, ...(label ? { label } : {}) });
  }
  return events;
}

function findColumn(headers: string[], names: string[]): number {
  for (const name of names) {
    const i = headers.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}

/** Raven and header-CSV share this: named columns, one event per row. */
function parseWithHeader(lines: NumberedLine[], delimiter: string, format: 'raven' | 'csv', source: string): TruthEvent[] {
  const [header, ...rows] = lines;
  const headers = splitFields(header.text, delimiter).map(normaliseHeader);
  const startCol = findColumn(headers, START_NAMES);
  const endCol = findColumn(headers, END_NAMES);
  if (startCol < 0 || endCol < 0) {
    fail(source, header.line, `no ${startCol < 0 ? 'start' : 'end'} column in the header (${header.text.slice(0, 120)}); expected names like start/start_s/begin_time and end/end_s/stop.`);
  }
  const recCol = findColumn(headers, RECORDING_NAMES);
  const labelCol = findColumn(headers, LABEL_NAMES);
  const selectionCol = format === 'raven' ? headers.indexOf('selection') : -1;
  const seen = new Set<string>();
  const events: TruthEvent[] = [];
  for (const { text, line } of rows) {
    const f = splitFields(text, delimiter);
    if (selectionCol >= 0 && f[selectionCol]) {
      if (seen.has(f[selectionCol])) continue; // the same selection in another view
      seen.add(f[selectionCol]);
    }
    const startSeconds = parseSeconds(f[startCol], 'start', source, line);
    const endSeconds = parseSeconds(f[endCol], 'end', source, line);
    checkedEvent(startSeconds, endSeconds, source, line);
    const event: TruthEvent = { startSeconds, endSeconds };
    if (recCol >= 0 && f[recCol]) event.recording = f[recCol];
    if (labelCol >= 0 && f[labelCol]) event.label = f[labelCol];
    events.push(event);
  }
  return events;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses the text of an annotation table (format auto-detected, see the file
 * header). `source` names the table in error messages.
 */
export function parseTruthTable(text: string, source = 'annotation table'): TruthTable {
  const lines: NumberedLine[] = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((t, i) => ({ text: t, line: i + 1 }))
    .filter((l) => l.text.trim() !== '');
  if (lines.length === 0) fail(source, null, 'the table is empty.');
  const first = lines[0].text;
  const tabFields = first.split('\t').map((s) => s.trim());
  if (tabFields.length >= 2 && NUMBER.test(tabFields[0]) && NUMBER.test(tabFields[1])) {
    return { format: 'audacity', events: parseAudacity(lines, source) };
  }
  const normalisedTabs = tabFields.map(normaliseHeader);
  if (normalisedTabs.includes('begintime') && normalisedTabs.includes('endtime')) {
    return { format: 'raven', events: parseWithHeader(lines, '\t', 'raven', source) };
  }
  const delimiter = tabFields.length >= 2 ? '\t' : first.includes(',') ? ',' : first.includes(';') ? ';' : null;
  if (delimiter) {
    const headers = splitFields(first, delimiter).map(normaliseHeader);
    if (findColumn(headers, START_NAMES) >= 0 && findColumn(headers, END_NAMES) >= 0) {
      return { format: 'csv', events: parseWithHeader(lines, delimiter, 'csv', source) };
    }
  }
  fail(
    source,
    1,
    `not a recognised annotation table. Expected a Raven selection table (tab-separated, "Begin Time (s)" and "End Time (s)" columns), ` +
      `an Audacity label track ("start<TAB>end<TAB>label" lines) or a CSV with start and end columns; the first line is "${first.slice(0, 120)}".`,
  );
}

/** Reads an annotation table file and returns its events (format auto-detected, see parseTruthTable). */
export async function readTruthTable(filePath: string): Promise<TruthEvent[]> {
  return (await readTruthTableWithFormat(filePath)).events;
}

/** Like readTruthTable, also saying which format was recognised. */
export async function readTruthTableWithFormat(filePath: string): Promise<TruthTable> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    throw toFileError(error, filePath);
  }
  return parseTruthTable(text, path.basename(filePath));
}

/**
 * Events of one recording: those naming it (compared by file name, so a Raven
 * `Begin Path` matches too) plus, when `includeUnnamed`, those naming none
 * (an Audacity track belongs to the one recording it was made for).
 */
export function eventsForRecording(events: readonly TruthEvent[], recordingFile: string, includeUnnamed = true): TruthEvent[] {
  const want = path.basename(recordingFile.replace(/\\/g, '/'));
  return events.filter((e) => (e.recording === undefined ? includeUnnamed : path.basename(e.recording.replace(/\\/g, '/')) === want));
}
