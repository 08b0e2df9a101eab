/**
 * Label editing: create, update, soft-delete and list. Every edit writes a
 * history row in the same transaction (see label-history.ts for undo/redo).
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { readLabelState, recordLabelEdit, writeLabelState, type LabelState } from './label-history';

/** Who produced a label. Human labels take precedence over model and heuristic ones. */
export type LabelSource = 'human' | 'model' | 'heuristic';

export interface StoredLabel {
  id: number;
  recordingId: number;
  /** [start, end) in the recording's native sample rate. */
  startSample: number;
  endSample: number;
  /** 'silence', 'sound', or a sound-type name ('whistle', …). */
  value: string;
  source: LabelSource;
  author: string | null;
  createdAt: number;
  updatedAt: number;
  deleted: boolean;
}

export interface NewLabel {
  recordingId: number;
  startSample: number;
  endSample: number;
  value: string;
  /** Default 'human'. */
  source?: LabelSource;
  author?: string | null;
}

interface LabelRow {
  id: number; recording_id: number; start_sample: number; end_sample: number; value: string; source: LabelSource;
  author: string | null; created_at: number; updated_at: number; deleted: number;
}

/** Creates a label and records the edit. */
export function createLabel(db: ProjectDb, input: NewLabel): StoredLabel {
  const state: LabelState = {
    recordingId: input.recordingId, startSample: input.startSample, endSample: input.endSample,
    value: input.value, source: input.source ?? 'human', author: input.author ?? null, deleted: false,
  };
  validateLabelState(state);
  return db.transaction(() => {
    requireRecording(db, state.recordingId);
    const id = insertLabelRow(db, state);
    recordLabelEdit(db, { op: 'create', labelId: id, before: null, after: state, author: state.author });
    return getLabel(db, id)!;
  });
}

/**
 * Changes a label's range and/or value and records the edit. The label
 * becomes a human label: a person has now vouched for it, so machine
 * re-labelling must not replace it.
 */
export function updateLabel(
  db: ProjectDb,
  id: number,
  patch: { startSample?: number; endSample?: number; value?: string },
  author: string | null = null,
): StoredLabel {
  return db.transaction(() => {
    const before = requireLiveLabel(db, id);
    const after: LabelState = {
      ...before,
      startSample: patch.startSample ?? before.startSample,
      endSample: patch.endSample ?? before.endSample,
      value: patch.value ?? before.value,
      source: 'human',
      author: author ?? before.author,
    };
    validateLabelState(after);
    const changed = (Object.keys(after) as (keyof LabelState)[]).some((k) => after[k] !== before[k]);
    if (changed) {
      writeLabelState(db, id, after);
      recordLabelEdit(db, { op: 'update', labelId: id, before, after, author });
    }
    return getLabel(db, id)!;
  });
}

/** Soft-deletes a label (kept for undo and audit) and records the edit. */
export function deleteLabel(db: ProjectDb, id: number, author: string | null = null): void {
  db.transaction(() => {
    const before = requireLiveLabel(db, id);
    const after: LabelState = { ...before, deleted: true };
    writeLabelState(db, id, after);
    recordLabelEdit(db, { op: 'delete', labelId: id, before, after, author });
  });
}

/** One label by id (deleted ones included), or undefined. */
export function getLabel(db: ProjectDb, id: number): StoredLabel | undefined {
  const row = db.statement('SELECT * FROM labels WHERE id = ?').get(id) as LabelRow | undefined;
  return row ? toLabel(row) : undefined;
}

/** Labels of a recording in time order; deleted ones only when asked for. */
export function listLabels(db: ProjectDb, recordingId: number, options: { includeDeleted?: boolean } = {}): StoredLabel[] {
  const rows = db
    .statement('SELECT * FROM labels WHERE recording_id = ? ORDER BY start_sample, end_sample, id')
    .all(recordingId) as LabelRow[];
  return rows.filter((r) => options.includeDeleted || r.deleted === 0).map(toLabel);
}

/** Inserts a label row without history (callers decide whether the insert is an edit). */
export function insertLabelRow(db: ProjectDb, state: LabelState): number {
  const now = Date.now();
  const result = db
    .statement(
      `INSERT INTO labels (recording_id, start_sample, end_sample, value, source, author, created_at, updated_at, deleted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(state.recordingId, state.startSample, state.endSample, state.value, state.source, state.author, now, now, state.deleted ? 1 : 0);
  return Number(result.lastInsertRowid);
}

/** Throws INVALID_ARGUMENT with a readable reason for an impossible label. */
export function validateLabelState(state: Pick<LabelState, 'startSample' | 'endSample' | 'value' | 'source'>): void {
  const { startSample, endSample, value } = state;
  if (!Number.isSafeInteger(startSample) || !Number.isSafeInteger(endSample) || startSample < 0 || endSample <= startSample) {
    throw new SonotypeError('INVALID_ARGUMENT', `A label must cover a whole-sample range with start < end (got ${startSample} to ${endSample}).`);
  }
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 100) {
    throw new SonotypeError('INVALID_ARGUMENT', 'A label needs a value such as "silence", "sound" or a type name (at most 100 characters).');
  }
  if (!['human', 'model', 'heuristic'].includes(state.source)) {
    throw new SonotypeError('INVALID_ARGUMENT', `Unknown label source "${state.source}".`);
  }
}

/** Throws NOT_FOUND unless the recording exists (clearer than a foreign-key failure). */
export function requireRecording(db: ProjectDb, recordingId: number): void {
  if (!db.statement('SELECT 1 FROM recordings WHERE id = ?').get(recordingId)) {
    throw new SonotypeError('NOT_FOUND', `Recording ${recordingId} does not exist in this project.`);
  }
}

function requireLiveLabel(db: ProjectDb, id: number): LabelState {
  const state = readLabelState(db, id);
  if (!state || state.deleted) throw new SonotypeError('NOT_FOUND', `Label ${id} does not exist or was deleted.`);
  return state;
}

function toLabel(row: LabelRow): StoredLabel {
  return {
    id: row.id, recordingId: row.recording_id, startSample: row.start_sample, endSample: row.end_sample, value: row.value,
    source: row.source, author: row.author, createdAt: row.created_at, updatedAt: row.updated_at, deleted: row.deleted === 1,
  };
}
