/**
 * Imports annotation tables into a project: parse every table, match rows to
 * recordings, turn them into labels, skip what is already there, and write
 * everything in ONE transaction that is ONE undo step. Bad rows are reported
 * with file, line and reason; good rows are imported all the same.
 *
 * Re-importing a table adds nothing: a row is a duplicate when a live label
 * of the same recording has the same time range, frequency box and
 * reference-ness, and came from the same table or carries the same value and
 * sound type.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from '../store/database';
import { createLabels } from '../store/label-edits';
import { listLabels, validateLabelState, type NewLabel, type StoredLabel } from '../store/labels';
import { listRecordings } from '../store/recordings';
import { RecordingMatcher, type MatchResult } from './match-recording';
import { parseAnnotationTable } from './parse-table';
import { rowToLabel, type RecordingFacts } from './row-to-label';
import type { ImportReport, RowIssue, TableImportSummary } from '../../../src-shared/exchange-types';
import type { TableFormat } from './table-types';

export type { ImportReport, TableImportSummary } from '../../../src-shared/exchange-types';

export interface TableInput {
  /** File name shown in messages and stored as the labels' source table. */
  name: string;
  /** Absolute path when it is a file (tables inside the audio root prefer recordings in their own folder). */
  path?: string;
  bytes: Uint8Array;
}

export interface ImportOptions {
  /** 'human' (default): labels that train and count as corrections; 'reference': truth for evaluation only. */
  as?: 'human' | 'reference';
  /** Every row belongs to this recording (path under the audio root, or any name that matches one). */
  recording?: string;
  format?: TableFormat | 'auto';
  author?: string | null;
}

/** What a long import (the app's 'import' job) watches: progress and cancel. */
export interface ImportHooks {
  /** Tables parsed so far (after each table). */
  onTableRead?: (done: number, total: number) => void;
  /** Rows matched and checked so far, of all the tables' rows (every few hundred rows and at the end). */
  onRows?: (done: number, total: number) => void;
  /** Called between tables and every few hundred rows; throw to stop (nothing is written: the write comes last). */
  checkCancelled?: () => void;
  /** Just before the one write. */
  onWrite?: (labels: number) => void;
}

/** Rows between two progress reports and cancel checks. */
const ROWS_PER_CHECK = 500;

/** Imports `tables` into the project whose database is `db` and whose recordings live under `audioRoot`. */
export function importAnnotationTables(
  db: ProjectDb, audioRoot: string, tables: readonly TableInput[], options: ImportOptions = {}, hooks: ImportHooks = {},
): ImportReport {
  const recordings: RecordingFacts[] = listRecordings(db).map((r) => ({ id: r.id, path: r.path, sampleRate: r.sampleRate, frames: r.frames }));
  const { labels, report } = planImport(recordings, audioRoot, tables, options, (recordingId) => listLabels(db, recordingId), hooks);
  // A cancel stops here at the latest; after this line the write runs to its end (or not at all).
  hooks.checkCancelled?.();
  hooks.onWrite?.(labels.length);
  // One transaction, one undo step: an import is all or nothing. A cancel that came during the write rolls it
  // back (the job ends cancelled, so it must have changed nothing).
  db.transaction(() => {
    createLabels(db, labels);
    hooks.checkCancelled?.();
  });
  return report;
}

/**
 * Everything an import does short of writing: parse, match, convert, check,
 * skip duplicates (against `existingLabels` of a recording and the rows
 * before). Pure, so it can be fuzzed fast.
 */
