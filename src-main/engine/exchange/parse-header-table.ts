/**
 * Tables with a header row: Raven selection tables (tab-separated) and CSV
 * (comma, semicolon or tab). Columns get roles (column-roles.ts); every
 * other column is kept. A bad cell makes its row an issue with the reason;
 * the other rows are read on.
 *
 * Raven specifics: a selection is listed once per view (Waveform 1,
 * Spectrogram 1) — the rows are one selection, the Spectrogram row is kept;
 * tables spanning several files (Begin File + File Offset (s)) have times
 * relative to the file sequence, so the file offset gives the time in the file.
 */
import { LABEL_SOURCES, type LabelSource } from '../../../src-shared/label-types';
import { describeMissingColumns, normaliseHeader, planColumns, type ColumnPlan, type ColumnRole } from './column-roles';
import { isBlankRow, parseDecimal, type NumberedRow } from './table-text';
import type { RowIssue, TableRow } from './table-types';

export interface HeaderTableResult {
  columns: string[];
  rows: TableRow[];
  issues: RowIssue[];
}

/** Reads rows (already split into fields) of a table whose first non-blank row is the header. */
export function parseHeaderTable(rows: readonly NumberedRow[], name: string, format: 'raven' | 'csv', decimalComma = false): HeaderTableResult {
  const issues: RowIssue[] = [];
  const headerAt = rows.findIndex((r) => !isBlankRow(r.fields));
  if (headerAt < 0) return { columns: [], rows: [], issues: [{ file: name, line: null, reason: 'the table is empty.' }] };
  const header = rows[headerAt];
  const columns = header.fields.map((h) => h.trim());
  const { plans } = planColumns(columns, format);
  const missing = describeMissingColumns(plans);
  if (missing) {
    issues.push({ file: name, line: header.line, reason: `${missing}; the header is "${columns.join(', ').slice(0, 160)}".` });
    return { columns, rows: [], issues };
  }
  const sourceUsable = sourceColumnIsSonotypes(rows.slice(headerAt + 1), plans);
  const parsed: TableRow[] = [];
  const columns_ = roleColumns(plans);
  const fileColumns = plans.filter((p) => p.role === 'file');
  for (const row of rows.slice(headerAt + 1)) {
    if (isBlankRow(row.fields)) continue;
    const result = readRow(row, plans, columns_, fileColumns, { decimalComma, sourceUsable });
    if (typeof result === 'string') issues.push({ file: name, line: row.line, reason: result });
    else parsed.push(result);
  }
  const selections = format === 'raven' ? mergeRavenViews(parsed, plans, rows, name, issues) : parsed;
  return { columns, rows: selections, issues };
}

interface RowOptions {
  decimalComma: boolean;
  sourceUsable: boolean;
}

const byRole = (plans: readonly ColumnPlan[], role: ColumnRole) => plans.find((p) => p.role === role);

/** The column of each role (the first one), looked up once per table. */
type RoleColumns = Partial<Record<ColumnRole, ColumnPlan>>;

function roleColumns(plans: readonly ColumnPlan[]): RoleColumns {
  const out: RoleColumns = {};
  for (const plan of plans) if (plan.role !== 'extra' && !out[plan.role]) out[plan.role] = plan;
  return out;
}

