/**
 * Compound label edits — split, merge, a batch of new labels (an import) —
 * each one undo step (an edit group), so Ctrl+Z after a split brings back the
 * single label, not half of it, and Ctrl+Z after an import removes all of it.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { recordLabelEdit, withEditGroup } from './label-history';
import { createLabel, deleteLabel, getLabel, insertLabelRow, newLabelState, requireRecording, updateLabel, validateLabelState, type NewLabel, type StoredLabel } from './labels';

function requireLive(db: ProjectDb, id: number): StoredLabel {
  const label = getLabel(db, id);
  if (!label || label.deleted) throw new SonotypeError('NOT_FOUND', `Label ${id} does not exist (it may have been deleted).`);
  return label;
}

/** Splits a label at `atSample` into two labels with the same value and fields. */
export function splitLabel(db: ProjectDb, id: number, atSample: number, author: string | null = null): [StoredLabel, StoredLabel] {
  return withEditGroup(db, () => {
    const label = requireLive(db, id);
    if (!Number.isInteger(atSample) || atSample <= label.startSample || atSample >= label.endSample) {
      throw new SonotypeError('INVALID_ARGUMENT', 'The split point must lie strictly inside the label.');
    }
    const left = updateLabel(db, id, { endSample: atSample }, author);
    // The right half is the same label from atSample on: box, type, annotation, provenance and kept columns too.
    const right = createLabel(db, {
      recordingId: label.recordingId, startSample: atSample, endSample: label.endSample, value: label.value, author,
      lowHz: label.lowHz, highHz: label.highHz, annotation: label.annotation, soundType: label.soundType, confidence: label.confidence,
      sourceTable: label.sourceTable, reference: label.reference, extras: label.extras,
    });
    return [left, right];
  });
}

/**
 * Merges labels of one recording into the first: it spans from the earliest
 * start to the latest end and keeps its value; the others are deleted.
 */
export function mergeLabels(db: ProjectDb, ids: readonly number[], author: string | null = null): StoredLabel {
  if (ids.length < 2) throw new SonotypeError('INVALID_ARGUMENT', 'Choose at least two labels to merge.');
  return withEditGroup(db, () => {
    const labels = ids.map((id) => requireLive(db, id));
    if (new Set(labels.map((l) => l.recordingId)).size !== 1) {
      throw new SonotypeError('INVALID_ARGUMENT', 'Only labels of the same recording can be merged.');
    }
    const [first, ...rest] = labels;
    for (const other of rest) deleteLabel(db, other.id, author);
    return updateLabel(db, first.id, {
      startSample: Math.min(...labels.map((l) => l.startSample)),
      endSample: Math.max(...labels.map((l) => l.endSample)),
    }, author);
  });
}

/**
 * Creates many labels in one transaction as ONE undo step (nothing is
 * written unless all are valid). Returns their ids in input order.
 */
export function createLabels(db: ProjectDb, inputs: readonly NewLabel[]): number[] {
  const states = inputs.map(newLabelState);
  for (const state of states) validateLabelState(state);
  if (states.length === 0) return [];
  return withEditGroup(db, () => {
    const checked = new Set<string>();
    return states.map((state) => {
      const key = `${state.recordingId}:${state.highHz}`;
      if (!checked.has(key)) {
        requireRecording(db, state.recordingId, state.highHz);
        checked.add(key);
      }
      const id = insertLabelRow(db, state);
      recordLabelEdit(db, { op: 'create', labelId: id, before: null, after: state, author: state.author });
      return id;
    });
  });
}
