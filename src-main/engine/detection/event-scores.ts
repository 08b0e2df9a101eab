/**
 * Event-level scores and grouped train/test splits.
 *
 * Matching rule: a predicted sound region matches an annotated event when
 * they overlap by more than zero seconds and their intersection-over-union
 * is ≥ `minIoU` (default 0, i.e. any positive overlap). Counting is
 * many-to-many, as in "any overlap" detection scoring: precision = share of
 * predicted regions that match at least one event, recall = share of events
 * matched by at least one prediction. A long region covering two songs
 * therefore detects both; raise minIoU to penalise such merging.
 *
 * Splits are by recording, never by window: the original's v4.0 split
 * windows at random, so neighbouring windows of one file sat on both sides
 * and the scores leaked (ORIGINAL_PIPELINE.md §3).
 */
import { createRng } from '../util/random';
import { SonotypeError } from '../../../src-shared/errors';
import type { TimeInterval } from './confusion';

export interface EventMatchOptions {
  /** Minimum intersection-over-union for a match; 0 = any positive overlap. */
  minIoU?: number;
}

export interface EventScores {
  predictions: number;
  events: number;
  /** Predictions matching at least one event. */
  matchedPredictions: number;
  /** Events matched by at least one prediction. */
  detectedEvents: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  minIoU: number;
}

/** Intersection over union of two intervals (0 when they do not overlap). */
export function intervalIoU(a: TimeInterval, b: TimeInterval): number {
  const inter = Math.min(a.endSeconds, b.endSeconds) - Math.max(a.startSeconds, b.startSeconds);
  if (inter <= 0) return 0;
  const union = Math.max(a.endSeconds, b.endSeconds) - Math.min(a.startSeconds, b.startSeconds);
  return inter / union;
}

/** Precision/recall of predicted sound regions against annotated events (rule in the file header). */
export function scoreEvents(
  predicted: readonly TimeInterval[],
  events: readonly TimeInterval[],
  opts: EventMatchOptions = {},
): EventScores {
  const minIoU = opts.minIoU ?? 0;
  if (!(minIoU >= 0 && minIoU <= 1)) throw new SonotypeError('INVALID_ARGUMENT', `minIoU must be between 0 and 1 (got ${minIoU}).`);
  const predHit = new Array<boolean>(predicted.length).fill(false);
  const eventHit = new Array<boolean>(events.length).fill(false);
  for (let i = 0; i < predicted.length; i++) {
    for (let j = 0; j < events.length; j++) {
      const iou = intervalIoU(predicted[i], events[j]);
      if (iou > 0 && iou >= minIoU) {
        predHit[i] = true;
        eventHit[j] = true;
      }
    }
  }
  const matchedPredictions = predHit.filter(Boolean).length;
  const detectedEvents = eventHit.filter(Boolean).length;
  const precision = predicted.length ? matchedPredictions / predicted.length : null;
  const recall = events.length ? detectedEvents / events.length : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
  return { predictions: predicted.length, events: events.length, matchedPredictions, detectedEvents, precision, recall, f1, minIoU };
}


export interface GroupedSplit<T> {
  train: T[];
  test: T[];
}

/**
 * Splits recordings (not windows) into train and test. `testFraction` of the
 * distinct ids, rounded, go to test — at least one on each side when there
 * are two or more recordings and 0 < testFraction < 1. The result depends
 * only on the set of ids and the seed, not on their order or repetitions.
 */
export function groupedSplit<T extends string | number>(recordingIds: readonly T[], testFraction: number, seed: number): GroupedSplit<T> {
  if (!(testFraction >= 0 && testFraction <= 1)) {
    throw new SonotypeError('INVALID_ARGUMENT', `The test fraction must be between 0 and 1 (got ${testFraction}).`);
  }
  const ids = [...new Set(recordingIds)].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const rng = createRng(seed);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  let nTest = Math.round(testFraction * ids.length);
  if (ids.length >= 2 && testFraction > 0 && testFraction < 1) nTest = Math.min(ids.length - 1, Math.max(1, nTest));
  return { test: ids.slice(0, nTest), train: ids.slice(nTest) };
}
