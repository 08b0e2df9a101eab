/**
 * Annotation tables as "truth" for scoring detections (`sonotype eval`, the
 * detection bench): the events (recording, start, end, label) of a table,
 * read by the same importer as `sonotype import` (parse-table.ts) — one
 * parser for Raven (view rows merged, multi-file tables with File Offset),
 * Audacity (frequency rows, decimal commas), CSV/TSV (events.csv, semicolon
 * tables, quoted fields), UTF-8 ± BOM, UTF-16 and Windows-1252.
 *
 * Unlike an import, truth is all or nothing: a score against a table with
 * rows silently dropped would be wrong, so any bad row fails the read with
 * every problem named as `file, line N: reason`. Rows an import can place but
 * a score cannot (whole-recording labels, sample positions that need the
 * recording's rate) are refused with what to do instead.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import { toFileError } from '../audio/fs-errors';
import { normaliseHeader } from './column-roles';
import { parseAnnotationTable } from './parse-table';
import type { ParsedTable, RowIssue, TableRow } from './table-types';

export interface TruthEvent {
  /** Recording the event belongs to, when the table names one (file name or path as written). */
  recording?: string;
  startSeconds: number;
  endSeconds: number;
  label?: string;
}

export type TruthTableFormat = ParsedTable['format'];

export interface TruthTable {
  format: TruthTableFormat;
  events: TruthEvent[];
}

/** How many problems a failed read lists before summing up the rest. */
const LISTED_ISSUES = 8;

/** Kept columns that name a row's label when the table has no sound type, value or annotation column. */
const LABEL_EXTRAS = new Set(['species', 'labels', 'name']);

function describeIssue(issue: RowIssue): string {
  return `${issue.file}${issue.line === null ? '' : `, line ${issue.line}`}: ${issue.reason}`;
}

function fail(issues: readonly RowIssue[]): never {
  const listed = issues.slice(0, LISTED_ISSUES).map(describeIssue);
  const more = issues.length > LISTED_ISSUES ? `\n(and ${issues.length - LISTED_ISSUES} more problems)` : '';
  throw new SonotypeError('INVALID_ARGUMENT', listed.join('\n') + more);
}

/** One parsed row → a truth event, or the reason it cannot be scored against. */
function rowToEvent(row: TableRow): TruthEvent | string {
  if (row.startSeconds === undefined || row.endSeconds === undefined) {
    return row.startSample !== undefined
      ? 'the row gives sample positions, not seconds; import the table (`sonotype import --as reference`) and score with `eval --truth reference`.'
      : 'the row labels its whole recording (no start and end times); a score needs the times of each sound.';
  }
  const { startSeconds, endSeconds } = row;
  if (startSeconds < 0) return `the start ${startSeconds} s is negative.`;
  if (endSeconds < startSeconds) return `the event ends (${endSeconds} s) before it starts (${startSeconds} s).`;
  const event: TruthEvent = { startSeconds, endSeconds };
  if (row.recordingRefs.length > 0) event.recording = row.recordingRefs[0];
  const label = row.soundType ?? row.value ?? row.annotation?.trim() ?? row.extras.find(([h, v]) => LABEL_EXTRAS.has(normaliseHeader(h)) && v.trim())?.[1].trim();
  if (label) event.label = label;
  return event;
}

/**
 * The events of a table from its text or bytes (format recognised as by
 * `sonotype import`). `source` names the table in messages. Throws
 * INVALID_ARGUMENT listing every bad row when any row cannot be read.
 */
export function parseTruthTable(content: string | Uint8Array, source = 'annotation table'): TruthTable {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const table = parseAnnotationTable(bytes, source);
  const issues = [...table.issues];
  const events: TruthEvent[] = [];
  for (const row of table.rows) {
    const event = rowToEvent(row);
    if (typeof event === 'string') issues.push({ file: source, line: row.line, reason: event });
    else events.push(event);
  }
  if (issues.length > 0) fail(issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  return { format: table.format, events };
}

/** Reads an annotation table file and returns its events (see parseTruthTable). */
export async function readTruthTable(filePath: string): Promise<TruthEvent[]> {
  return (await readTruthTableWithFormat(filePath)).events;
}

/** Like readTruthTable, also saying which format was recognised. */
export async function readTruthTableWithFormat(filePath: string): Promise<TruthTable> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    throw toFileError(error, filePath);
  }
  return parseTruthTable(bytes, path.basename(filePath));
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
