/**
 * Window-level evaluation of a silence detector against annotated events.
 *
 * Annotations mark *sounds* (events); everything else is silence. A window's
 * truth is "not silence" when it overlaps an event by more than zero seconds
 * and by at least `minOverlapSeconds` (default 0: any positive overlap, so a
 * window touching an event only at a boundary point is still silence).
 * Overlap is measured with each event separately, in seconds, using the
 * window's exact native span.
 *
 * The confusion matrix has truth rows and prediction columns, index 0 = not
 * silence, 1 = silence — the original's v4.0 plot mislabelled its rows
 * (ORIGINAL_PIPELINE.md §3), so the layout is fixed here and printed with
 * labels by formatConfusionMatrix.
 */
import { formatPercent } from '../../../src-shared/format';
import { SonotypeError } from '../../../src-shared/errors';

/** A time interval in seconds, [startSeconds, endSeconds). */
export interface TimeInterval {
  startSeconds: number;
  endSeconds: number;
}

export const CLASS_NAMES = ['not silence', 'silence'] as const;

export interface ConfusionMatrix {
  /** counts[truth][predicted]; index 0 = not silence (sound), 1 = silence. */
  counts: [[number, number], [number, number]];
}

export interface WindowTruthOptions {
  /** Minimum overlap (s) with one event for a window to count as not silence; default 0 (any positive overlap). */
  minOverlapSeconds?: number;
}

/**
 * Truth per window: true = silence (overlaps no event by the rule above).
 * Runs in O((windows + events) · active events) with a sweep, so long files
 * with thousands of events stay fast.
 */
export function windowTruthSilence(
  windows: readonly TimeInterval[],
  events: readonly TimeInterval[],
  opts: WindowTruthOptions = {},
): boolean[] {
  const minOverlap = opts.minOverlapSeconds ?? 0;
  if (!(minOverlap >= 0)) throw new SonotypeError('INVALID_ARGUMENT', `minOverlapSeconds must be ≥ 0 (got ${minOverlap}).`);
  const sortedEvents = events.slice().sort((a, b) => a.startSeconds - b.startSeconds);
  const order = windows.map((_, i) => i).sort((a, b) => windows[a].startSeconds - windows[b].startSeconds);
  const silent = new Array<boolean>(windows.length).fill(true);
  let next = 0;
  let active: TimeInterval[] = [];
  for (const i of order) {
    const w = windows[i];
    while (next < sortedEvents.length && sortedEvents[next].startSeconds < w.endSeconds) active.push(sortedEvents[next++]);
    // Window starts only grow, so an event ending before this start is done for good.
    active = active.filter((e) => e.endSeconds > w.startSeconds);
    for (const e of active) {
      const overlap = Math.min(e.endSeconds, w.endSeconds) - Math.max(e.startSeconds, w.startSeconds);
      if (overlap > 0 && overlap >= minOverlap) {
        silent[i] = false;
        break;
      }
    }
  }
  return silent;
}

/** Counts truth/prediction pairs (true = silence). */
export function confusionMatrix(truthSilent: readonly boolean[], predictedSilent: readonly boolean[]): ConfusionMatrix {
  if (truthSilent.length !== predictedSilent.length) {
    throw new SonotypeError(
      'INVALID_ARGUMENT',
      `Cannot compare ${truthSilent.length} truth labels with ${predictedSilent.length} predictions: the counts must match.`,
    );
  }
  const m: ConfusionMatrix = { counts: [[0, 0], [0, 0]] };
  for (let i = 0; i < truthSilent.length; i++) m.counts[truthSilent[i] ? 1 : 0][predictedSilent[i] ? 1 : 0]++;
  return m;
}

/** Element-wise sum (e.g. over the recordings of a test split). */
export function addConfusionMatrices(...matrices: ConfusionMatrix[]): ConfusionMatrix {
  const out: ConfusionMatrix = { counts: [[0, 0], [0, 0]] };
  for (const m of matrices) for (const t of [0, 1]) for (const p of [0, 1]) out.counts[t][p] += m.counts[t][p];
  return out;
}

export interface ConfusionSummary {
  total: number;
  accuracy: number | null;
  /** Mean of the per-class recalls over the classes present in the truth (0.5 for any constant predictor). */
  balancedAccuracy: number | null;
  /** Per class (index as in counts): share of truth windows of that class predicted as it. */
  recall: [number | null, number | null];
  /** Per class: share of windows predicted as that class that truly are. */
  precision: [number | null, number | null];
}

function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

/** Accuracy, balanced accuracy, per-class recall and precision; null where a denominator is 0. */
export function summariseConfusion(m: ConfusionMatrix): ConfusionSummary {
  const c = m.counts;
  const total = c[0][0] + c[0][1] + c[1][0] + c[1][1];
  const recall: [number | null, number | null] = [ratio(c[0][0], c[0][0] + c[0][1]), ratio(c[1][1], c[1][0] + c[1][1])];
  const precision: [number | null, number | null] = [ratio(c[0][0], c[0][0] + c[1][0]), ratio(c[1][1], c[0][1] + c[1][1])];
  const present = recall.filter((r): r is number => r !== null);
  return {
    total,
    accuracy: ratio(c[0][0] + c[1][1], total),
    balancedAccuracy: present.length ? present.reduce((s, r) => s + r, 0) / present.length : null,
    recall,
    precision,
  };
}


/**
 * The matrix as a text table with labelled truth rows and predicted columns,
 * per-class recall (right) and precision (bottom), e.g.
 *
 *                    predicted: not silence   silence   recall
 *   truth not silence                    12         3    80.0%
 *   truth silence                         2        40    95.2%
 *   precision                         85.7%     93.0%
 *   accuracy 91.2%, balanced accuracy 87.6%, 57 windows
 */
export function formatConfusionMatrix(m: ConfusionMatrix, title?: string): string {
  const s = summariseConfusion(m);
  const rowLabels = CLASS_NAMES.map((n) => `truth ${n}`);
  const labelWidth = Math.max('predicted:'.length, ...rowLabels.map((l) => l.length), 'precision'.length);
  const colWidth = Math.max(...CLASS_NAMES.map((n) => n.length), ...m.counts.flat().map((n) => String(n).length)) + 2;
  const cell = (v: string): string => v.padStart(colWidth);
  const lines: string[] = [];
  if (title) lines.push(title);
  lines.push(`${'predicted:'.padEnd(labelWidth)}${CLASS_NAMES.map(cell).join('')}${'recall'.padStart(9)}`);
  for (const t of [0, 1]) {
    lines.push(`${rowLabels[t].padEnd(labelWidth)}${m.counts[t].map((n) => cell(String(n))).join('')}${formatPercent(s.recall[t]).padStart(9)}`);
  }
  lines.push(`${'precision'.padEnd(labelWidth)}${s.precision.map((x) => cell(formatPercent(x))).join('')}`);
  lines.push(`accuracy ${formatPercent(s.accuracy)}, balanced accuracy ${formatPercent(s.balancedAccuracy)}, ${s.total} windows`);
  return lines.join('\n');
}
