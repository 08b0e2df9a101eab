/**
 * The label edit history: every label edit stores its before/after state in
 * the same transaction, so edits can be undone and redone, also after a restart.
 * Rows with undone = 0 form the undo stack (newest on top); rows with
 * undone = 1 are the redo branch, discarded by the next new edit.
 */
import type { ProjectDb } from './database';
import { parseJsonColumn } from './json';
import { exchangeColumns, rowToLabelState, type LabelRow } from './label-rows';
import { normaliseLabelState, type LabelState } from './label-state';

export type { LabelState } from './label-state';

export type LabelEditOp = 'create' | 'update' | 'delete';

/** What an undo or redo touched, so the UI can refresh that recording. */
export interface LabelEditRef {
  historyId: number;
  op: LabelEditOp;
  labelId: number;
  recordingId: number;
}

/** One entry of the edit history, for display. */
export interface LabelHistoryEntry extends LabelEditRef {
  before: LabelState | null;
  after: LabelState;
  author: string | null;
  createdAt: number;
  undone: boolean;
}

interface HistoryRow {
  id: number; op: LabelEditOp; label_id: number; before_json: string | null; after_json: string;
  author: string | null; created_at: number; undone: number; edit_group: number | null;
}

/** Open edit groups per connection: undefined = none, null = opened but no edit yet, number = group id. */
const openGroups = new WeakMap<ProjectDb, number | null>();

/**
 * Runs `work` (several label edits, e.g. the two halves of a split) as ONE
 * undo step, in one transaction.
 */
export function withEditGroup<T>(db: ProjectDb, work: () => T): T {
  if (openGroups.has(db)) return work(); // nested: joins the outer group
  return db.transaction(() => {
    openGroups.set(db, null);
    try {
      return work();
    } finally {
      openGroups.delete(db);
    }
  });
}

/** Current state of a label row, or undefined if there is no such label. */
export function readLabelState(db: ProjectDb, labelId: number): LabelState | undefined {
  const row = db.statement('SELECT * FROM labels WHERE id = ?').get(labelId) as LabelRow | undefined;
  return row ? rowToLabelState(row) : undefined;
}

/** A state stored in the history (entries from before schema v4 lack the exchange fields). */
function historyState(json: string | null, column: string): LabelState | null {
  const parsed = parseJsonColumn<LabelState>(json, column);
  return parsed === null ? null : normaliseLabelState(parsed);
}

/**
 * Appends an edit to the history (call inside the edit's transaction). A new
 * edit makes the redo branch unreachable, so it is discarded here.
 */
export function recordLabelEdit(
  db: ProjectDb,
  edit: { op: LabelEditOp; labelId: number; before: LabelState | null; after: LabelState; author: string | null },
): void {
  db.statement('DELETE FROM label_history WHERE undone = 1').run();
  const inserted = db.statement('INSERT INTO label_history (op, label_id, before_json, after_json, author, created_at, edit_group) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    edit.op, edit.labelId, edit.before === null ? null : JSON.stringify(edit.before), JSON.stringify(edit.after), edit.author, Date.now(),
    openGroups.get(db) ?? null,
  );
  if (openGroups.has(db) && openGroups.get(db) === null) {
    const id = Number(inserted.lastInsertRowid);
    openGroups.set(db, id);
    db.statement('UPDATE label_history SET edit_group = ? WHERE id = ?').run(id, id);
  }
}

/** The rows of the step that `row` belongs to (the whole group, or just the row), in `order`. */
function stepRows(db: ProjectDb, row: HistoryRow, undone: 0 | 1, order: 'ASC' | 'DESC'): HistoryRow[] {
  if (row.edit_group === null) return [row];
  return db
    .statement(`SELECT * FROM label_history WHERE edit_group = ? AND undone = ? ORDER BY id ${order}`)
    .all(row.edit_group, undone) as HistoryRow[];
}

/** Reverts the newest edit not yet undone; null when there is nothing to undo. */
export function undoLastEdit(db: ProjectDb): LabelEditRef | null {
  return db.transaction(() => {
    const top = db.statement('SELECT * FROM label_history WHERE undone = 0 ORDER BY id DESC LIMIT 1').get() as HistoryRow | undefined;
    if (!top) return null;
    for (const row of stepRows(db, top, 0, 'DESC')) {
      const before = historyState(row.before_json, 'label_history.before');
      const after = historyState(row.after_json, 'label_history.after')!;
      // A create has no "before": undoing it hides the label (soft delete).
      writeLabelState(db, row.label_id, before ?? { ...after, deleted: true });
      db.statement('UPDATE label_history SET undone = 1 WHERE id = ?').run(row.id);
    }
    const after = historyState(top.after_json, 'label_history.after')!;
    return { historyId: top.id, op: top.op, labelId: top.label_id, recordingId: after.recordingId };
  });
}

/** Re-applies the oldest undone edit; null when there is nothing to redo. */
export function redoEdit(db: ProjectDb): LabelEditRef | null {
  return db.transaction(() => {
    const next = db.statement('SELECT * FROM label_history WHERE undone = 1 ORDER BY id ASC LIMIT 1').get() as HistoryRow | undefined;
    if (!next) return null;
    for (const row of stepRows(db, next, 1, 'ASC')) {
      writeLabelState(db, row.label_id, historyState(row.after_json, 'label_history.after')!);
      db.statement('UPDATE label_history SET undone = 0 WHERE id = ?').run(row.id);
    }
    const after = historyState(next.after_json, 'label_history.after')!;
    return { historyId: next.id, op: next.op, labelId: next.label_id, recordingId: after.recordingId };
  });
}

/** Whether undoLastEdit would do something. */
export function canUndo(db: ProjectDb): boolean {
  return (db.statement('SELECT EXISTS (SELECT 1 FROM label_history WHERE undone = 0) AS yes').get() as { yes: number }).yes === 1;
}

/** Whether redoEdit would do something. */
export function canRedo(db: ProjectDb): boolean {
  return (db.statement('SELECT EXISTS (SELECT 1 FROM label_history WHERE undone = 1) AS yes').get() as { yes: number }).yes === 1;
}

/** The newest history entries first (undone ones included, flagged). */
export function listLabelHistory(db: ProjectDb, limit = 100): LabelHistoryEntry[] {
  const rows = db.statement('SELECT * FROM label_history ORDER BY id DESC LIMIT ?').all(limit) as HistoryRow[];
  return rows.map((row) => {
    const after = historyState(row.after_json, 'label_history.after')!;
    return {
      historyId: row.id, op: row.op, labelId: row.label_id, recordingId: after.recordingId,
      before: historyState(row.before_json, 'label_history.before'), after,
      author: row.author, createdAt: row.created_at, undone: row.undone === 1,
    };
  });
}

/** Overwrites a label row with `state`. */
export function writeLabelState(db: ProjectDb, labelId: number, state: LabelState): void {
  db.statement(
    `UPDATE labels SET recording_id = ?, start_sample = ?, end_sample = ?, value = ?, source = ?, author = ?, deleted = ?, updated_at = ?,
       low_hz = ?, high_hz = ?, annotation = ?, sound_type = ?, confidence = ?, source_table = ?, reference = ?, extra_json = ?
     WHERE id = ?`,
  ).run(
    state.recordingId, state.startSample, state.endSample, state.value, state.source, state.author, state.deleted ? 1 : 0, Date.now(),
    ...exchangeColumns(state), labelId,
  );
}
