/**
 * Label editing: create, update, soft-delete and list. Every edit writes a
 * history row in the same transaction (see label-history.ts for undo/redo).
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { LabelExchangeFields } from '../../../src-shared/label-types';
import type { ProjectDb } from './database';
import { readLabelState, recordLabelEdit, writeLabelState } from './label-history';
import { exchangeColumns, rowToLabelState, type LabelRow } from './label-rows';
import { sameLabelState, validateLabelState, type LabelSource, type LabelState } from './label-state';

export { validateLabelState, type LabelSource, type LabelState } from './label-state';

/** A label row as stored: its state plus id and timestamps. */
/** A label row: its state (the same shape the undo history keeps) plus identity and times. */
export interface StoredLabel extends LabelState {
  id: number;
  createdAt: number;
  updatedAt: number;
}

export interface NewLabel extends Partial<LabelExchangeFields> {
  recordingId: number;
  startSample: number;
  endSample: number;
  value: string;
  /** Default 'human'. */
  source?: LabelSource;
  author?: string | null;
  sourceTable?: string | null;
  reference?: boolean;
  extras?: [string, string][] | null;
}

/** What an edit may change; null clears an optional field (lowHz and highHz go together). */
export interface LabelPatch extends Partial<LabelExchangeFields> {
  startSample?: number;
  endSample?: number;
  value?: string;
}

/** The full state of a new label (defaults applied), not yet validated. */
export function newLabelState(input: NewLabel): LabelState {
  // One literal (no spreads): imports build hundreds of thousands of these.
  return {
    recordingId: input.recordingId, startSample: input.startSample, endSample: input.endSample, value: input.value,
    source: input.source ?? 'human', author: input.author ?? null, deleted: false,
    lowHz: input.lowHz ?? null, highHz: input.highHz ?? null, annotation: input.annotation ?? null, soundType: input.soundType ?? null,
    confidence: input.confidence ?? null, sourceTable: input.sourceTable ?? null, reference: input.reference ?? false,
    extras: input.extras && input.extras.length > 0 ? input.extras : null,
  };
}

/** Creates a label and records the edit. */
export function createLabel(db: ProjectDb, input: NewLabel): StoredLabel {
  const state = newLabelState(input);
  validateLabelState(state);
  return db.transaction(() => {
    requireRecording(db, state.recordingId, state.highHz);
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
export function updateLabel(db: ProjectDb, id: number, patch: LabelPatch, author: string | null = null): StoredLabel {
  return db.transaction(() => {
    const before = liveLabelState(db, id);
    const after: LabelState = { ...before, source: 'human', author: author ?? before.author };
    for (const key of ['startSample', 'endSample', 'value', 'lowHz', 'highHz', 'annotation', 'soundType', 'confidence'] as const) {
      if (patch[key] !== undefined) (after as unknown as Record<string, unknown>)[key] = patch[key];
    }
    validateLabelState(after);
    if (!sameLabelState(after, before)) {
      if (after.highHz !== before.highHz) requireRecording(db, after.recordingId, after.highHz);
      writeLabelState(db, id, after);
      recordLabelEdit(db, { op: 'update', labelId: id, before, after, author });
    }
    return getLabel(db, id)!;
  });
}

/** Soft-deletes a label (kept for undo and audit) and records the edit. */
export function deleteLabel(db: ProjectDb, id: number, author: string | null = null): void {
  db.transaction(() => {
    const before = liveLabelState(db, id);
    const after: LabelState = { ...before, deleted: true };
    writeLabelState(db, id, after);
    recordLabelEdit(db, { op: 'delete', labelId: id, before, after, author });
  });
}

/** A live (not deleted) label, or NOT_FOUND with a readable message. */
export function requireLiveLabel(db: ProjectDb, labelId: number): StoredLabel {
  const label = getLabel(db, labelId);
  if (!label || label.deleted) throw new SonotypeError('NOT_FOUND', `Label ${labelId} does not exist (it may have been deleted).`);
  return label;
}

/** One label by id (deleted ones included), or undefined. */
export function getLabel(db: ProjectDb, id: number): StoredLabel | undefined {
  const row = db.statement('SELECT * FROM labels WHERE id = ?').get(id) as LabelRow | undefined;
  return row ? toLabel(row) : undefined;
}

/**
 * Labels of a recording in time order (references included: they are shown);
 * deleted ones only when asked for.
 */
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
      `INSERT INTO labels (recording_id, start_sample, end_sample, value, source, author, created_at, updated_at, deleted,
                           low_hz, high_hz, annotation, sound_type, confidence, source_table, reference, extra_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      state.recordingId, state.startSample, state.endSample, state.value, state.source, state.author, now, now, state.deleted ? 1 : 0,
      ...exchangeColumns(state),
    );
  return Number(result.lastInsertRowid);
}

/**
 * Throws NOT_FOUND unless the recording exists (clearer than a foreign-key
 * failure), and INVALID_ARGUMENT when a frequency box reaches above its Nyquist frequency.
 */
export function requireRecording(db: ProjectDb, recordingId: number, highHz: number | null = null): void {
  const row = db.statement('SELECT sample_rate FROM recordings WHERE id = ?').get(recordingId) as { sample_rate: number | null } | undefined;
  if (!row) throw new SonotypeError('NOT_FOUND', `Recording ${recordingId} does not exist in this project.`);
  if (highHz !== null && row.sample_rate !== null && highHz > row.sample_rate / 2) {
    throw new SonotypeError(
      'INVALID_ARGUMENT',
      `The frequency box reaches ${highHz} Hz, above the recording's Nyquist frequency (${row.sample_rate / 2} Hz).`,
    );
  }
}

/** A live label's state as the history records it, or NOT_FOUND (same message as requireLiveLabel). */
function liveLabelState(db: ProjectDb, id: number): LabelState {
  const state = readLabelState(db, id);
  if (!state || state.deleted) throw new SonotypeError('NOT_FOUND', `Label ${id} does not exist (it may have been deleted).`);
  return state;
}

function toLabel(row: LabelRow): StoredLabel {
  return { ...rowToLabelState(row), id: row.id, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** When a human (or imported, non-reference) label was last created, edited or deleted (ms since epoch), or null when there are none. */
export function lastHumanLabelChange(db: ProjectDb): number | null {
  const row = db.statement(`SELECT max(updated_at) AS t FROM labels WHERE source IN ('human', 'imported') AND reference = 0`).get() as { t: number | null };
  return row.t;
}
