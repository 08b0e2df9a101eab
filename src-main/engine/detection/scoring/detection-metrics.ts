/**
 * Detection scores a researcher can trust: none of them can be passed by one
 * region spanning the whole file.
 *
 * - Onset-F1: predicted sound regions and annotated events are matched one to
 *   one (a maximum bipartite matching, so each event and each region is used
 *   at most once); a pair may match when the predicted onset lies within
 *   max(50 ms, 20 % of the event's length) of the true onset. A file-long
 *   region matches at most the first event.
 * - Overlap F1: the same one-to-one matching, a pair being allowed when the
 *   two intervals overlap at all. Merging two events into one region loses
 *   one of them; splitting one event into two regions adds a false positive.
 * - Balanced accuracy over 10-ms segments: the file is cut into 10-ms
 *   segments; a segment is sound (truth or prediction) when its centre lies
 *   inside an event (region). Balanced accuracy = (sound recall + silence
 *   recall) / 2, so calling everything sound scores 0.5.
 * Counts are returned alongside the ratios so scores over several files are
 * pooled by adding counts (see addDetectionCounts), not by averaging ratios.
 */
import { SonotypeError } from '../../../../src-shared/errors';
import type { TimeInterval } from '../confusion';

export const DEFAULT_ONSET_COLLAR_SECONDS = 0.05;
export const DEFAULT_ONSET_COLLAR_FRACTION = 0.2;
export const DEFAULT_SEGMENT_SECONDS = 0.01;

/** Counts behind the scores of one or more files. */
export interface DetectionCounts {
  events: number;
  predictions: number;
  /** One-to-one onset matches. */
  onsetMatches: number;
  /** One-to-one overlap matches. */
  overlapMatches: number;
  /** Sum of |predicted − true onset| over onset matches (s). */
  onsetErrorSum: number;
  /** 10-ms segments: truth sound & predicted sound, truth sound & predicted silence, … */
  soundAsSound: number;
  soundAsSilence: number;
  silenceAsSilence: number;
  silenceAsSound: number;
}

export interface DetectionScores extends DetectionCounts {
  onsetPrecision: number | null;
  onsetRecall: number | null;
  onsetF1: number | null;
  overlapF1: number | null;
  /** Mean |onset error| of the onset matches, seconds (null when none). */
  meanOnsetErrorSeconds: number | null;
  balancedAccuracy: number | null;
}

export interface MetricOptions {
  /** Onset collar floor (s, default 0.05). */
  onsetCollarSeconds?: number;
  /** Onset collar as a share of the event's length (default 0.2). */
  onsetCollarFraction?: number;
  /** Segment length for balanced accuracy (s, default 0.01). */
  segmentSeconds?: number;
}

function sortIntervals(list: readonly TimeInterval[]): TimeInterval[] {
  for (const x of list) {
    if (!(Number.isFinite(x.startSeconds) && Number.isFinite(x.endSeconds) && x.endSeconds >= x.startSeconds)) {
      throw new SonotypeError('INVALID_ARGUMENT', `Invalid interval [${x.startSeconds}, ${x.endSeconds}]: times must be finite with end ≥ start.`);
    }
  }
  return list.slice().sort((a, b) => a.startSeconds - b.startSeconds || a.endSeconds - b.endSeconds);
}

/**
 * Size of a maximum one-to-one matching between events (left) and
 * predictions (right) where `allowed[e]` lists the predictions event e may
 * take (Kuhn's augmenting paths; the lists are short, sizes are per file).
 * Returns the matched prediction of each event (-1 when none).
 */
function maximumMatching(allowed: readonly number[][], predictions: number): Int32Array {
  const ofPrediction = new Int32Array(predictions).fill(-1);
  const ofEvent = new Int32Array(allowed.length).fill(-1);
  let seen = new Uint32Array(predictions);
  let stamp = 0;
  const augment = (e: number): boolean => {
    for (const p of allowed[e]) {
      if (seen[p] === stamp) continue;
      seen[p] = stamp;
      if (ofPrediction[p] < 0 || augment(ofPrediction[p])) {
        ofPrediction[p] = e;
        ofEvent[e] = p;
        return true;
      }
    }
    return false;
  };
  for (let e = 0; e < allowed.length; e++) {
    stamp++;
    if (stamp === 0xffffffff) {
      seen = new Uint32Array(predictions);
      stamp = 1;
    }
    augment(e);
  }
  return ofEvent;
}

/** Candidate predictions for each event under `accepts`, found by a sweep over sorted starts. */
function candidates(
  events: readonly TimeInterval[],
  predictions: readonly TimeInterval[],
  reach: (e: TimeInterval) => [number, number],
  accepts: (e: TimeInterval, p: TimeInterval) => boolean,
): number[][] {
  const starts = predictions.map((p) => p.startSeconds);
  return events.map((e) => {
    const [lo, hi] = reach(e);
    const out: number[] = [];
    // First prediction whose start is ≥ lo (binary search), then forward while start ≤ hi.
    let a = 0;
    let b = starts.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (starts[m] < lo) a = m + 1;
      else b = m;
    }
    for (let p = a; p < predictions.length && starts[p] <= hi; p++) if (accepts(e, predictions[p])) out.push(p);
    return out;
  });
}

