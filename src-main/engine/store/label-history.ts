/**
 * The label edit history: every label edit stores its before/after state in
 * the same transaction, so edits can be undone and redone, also after a restart.
 * Rows with undone = 0 form the undo stack (newest on top); rows with
 * undone = 1 are the redo branch, discarded by the next new edit.
 * Cluster edits (target 'clusters') share the stack: their rows hold a
 * before/after ClusterPatch instead of a label state.
 * Each row records the window (edit client) that made it; undo and redo take
 * the caller's own steps and those nobody owns any more (edit-clients.ts),
 * and refuse a step whose label another window changed since.
 */
import { SonotypeError } from '../../../src-shared/errors';
import { applyClusterPatch, parseClusterPatch, type ClusterPatch } from './cluster-patch';
import type { ProjectDb } from './database';
import { currentEditClient, ownedByCaller } from './edit-clients';
import { parseJsonColumn } from './json';
import { exchangeColumns, rowToLabelState, type LabelRow } from './label-rows';
import { normaliseLabelState, type LabelState } from './label-state';

export type { LabelState } from './label-state';

export type LabelEditOp = 'create' | 'update' | 'delete';

/** What an undo or redo touched, so the UI can refresh that recording (and its cluster views). */
export interface LabelEditRef {
  historyId: number;
  op: LabelEditOp;
  /** The (first) label the step changed; null for a step of cluster edits only. */
  labelId: number | null;
  recordingId: number | null;
  /** The step changed clusters or cluster membership. */
  clusters: boolean;
}

/** One entry of the label edit history, for display. */
export interface LabelHistoryEntry extends Omit<LabelEditRef, 'labelId' | 'recordingId' | 'clusters'> {
  labelId: number;
  recordingId: number;
  before: LabelState | null;
  after: LabelState;
  author: string | null;
  createdAt: number;
  undone: boolean;
}

interface HistoryRow {
  id: number; op: LabelEditOp; target: 'label' | 'clusters'; label_id: number | null; before_json: string | null; after_json: string;
  author: string | null; created_at: number; undone: number; edit_group: number | null; client: string | null;
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
  appendHistoryRow(db, {
    target: 'label', op: edit.op, labelId: edit.labelId,
    beforeJson: edit.before === null ? null : JSON.stringify(edit.before), afterJson: JSON.stringify(edit.after), author: edit.author,
  });
}

/**
 * Applies a cluster edit's `after` patch and records it (call inside the
 * edit's transaction or edit group); `before` holds the same clusters and members.
 */
export function recordClusterEdit(db: ProjectDb, before: ClusterPatch, after: ClusterPatch, author: string | null): void {
  applyClusterPatch(db, after);
  appendHistoryRow(db, { target: 'clusters', op: 'update', labelId: null, beforeJson: JSON.stringify(before), afterJson: JSON.stringify(after), author });
}

