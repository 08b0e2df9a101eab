/**
 * Numbers behind the figures: confusion-matrix summaries, colour lookup tables
 * and heatmap pixel layout. Pure functions, so the plots' numbers are tested
 * without a canvas.
 */
import { color } from 'd3';
import type { ConfusionCounts } from '../../../../src-shared/review-types';

export interface ConfusionSummary {
  total: number;
  /** Fraction of all windows classified correctly. */
  accuracy: number | null;
  /** Of the windows predicted silent, the fraction that are silent. */
  silencePrecision: number | null;
  /** Of the silent windows, the fraction predicted silent. */
  silenceRecall: number | null;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** Accuracy, silence precision and recall of a matrix (rows = truth [not silence, silence], columns = prediction). */
export function summarizeConfusion(counts: ConfusionCounts): ConfusionSummary {
  const [[tn, fp], [fn, tp]] = counts;
  const total = tn + fp + fn + tp;
  return { total, accuracy: ratio(tn + tp, total), silencePrecision: ratio(tp, tp + fp), silenceRecall: ratio(tp, tp + fn) };
}

/** A 256-entry RGB lookup table sampled from a d3 interpolator (t in 0…1 → CSS colour). */
export function colorTable(interpolate: (t: number) => string): Uint8ClampedArray {
  const table = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const rgb = color(interpolate(i / 255))?.rgb();
    table[i * 3] = rgb?.r ?? 0;
    table[i * 3 + 1] = rgb?.g ?? 0;
    table[i * 3 + 2] = rgb?.b ?? 0;
  }
  return table;
}

/** Smallest and largest finite value (for a shared colour scale); [0, 1] when there is none. */
export function valueRange(...arrays: ArrayLike<number>[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/**
 * RGBA pixels for a time × frequency grid stored row-major as
 * `values[t * bins + f]`: time runs left to right, frequency bottom to top
 * (like every spectrogram). Values are mapped linearly from `domain` onto the
 * colour table; non-finite values are transparent.
 */
export function timeFrequencyPixels(
  values: ArrayLike<number>, frames: number, bins: number, domain: [number, number], table: Uint8ClampedArray,
): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(frames * bins * 4);
  const [lo, hi] = domain;
  const span = hi > lo ? hi - lo : 1;
  for (let t = 0; t < frames; t++) {
    for (let f = 0; f < bins; f++) {
      const v = values[t * bins + f];
      const p = ((bins - 1 - f) * frames + t) * 4;
      if (!Number.isFinite(v)) continue;
      const k = Math.round(255 * Math.min(1, Math.max(0, (v - lo) / span))) * 3;
      pixels[p] = table[k];
      pixels[p + 1] = table[k + 1];
      pixels[p + 2] = table[k + 2];
      pixels[p + 3] = 255;
    }
  }
  return pixels;
}

/** Mean squared difference between an input and its reconstruction. */
export function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (a[i] - b[i]) ** 2;
  return sum / n;
}
