/**
 * Compound label edits — split and merge — each one undo step (an edit group),
 * so Ctrl+Z after a split brings back the single label, not half of it.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { withEditGroup } from './label-history';
import { createLabel, deleteLabel, getLabel, updateLabel, type StoredLabel } from './labels';

function requireLive(db: ProjectDb, id: number): StoredLabel {
  const label = getLabel(db, id);
  if (!label || label.deleted) throw new SonotypeError('NOT_FOUND', `Label ${id} does not exist (it may have been deleted).`);
  return label;
}

/** Splits a label at `atSample` into two labels with the same value. */
export function splitLabel(db: ProjectDb, id: number, atSample: number, author: string | null = null): [StoredLabel, StoredLabel] {
  return withEditGroup(db, () => {
    const label = requireLive(db, id);
    if (!Number.isInteger(atSample) || atSample <= label.startSample || atSample >= label.endSample) {
      throw new SonotypeError('INVALID_ARGUMENT', 'The split point must lie strictly inside the label.');
    }
    const left = updateLabel(db, id, { endSample: atSample }, author);
    const right = createLabel(db, { recordingId: label.recordingId, startSample: atSample, endSample: label.endSample, value: label.value, author });
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
