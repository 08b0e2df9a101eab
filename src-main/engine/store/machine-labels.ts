/**
 * Labels produced by models and heuristics, and the precedence rule that
 * keeps them from overriding people: human (and imported) > model >
 * heuristic. A lower-precedence label only counts where no higher-precedence
 * label lies. Reference labels (truth for evaluation) take no part.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { insertLabelRow, listLabels, newLabelState, requireRecording, validateLabelState, type LabelSource, type StoredLabel } from './labels';

export interface MachineLabelInput {
  startSample: number;
  endSample: number;
  value: string;
}

/** The precedence tiers: imported labels (not references) count as people's. */
export type LabelTier = 'human' | 'model' | 'heuristic';

/** A piece of a label as it counts after precedence is applied. */
export interface EffectiveLabel {
  labelId: number;
  startSample: number;
  endSample: number;
  value: string;
  /** The label's precedence tier ('human' for imported labels too). */
  source: LabelTier;
}

const PRECEDENCE: readonly LabelTier[] = ['human', 'model', 'heuristic'];

/** The tier a label counts in, or null for a reference label (it only scores, it never trains or overrides). */
export function labelTier(label: Pick<StoredLabel, 'source' | 'reference'>): LabelTier | null {
  if (label.reference) return null;
  return label.source === 'imported' ? 'human' : label.source;
}

/**
 * Replaces the `source` labels of a recording with `labels`, clipped so that
 * no part lies under a human label (a label split by one becomes several).
 * Labels of this source that a person has edited (they have history) are kept.
 * Not recorded in the undo history: it is a regeneration, not an edit.
 */
export function upsertMachineLabels(
  db: ProjectDb,
  recordingId: number,
  source: Exclude<LabelSource, 'human'>,
  labels: readonly MachineLabelInput[],
  author: string | null = null,
): { inserted: number; removed: number } {
  if (source !== 'model' && source !== 'heuristic') {
    throw new SonotypeError('INVALID_ARGUMENT', `Machine labels must come from a model or a heuristic, not "${source}".`);
  }
  for (const label of labels) validateLabelState({ ...label, source });
  return db.transaction(() => {
    requireRecording(db, recordingId);
    const removed = db
      .statement(
        `DELETE FROM labels WHERE recording_id = ? AND source = ?
         AND NOT EXISTS (SELECT 1 FROM label_history h WHERE h.label_id = labels.id)`,
      )
      .run(recordingId, source).changes;
    const human = mergeRanges(listLabels(db, recordingId).filter((l) => labelTier(l) === 'human'));
    let inserted = 0;
    for (const label of labels) {
      for (const [startSample, endSample] of subtractRanges(label.startSample, label.endSample, human)) {
        insertLabelRow(db, newLabelState({ recordingId, startSample, endSample, value: label.value, source, author }));
        inserted++;
      }
    }
    return { inserted, removed };
  });
}

/**
 * The labels of a recording as they count: human labels whole, model labels
 * minus everything under human labels, heuristic labels minus everything
 * under human or model labels. Sorted by start sample.
 */
export function effectiveLabels(db: ProjectDb, recordingId: number): EffectiveLabel[] {
  const live = listLabels(db, recordingId);
  const result: EffectiveLabel[] = [];
  let covered: [number, number][] = [];
  for (const source of PRECEDENCE) {
    const tier = live.filter((l) => labelTier(l) === source);
    for (const label of tier) {
      for (const [startSample, endSample] of subtractRanges(label.startSample, label.endSample, covered)) {
        result.push({ labelId: label.id, startSample, endSample, value: label.value, source });
      }
    }
    covered = mergeRanges([...covered.map(([startSample, endSample]) => ({ startSample, endSample })), ...tier]);
  }
  return result.sort((a, b) => a.startSample - b.startSample || a.endSample - b.endSample || a.labelId - b.labelId);
}

/** Sorted, non-overlapping union of ranges (touching ranges are joined). */
function mergeRanges(ranges: readonly { startSample: number; endSample: number }[]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a.startSample - b.startSample);
  const merged: [number, number][] = [];
  for (const { startSample, endSample } of sorted) {
    const last = merged[merged.length - 1];
    if (last && startSample <= last[1]) last[1] = Math.max(last[1], endSample);
    else merged.push([startSample, endSample]);
  }
  return merged;
}

/** Parts of [start, end) outside the merged `covers`. */
function subtractRanges(start: number, end: number, covers: readonly [number, number][]): [number, number][] {
  // First cover that ends after `start` (covers are sorted and disjoint).
  let lo = 0;
  let hi = covers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (covers[mid][1] <= start) lo = mid + 1;
    else hi = mid;
  }
  const pieces: [number, number][] = [];
  let cursor = start;
  for (let i = lo; i < covers.length && covers[i][0] < end; i++) {
    if (covers[i][0] > cursor) pieces.push([cursor, covers[i][0]]);
    cursor = Math.max(cursor, covers[i][1]);
  }
  if (cursor < end) pieces.push([cursor, end]);
  return pieces;
}