export function planImport(
  recordings: readonly RecordingFacts[],
  audioRoot: string,
  tables: readonly TableInput[],
  options: ImportOptions,
  existingLabels: (recordingId: number) => readonly StoredLabel[],
  hooks: ImportHooks = {},
): { labels: NewLabel[]; report: ImportReport } {
  const matcher = new RecordingMatcher(recordings, audioRoot);
  let forced: RecordingFacts | undefined;
  if (options.recording !== undefined) {
    const match = matcher.matchReference(options.recording);
    if ('error' in match) throw new SonotypeError('NOT_FOUND', `--recording: ${match.error}`);
    forced = match.recording;
  }
  const existing = new ExistingLabels(existingLabels);
  const summaries: TableImportSummary[] = [];
  const issues: RowIssue[] = [];
  const toCreate: NewLabel[] = [];

  const parsed = tables.map((input, i) => {
    hooks.checkCancelled?.();
    const table = parseAnnotationTable(input.bytes, input.name, options.format ?? 'auto');
    hooks.onTableRead?.(i + 1, tables.length);
    return { input, table };
  });
  const totalRows = parsed.reduce((n, p) => n + p.table.rows.length, 0);
  let rowsDone = 0;
  hooks.onRows?.(0, totalRows);

  for (const { input, table } of parsed) {
    issues.push(...table.issues);
    const summary: TableImportSummary = {
      name: table.name, format: table.format, encoding: table.encoding, rows: table.rows.length + table.issues.filter((i) => i.line !== null).length,
      imported: 0, duplicates: 0, rejected: table.issues.length,
    };
    summaries.push(summary);
    let byName: MatchResult<RecordingFacts> | undefined;
    const context = { tableName: table.name, fullBandMeansTimeOnly: table.format === 'raven', reference: options.as === 'reference', author: options.author ?? null };
    for (const row of table.rows) {
      if (++rowsDone % ROWS_PER_CHECK === 0) {
        hooks.checkCancelled?.();
        hooks.onRows?.(rowsDone, totalRows);
      }
      let match: MatchResult<RecordingFacts>;
      if (forced) match = { recording: forced };
      else if (row.recordingRefs.length > 0) match = firstMatch(matcher, row.recordingRefs);
      else match = byName ??= matcher.matchTableName(input.path ?? input.name);
      const reject = (reason: string) => {
        issues.push({ file: table.name, line: row.line, reason });
        summary.rejected++;
      };
      if ('error' in match) {
        reject(match.error);
        continue;
      }
      const label = rowToLabel(row, match.recording, context);
      if (typeof label === 'string') {
        reject(label);
        continue;
      }
      const invalid = validationProblem(label);
      if (invalid) {
        reject(invalid);
        continue;
      }
      if (existing.isDuplicate(label)) {
        summary.duplicates++;
        continue;
      }
      existing.add(label);
      toCreate.push(label);
      summary.imported++;
    }
  }
  hooks.onRows?.(totalRows, totalRows);
  return {
    labels: toCreate,
    report: {
      tables: summaries,
      imported: toCreate.length,
      duplicates: summaries.reduce((n, s) => n + s.duplicates, 0),
      rejected: summaries.reduce((n, s) => n + s.rejected, 0),
      issues,
      recordingIds: [...new Set(toCreate.map((l) => l.recordingId))],
    },
  };
}

/** The store's own check (text lengths, …) as a row reason, so one odd row never fails the whole import. */
function validationProblem(label: NewLabel): string | null {
  try {
    validateLabelState({ ...label, source: label.source ?? 'human' });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The first file reference that names a recording; otherwise the first one's reason. */
function firstMatch(matcher: RecordingMatcher<RecordingFacts>, refs: readonly string[]): MatchResult<RecordingFacts> {
  let first: MatchResult<RecordingFacts> | undefined;
  for (const ref of refs) {
    const m = matcher.matchReference(ref);
    if ('recording' in m) return m;
    first ??= m;
  }
  return first!;
}

type LabelKeyFields = Pick<StoredLabel, 'recordingId' | 'startSample' | 'endSample' | 'reference'> & { lowHz?: number | null; highHz?: number | null };

/** Live labels by position, loaded per recording on first use, to recognise rows already imported. */
class ExistingLabels {
  private readonly byKey = new Map<string, Pick<NewLabel, 'sourceTable' | 'value' | 'soundType'>[]>();
  private readonly loaded = new Set<number>();

  constructor(private readonly existingLabels: (recordingId: number) => readonly StoredLabel[]) {}

  isDuplicate(label: NewLabel): boolean {
    this.load(label.recordingId);
    const same = this.byKey.get(keyOf(label as LabelKeyFields)) ?? [];
    return same.some((l) => (l.sourceTable ?? null) === (label.sourceTable ?? null) ||
      (l.value === label.value && (l.soundType ?? null) === (label.soundType ?? null)));
  }

  add(label: NewLabel): void {
    const key = keyOf(label as LabelKeyFields);
    const same = this.byKey.get(key);
    if (same) same.push(label);
    else this.byKey.set(key, [label]);
  }

  private load(recordingId: number): void {
    if (this.loaded.has(recordingId)) return;
    this.loaded.add(recordingId);
    for (const l of this.existingLabels(recordingId)) this.add(l);
  }
}

function keyOf(l: LabelKeyFields): string {
  return `${l.recordingId}:${l.startSample}:${l.endSample}:${l.lowHz ?? ''}:${l.highHz ?? ''}:${l.reference ? 1 : 0}`;
}