function appendHistoryRow(
  db: ProjectDb,
  row: { target: 'label' | 'clusters'; op: LabelEditOp; labelId: number | null; beforeJson: string | null; afterJson: string; author: string | null },
): void {
  // A new edit makes the caller's redo branch unreachable; other open windows keep theirs.
  const redoable = (db.statement('SELECT id, client FROM label_history WHERE undone = 1').all() as Pick<HistoryRow, 'id' | 'client'>[])
    .filter((r) => ownedByCaller(r.client));
  const drop = db.statement('DELETE FROM label_history WHERE id = ?');
  for (const r of redoable) drop.run(r.id);
  const inserted = db
    .statement('INSERT INTO label_history (op, target, label_id, before_json, after_json, author, created_at, edit_group, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(row.op, row.target, row.labelId, row.beforeJson, row.afterJson, row.author, Date.now(), openGroups.get(db) ?? null, currentEditClient() ?? null);
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

/** The caller's next step to undo (newest first) or redo (oldest first), if any. */
function callersStep(db: ProjectDb, undone: 0 | 1): HistoryRow | undefined {
  const order = undone === 0 ? 'DESC' : 'ASC';
  for (const row of db.statement(`SELECT * FROM label_history WHERE undone = ? ORDER BY id ${order}`).iterate(undone) as IterableIterator<HistoryRow>) {
    if (ownedByCaller(row.client)) return row;
  }
  return undefined;
}

/**
 * The rows of the caller's next undo (or redo) step, in the order they were
 * made, without changing anything: what history-steps.ts summarises for the UI.
 */
export function nextStepRows(db: ProjectDb, which: 'undo' | 'redo'): Array<Pick<HistoryRow, 'op' | 'target' | 'before_json' | 'after_json'>> {
  const undone = which === 'undo' ? 0 : 1;
  const head = callersStep(db, undone);
  return head ? stepRows(db, head, undone, 'ASC') : [];
}

/** Refuses a step when another window changed one of its labels after it (undoing it would silently discard that). */
function refuseIfChangedSince(db: ProjectDb, rows: readonly HistoryRow[], what: 'Undo' | 'Redo'): void {
  const later = db.statement(
    "SELECT 1 FROM label_history WHERE label_id = ? AND id > ? AND undone = 0 AND target = 'label' AND (edit_group IS NULL OR edit_group IS NOT ?) LIMIT 1",
  );
  for (const row of rows) {
    if (row.target === 'label' && later.get(row.label_id, row.id, row.edit_group)) {
      throw new SonotypeError(
        'INVALID_ARGUMENT',
        `${what} refused: another window changed this label after your edit. Undo it there first, or edit the label directly, so nothing of theirs is lost.`,
      );
    }
  }
}

/** Reverts the caller's newest edit not yet undone; null when there is nothing to undo. */
export function undoLastEdit(db: ProjectDb): LabelEditRef | null {
  return moveStep(db, 'undo');
}

/** Re-applies the caller's oldest undone edit; null when there is nothing to redo. */
export function redoEdit(db: ProjectDb): LabelEditRef | null {
  return moveStep(db, 'redo');
}

/**
 * Undo and redo are one walk in opposite directions: undo restores each row's
 * "before" newest first and flags it undone; redo restores the "after" oldest
 * first and clears the flag.
 */
function moveStep(db: ProjectDb, which: 'undo' | 'redo'): LabelEditRef | null {
  const undo = which === 'undo';
  const undone = undo ? 0 : 1;
  return db.transaction(() => {
    const head = callersStep(db, undone);
    if (!head) return null;
    const rows = stepRows(db, head, undone, undo ? 'DESC' : 'ASC');
    refuseIfChangedSince(db, rows, undo ? 'Undo' : 'Redo');
    const mark = db.statement('UPDATE label_history SET undone = ? WHERE id = ?');
    for (const row of rows) {
      restoreRow(db, row, which);
      mark.run(undo ? 1 : 0, row.id);
    }
    return stepRef(head, rows);
  });
}

/** Writes back the state a history row held before its edit (undo) or after it (redo). */
function restoreRow(db: ProjectDb, row: HistoryRow, which: 'undo' | 'redo'): void {
  if (row.target === 'clusters') {
    const [json, column] = which === 'undo' ? [row.before_json, 'label_history.before'] : [row.after_json, 'label_history.after'];
    applyClusterPatch(db, parseClusterPatch(json, column)!);
    return;
  }
  const after = historyState(row.after_json, 'label_history.after')!;
  // A create has no "before": undoing it hides the label (soft delete).
  const state = which === 'redo' ? after : historyState(row.before_json, 'label_history.before') ?? { ...after, deleted: true };
  writeLabelState(db, row.label_id!, state);
}

/** What a step touched: its first label row names the recording; any cluster row flags the clusters. */
function stepRef(first: HistoryRow, rows: readonly HistoryRow[]): LabelEditRef {
  const labelRow = rows.find((r) => r.target === 'label');
  const after = labelRow ? historyState(labelRow.after_json, 'label_history.after')! : null;
  return {
    historyId: first.id, op: first.op, labelId: labelRow?.label_id ?? null, recordingId: after?.recordingId ?? null,
    clusters: rows.some((r) => r.target === 'clusters'),
  };
}

/** Whether undoLastEdit would do something for the caller. */
export function canUndo(db: ProjectDb): boolean {
  return callersStep(db, 0) !== undefined;
}

/** Whether redoEdit would do something for the caller. */
export function canRedo(db: ProjectDb): boolean {
  return callersStep(db, 1) !== undefined;
}

/** The newest label history entries first (undone ones included, flagged; cluster edits left out). */
export function listLabelHistory(db: ProjectDb, limit = 100): LabelHistoryEntry[] {
  const rows = db.statement("SELECT * FROM label_history WHERE target = 'label' ORDER BY id DESC LIMIT ?").all(limit) as HistoryRow[];
  return rows.map((row) => {
    const after = historyState(row.after_json, 'label_history.after')!;
    return {
      historyId: row.id, op: row.op, labelId: row.label_id!, recordingId: after.recordingId,
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
