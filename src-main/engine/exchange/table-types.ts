/**
 * What the table parsers produce: rows with times (seconds or native
 * samples), optional frequency box and texts, the recording they name, and
 * the columns Sonotype has no field for — plus per-row problems with the
 * file name and line number, so good rows are kept and bad ones explained.
 */
import type { LabelSource } from '../../../src-shared/label-types';
import type { RowIssue } from '../../../src-shared/exchange-types';

export type { RowIssue } from '../../../src-shared/exchange-types';

/** Formats a table can be read as; 'notmat' is recognised only to explain that it is not supported. */
export type TableFormat = 'raven' | 'audacity' | 'csv' | 'notmat';
export const TABLE_FORMATS: readonly TableFormat[] = ['raven', 'audacity', 'csv', 'notmat'];

/** One annotation row of a table, before it is matched to a recording. */
export interface TableRow {
  /** Line (1-based) where the row starts in its file. */
  line: number;
  /** Recording names the row gives, most specific first (Raven: Begin Path, then Begin File). */
  recordingRefs: string[];
  /** Times in seconds from the start of the recording… */
  startSeconds?: number;
  endSeconds?: number;
  /** …or exact native sample positions (the Java labeller's source_start/source_stop). */
  startSample?: number;
  endSample?: number;
  /** The row labels its whole recording (a clip-level table: file + label, no times). */
  wholeRecording?: boolean;
  /** Frequency bounds in Hz; a missing one is filled with 0 or the Nyquist frequency. */
  lowHz?: number;
  highHz?: number;
  /** Raven only: bounds equal to the full band (0 … Nyquist) mean a time-only label. */
  fullBandMeansTimeOnly?: boolean;
  value?: string;
  soundType?: string;
  annotation?: string;
  confidence?: number;
  /** Provenance written by a Sonotype export (Source / Source Table columns). */
  source?: LabelSource;
  sourceTable?: string;
  /** Columns without a Sonotype field, [header, text] in table order. */
  extras: [string, string][];
}

/** A table as parsed: its rows, its problems, its format and encoding. */
export interface ParsedTable {
  /** File name (no folder) — stored as the labels' source table. */
  name: string;
  format: Exclude<TableFormat, 'notmat'>;
  /** 'utf-8', 'utf-16le', 'utf-16be' or 'windows-1252'. */
  encoding: string;
  /** Header as written (empty for Audacity tracks). */
  columns: string[];
  rows: TableRow[];
  issues: RowIssue[];
}