/** Segment counts for balanced accuracy (see the file header). */
function segmentCounts(
  events: readonly TimeInterval[],
  predictions: readonly TimeInterval[],
  durationSeconds: number,
  segmentSeconds: number,
): Pick<DetectionCounts, 'soundAsSound' | 'soundAsSilence' | 'silenceAsSilence' | 'silenceAsSound'> {
  const n = Math.max(0, Math.round(durationSeconds / segmentSeconds));
  const paint = (list: readonly TimeInterval[]): Uint8Array => {
    const mask = new Uint8Array(n);
    for (const x of list) {
      // Segment i's centre (i + 0.5)·seg lies in [start, end).
      const from = Math.max(0, Math.ceil(x.startSeconds / segmentSeconds - 0.5));
      const to = Math.min(n, Math.ceil(x.endSeconds / segmentSeconds - 0.5));
      for (let i = from; i < to; i++) mask[i] = 1;
    }
    return mask;
  };
  const truth = paint(events);
  const predicted = paint(predictions);
  const c = { soundAsSound: 0, soundAsSilence: 0, silenceAsSilence: 0, silenceAsSound: 0 };
  for (let i = 0; i < n; i++) {
    if (truth[i]) {
      if (predicted[i]) c.soundAsSound++;
      else c.soundAsSilence++;
    } else if (predicted[i]) c.silenceAsSound++;
    else c.silenceAsSilence++;
  }
  return c;
}

/**
 * Counts for one file: `predictions` are the sound regions, `events` the
 * annotated sounds, `durationSeconds` the file's length.
 */
export function detectionCounts(
  predictions: readonly TimeInterval[],
  events: readonly TimeInterval[],
  durationSeconds: number,
  options: MetricOptions = {},
): DetectionCounts {
  const collar = options.onsetCollarSeconds ?? DEFAULT_ONSET_COLLAR_SECONDS;
  const fraction = options.onsetCollarFraction ?? DEFAULT_ONSET_COLLAR_FRACTION;
  const segment = options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  if (!(collar >= 0 && fraction >= 0 && segment > 0)) throw new SonotypeError('INVALID_ARGUMENT', 'Collars must be ≥ 0 and the segment length > 0.');
  if (!(durationSeconds >= 0)) throw new SonotypeError('INVALID_ARGUMENT', `The file length must be ≥ 0 s (got ${durationSeconds}).`);
  const ev = sortIntervals(events);
  const pr = sortIntervals(predictions);
  const tolerance = (e: TimeInterval) => Math.max(collar, fraction * (e.endSeconds - e.startSeconds));
  const onsetAllowed = candidates(
    ev, pr,
    (e) => [e.startSeconds - tolerance(e), e.startSeconds + tolerance(e)],
    (e, p) => Math.abs(p.startSeconds - e.startSeconds) <= tolerance(e),
  );
  const longest = pr.reduce((m, p) => Math.max(m, p.endSeconds - p.startSeconds), 0);
  const overlapAllowed = candidates(
    ev, pr,
    (e) => [e.startSeconds - longest, e.endSeconds],
    (e, p) => Math.min(e.endSeconds, p.endSeconds) > Math.max(e.startSeconds, p.startSeconds),
  );
  const onset = maximumMatching(onsetAllowed, pr.length);
  const overlap = maximumMatching(overlapAllowed, pr.length);
  let onsetMatches = 0;
  let onsetErrorSum = 0;
  onset.forEach((p, e) => {
    if (p < 0) return;
    onsetMatches++;
    onsetErrorSum += Math.abs(pr[p].startSeconds - ev[e].startSeconds);
  });
  return {
    events: ev.length,
    predictions: pr.length,
    onsetMatches,
    overlapMatches: overlap.reduce((s, p) => s + (p >= 0 ? 1 : 0), 0),
    onsetErrorSum,
    ...segmentCounts(ev, pr, durationSeconds, segment),
  };
}

/** Adds the counts of several files (scores over a set are pooled this way). */
export function addDetectionCounts(list: readonly DetectionCounts[]): DetectionCounts {
  const keys: (keyof DetectionCounts)[] = [
    'events', 'predictions', 'onsetMatches', 'overlapMatches', 'onsetErrorSum',
    'soundAsSound', 'soundAsSilence', 'silenceAsSilence', 'silenceAsSound',
  ];
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as unknown as DetectionCounts;
  for (const c of list) for (const k of keys) out[k] += c[k];
  return out;
}

function f1(matches: number, predictions: number, events: number): number | null {
  if (predictions + events === 0) return null;
  return (2 * matches) / (predictions + events);
}

/** Ratios from counts (null where a ratio has no denominator). */
export function scoresFromCounts(c: DetectionCounts): DetectionScores {
  const soundTotal = c.soundAsSound + c.soundAsSilence;
  const silenceTotal = c.silenceAsSilence + c.silenceAsSound;
  const recalls = [soundTotal ? c.soundAsSound / soundTotal : null, silenceTotal ? c.silenceAsSilence / silenceTotal : null].filter(
    (x): x is number => x !== null,
  );
  return {
    ...c,
    onsetPrecision: c.predictions ? c.onsetMatches / c.predictions : null,
    onsetRecall: c.events ? c.onsetMatches / c.events : null,
    onsetF1: f1(c.onsetMatches, c.predictions, c.events),
    overlapF1: f1(c.overlapMatches, c.predictions, c.events),
    meanOnsetErrorSeconds: c.onsetMatches ? c.onsetErrorSum / c.onsetMatches : null,
    balancedAccuracy: recalls.length ? recalls.reduce((s, x) => s + x, 0) / recalls.length : null,
  };
}

/** Scores of one file (see detectionCounts). */
export function scoreDetections(
  predictions: readonly TimeInterval[],
  events: readonly TimeInterval[],
  durationSeconds: number,
  options: MetricOptions = {},
): DetectionScores {
  return scoresFromCounts(detectionCounts(predictions, events, durationSeconds, options));
}
