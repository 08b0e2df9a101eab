/**
 * Classifier inputs: each frame's base features plus its context — how loud
 * the frames around it are (±10, ±40, ±80 ms means; ±20 and ±80 ms maxima;
 * ±20 ms minimum), how it differs from 20 ms before and after (onsets and
 * offsets), and its contrast with the quietest frame within ±200 ms. The
 * context is what lets a frame-level decision see a syllable rather than a
 * single 5-ms slice, while the decision itself stays at one hop.
 */
import { BAND, BASE_DIMS, HEAD_BASE_DIMS, HEAD_BASE_FEATURE_NAMES, PEAK } from './frame-features';

const CONTEXT_SERIES = [PEAK, BAND] as const;
const SERIES_NAMES = ['peak', 'band'];
const MEAN_RADII = [2, 8, 16];
const MAX_RADII = [4, 16];
const MIN_RADIUS = 4;
const STEP = 4;
const CONTRAST_RADIUS = 40;

export const CONTEXT_FEATURE_NAMES: readonly string[] = [
  ...HEAD_BASE_FEATURE_NAMES,
  ...SERIES_NAMES.flatMap((s) => [
    ...MEAN_RADII.map((r) => `${s}Mean${r}`),
    ...MAX_RADII.map((r) => `${s}Max${r}`),
    `${s}Min${MIN_RADIUS}`,
    `${s}Rise${STEP}`,
    `${s}Fall${STEP}`,
  ]),
  `peakContrast${CONTRAST_RADIUS}`,
];
export const CONTEXT_DIMS = CONTEXT_FEATURE_NAMES.length;

/** Centred moving mean over ±radius, truncated at the ends. */
export function movingMean(x: Float32Array, radius: number): Float32Array {
  const n = x.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + x[i];
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - radius);
    const hi = Math.min(n, i + radius + 1);
    out[i] = (prefix[hi] - prefix[lo]) / (hi - lo);
  }
  return out;
}

/** Centred moving maximum (sign 1) or minimum (sign −1) over ±radius, with a monotonic deque (O(n)). */
export function movingExtreme(x: Float32Array, radius: number, sign: 1 | -1): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    const hi = Math.min(n - 1, i + radius);
    while (next <= hi) {
      while (tail > head && sign * x[deque[tail - 1]] <= sign * x[next]) tail--;
      deque[tail++] = next++;
    }
    while (deque[head] < i - radius) head++;
    out[i] = x[deque[head]];
  }
  return out;
}

/** Column `d` of a row-major frames × dims matrix. */
export function column(data: Float32Array, frames: number, dims: number, d: number): Float32Array {
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) out[f] = data[f * dims + d];
  return out;
}

/** The frames × CONTEXT_DIMS classifier matrix of one recording's base features. */
export function contextFeatures(base: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(frames * CONTEXT_DIMS);
  for (let f = 0; f < frames; f++) out.set(base.subarray(f * BASE_DIMS, f * BASE_DIMS + HEAD_BASE_DIMS), f * CONTEXT_DIMS);
  let d = HEAD_BASE_DIMS;
  const put = (values: Float32Array): void => {
    for (let f = 0; f < frames; f++) out[f * CONTEXT_DIMS + d] = values[f];
    d++;
  };
  let peak: Float32Array | null = null;
  for (const s of CONTEXT_SERIES) {
    const x = column(base, frames, BASE_DIMS, s);
    if (s === PEAK) peak = x;
    for (const r of MEAN_RADII) put(movingMean(x, r));
    for (const r of MAX_RADII) put(movingExtreme(x, r, 1));
    put(movingExtreme(x, MIN_RADIUS, -1));
    put(Float32Array.from(x, (v, f) => v - x[Math.max(0, f - STEP)]));
    put(Float32Array.from(x, (v, f) => x[Math.min(frames - 1, f + STEP)] - v));
  }
  const low = movingExtreme(peak!, CONTRAST_RADIUS, -1);
  put(Float32Array.from(peak!, (v, f) => v - low[f]));
  return out;
}