/** One data row → a TableRow, or the reason it cannot be read. */
function readRow(
  row: NumberedRow, plans: readonly ColumnPlan[], col: RoleColumns, fileColumns: readonly ColumnPlan[], options: RowOptions,
): TableRow | string {
  const { fields } = row;
  const extraFields = fields.slice(plans.length).filter((f) => f.trim() !== '');
  if (extraFields.length > 0) return `has ${fields.length} fields but the header names ${plans.length} columns (a delimiter inside an unquoted field?).`;
  const cell = (plan: ColumnPlan | undefined) => (plan ? (fields[plan.index] ?? '') : undefined);
  const out: TableRow = { line: row.line, recordingRefs: [], extras: [] };

  for (const plan of fileColumns) {
    const ref = cell(plan)!.trim();
    if (ref !== '' && !out.recordingRefs.includes(ref)) out.recordingRefs.push(ref);
  }
  const number = (plan: ColumnPlan | undefined, what: string, unit: string): number | string | undefined => {
    const text = cell(plan);
    if (text === undefined || text.trim() === '') return undefined;
    const value = parseDecimal(text, options.decimalComma);
    return value === undefined ? `${what} "${text.trim().slice(0, 40)}" is not a number${unit}.` : value;
  };

  const start = number(col.start, 'the start', ' of seconds');
  const end = number(col.end, 'the end', ' of seconds');
  const startSample = number(col.startSample, 'the start sample', '');
  const endSample = number(col.endSample, 'the end sample', '');
  for (const v of [start, end, startSample, endSample]) if (typeof v === 'string') return v;
  const hasSecondsColumns = col.start !== undefined;
  if (hasSecondsColumns) {
    if (start === undefined) return 'the start time is empty.';
    if (end === undefined) return 'the end time is empty.';
    const offset = number(col.fileOffset, 'the file offset', ' of seconds');
    if (typeof offset === 'string') return offset;
    if (offset !== undefined && out.recordingRefs.length > 0) {
      // A multi-file Raven table: Begin Time is on the sequence's clock, File Offset is the time in Begin File.
      out.startSeconds = offset;
      out.endSeconds = offset + ((end as number) - (start as number));
    } else {
      out.startSeconds = start as number;
      out.endSeconds = end as number;
    }
  } else if (col.startSample) {
    if (startSample === undefined || endSample === undefined) return `the ${startSample === undefined ? 'start' : 'end'} sample is empty.`;
    if (!Number.isSafeInteger(startSample) || !Number.isSafeInteger(endSample)) return 'sample positions must be whole numbers.';
    out.startSample = startSample as number;
    out.endSample = endSample as number;
  } else {
    if (out.recordingRefs.length === 0) return 'names no recording (this table labels whole recordings by their file column).';
    out.wholeRecording = true;
  }

  for (const band of ['low', 'high'] as const) {
    const plan = col[band];
    const v = number(plan, band === 'low' ? 'the low frequency' : 'the high frequency', '');
    if (typeof v === 'string') return v;
    if (v !== undefined) out[band === 'low' ? 'lowHz' : 'highHz'] = roundHz(v * (plan!.toHz ?? 1));
  }
  const confidence = number(col.confidence, 'the confidence', '');
  if (typeof confidence === 'string') return confidence;
  if (confidence !== undefined) {
    if (confidence < 0 || confidence > 1) return `the confidence ${confidence} is not between 0 and 1.`;
    out.confidence = confidence;
  }
  const text = (role: ColumnRole) => {
    const t = cell(col[role]);
    return t === undefined || t.trim() === '' ? undefined : t;
  };
  out.value = text('value')?.trim();
  out.soundType = text('soundType')?.trim();
  out.annotation = text('annotation');
  if (options.sourceUsable) {
    const source = text('source')?.trim();
    if (source !== undefined) out.source = source as LabelSource;
    out.sourceTable = text('sourceTable')?.trim();
  }
  for (const plan of plans) {
    const isExtra = plan.role === 'extra' || (!options.sourceUsable && (plan.role === 'source' || plan.role === 'sourceTable'));
    if (isExtra) out.extras.push([plan.header, fields[plan.index] ?? '']);
  }
  return out;
}

/** Frequencies converted from kHz carry float noise (2.1237 × 1000); a micro-hertz grid removes it. */
function roundHz(hz: number): number {
  return Math.round(hz * 1e6) / 1e6;
}

/** A Source column is Sonotype's own (human/model/heuristic/imported) only if every value says so; otherwise it is just kept. */
function sourceColumnIsSonotypes(rows: readonly NumberedRow[], plans: readonly ColumnPlan[]): boolean {
  const plan = byRole(plans, 'source');
  if (!plan) return false;
  return rows.every((r) => {
    const v = (r.fields[plan.index] ?? '').trim();
    return v === '' || (LABEL_SOURCES as readonly string[]).includes(v);
  });
}

/** Raven lists each selection once per view: keep one row per selection number (the Spectrogram view's). */
function mergeRavenViews(rows: TableRow[], plans: readonly ColumnPlan[], raw: readonly NumberedRow[], name: string, issues: RowIssue[]): TableRow[] {
  const selection = byRole(plans, 'selection');
  const view = byRole(plans, 'view');
  if (!selection) return rows;
  const fieldsAt = new Map(raw.map((r) => [r.line, r.fields]));
  const kept = new Map<string, { at: number; row: TableRow; view: string }>();
  const out: TableRow[] = [];
  for (const row of rows) {
    const fields = fieldsAt.get(row.line)!;
    const number = (fields[selection.index] ?? '').trim();
    const rowView = view ? (fields[view.index] ?? '').trim() : '';
    const first = number === '' ? undefined : kept.get(number);
    if (!first) {
      if (number !== '') kept.set(number, { at: out.length, row, view: rowView });
      out.push(row);
      continue;
    }
    const sameEvent = first.row.startSeconds === row.startSeconds && first.row.endSeconds === row.endSeconds;
    if (!sameEvent || first.view === rowView) {
      issues.push({ file: name, line: row.line, reason: `selection ${number} is listed twice (also on line ${first.row.line}) with different ${sameEvent ? 'rows' : 'times'}.` });
      continue;
    }
    if (normaliseHeader(rowView).startsWith('spectrogram') && !normaliseHeader(first.view).startsWith('spectrogram')) {
      out[first.at] = row; // the Spectrogram view carries the spectral measurements
      kept.set(number, { at: first.at, row, view: rowView });
    }
  }
  return out;
}
