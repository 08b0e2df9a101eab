/**
 * Dynamic time warping between two frame sequences.
 *
 * - Step pattern "symmetric2": a diagonal step costs twice the frame cost, a
 *   horizontal or vertical step once, so every path from (0,0) to (n−1,m−1)
 *   has total weight n + m. Dividing by n + m ("length normalisation") makes
 *   the distance the weighted mean frame cost along the best path, comparable
 *   between short and long calls (the original divided by n+m or N·M without
 *   this guarantee, ORIGINAL_PIPELINE.md §4).
 * - Frame cost: Euclidean, squared Euclidean, or cosine (1 − a·b on frames
 *   the caller normalised to unit length, see unitNormalised).
 * - Sakoe–Chiba band: cell (i, j) is allowed when |i·(m−1)/(n−1) − j| ≤ w,
 *   a band of half-width w = band · max(n, m) frames (at least 1) around the
 *   rectangle's diagonal, so sequences of different lengths can still align.
 *   Rows run over the longer sequence, which keeps the band connected.
 * - Early abandoning: every path crosses every row, so once a whole row's
 *   cumulative cost exceeds `abandonAbove · (n + m)` the pair cannot fall
 *   under that distance and Infinity is returned.
 */
import { CLUSTER_CHOICES } from '../../../src-shared/cluster-types';
import { SonotypeError } from '../../../src-shared/errors';
import type { SequenceSet } from './sequences';

export const FRAME_COSTS = CLUSTER_CHOICES.cost;
export type FrameCost = (typeof FRAME_COSTS)[number];

export interface DtwOptions {
  cost: FrameCost;
  /** Half-width of the Sakoe–Chiba band as a fraction of the longer sequence (≥ 1 frame); ≥ 1 means no band. */
  band: number;
}

/** Reusable row buffers (one per thread), sized for the longest sequence. */
export class DtwWorkspace {
  prev: Float64Array;
  cur: Float64Array;
  constructor(maxLength = 64) {
    this.prev = new Float64Array(maxLength + 1);
    this.cur = new Float64Array(maxLength + 1);
  }
  ensure(length: number): void {
    if (this.prev.length <= length) {
      this.prev = new Float64Array(2 * length + 1);
      this.cur = new Float64Array(2 * length + 1);
    }
  }
}

export function checkDtwOptions(options: DtwOptions): void {
  if (!FRAME_COSTS.includes(options.cost)) throw new SonotypeError('INVALID_ARGUMENT', `Unknown frame cost "${options.cost}" (use ${FRAME_COSTS.join(', ')}).`);
  if (!(options.band > 0)) throw new SonotypeError('INVALID_ARGUMENT', `The Sakoe–Chiba band must be a fraction > 0 (got ${options.band}).`);
}

/** Cost between frame at data[a…a+dim) and frame at data[b…b+dim). */
function frameCost(data: Float32Array, a: number, b: number, dim: number, cost: FrameCost): number {
  if (cost === 'cosine') {
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += data[a + d] * data[b + d];
    const c = 1 - dot;
    return c > 0 ? c : 0;
  }
  let s = 0;
  let d = 0;
  for (; d + 3 < dim; d += 4) {
    const x0 = data[a + d] - data[b + d];
    const x1 = data[a + d + 1] - data[b + d + 1];
    const x2 = data[a + d + 2] - data[b + d + 2];
    const x3 = data[a + d + 3] - data[b + d + 3];
    s += x0 * x0 + x1 * x1 + x2 * x2 + x3 * x3;
  }
  for (; d < dim; d++) {
    const x = data[a + d] - data[b + d];
    s += x * x;
  }
  return cost === 'euclidean' ? Math.sqrt(s) : s;
}

/**
 * The band's column range of every row, for n rows (the longer sequence) and
 * m columns: lo[row] … hi[row]. Returns the number of cells.
 */
export function bandRanges(n: number, m: number, band: number, lo: Int32Array, hi: Int32Array): number {
  const w = bandHalfWidth(n, m, band);
  const slope = n > 1 ? (m - 1) / (n - 1) : 0;
  let cells = 0;
  for (let row = 0; row < n; row++) {
    const centre = row * slope;
    lo[row] = Math.max(0, Math.ceil(centre - w - 1e-9));
    hi[row] = Math.min(m - 1, Math.floor(centre + w + 1e-9));
    cells += hi[row] - lo[row] + 1;
  }
  return cells;
}

/** Band half-width in frames for sequences of n and m frames. */
export function bandHalfWidth(n: number, m: number, band: number): number {
  return band >= 1 ? Math.max(n, m) : Math.max(1, band * Math.max(n, m));
}

/**
 * Length-normalised DTW distance between sequences i and j of `set` (see the
 * file header), or Infinity when it certainly exceeds `abandonAbove`.
 */
export function dtwDistance(set: SequenceSet, i: number, j: number, options: DtwOptions, ws: DtwWorkspace, abandonAbove = Infinity): number {
  // Rows over the longer sequence: the band's slope is then ≤ 1 and every row's interval touches the next.
  let r = i;
  let c = j;
  if (set.lengths[j] > set.lengths[i]) {
    r = j;
    c = i;
  }
  const n = set.lengths[r];
  const m = set.lengths[c];
  const dim = set.dim;
  const data = set.data;
  const rBase = set.offsets[r] * dim;
  const cBase = set.offsets[c] * dim;
  const cost = options.cost;
  const w = bandHalfWidth(n, m, options.band);
  const slope = n > 1 ? (m - 1) / (n - 1) : 0;
  const limit = abandonAbove * (n + m);
  ws.ensure(m);
  let prev = ws.prev;
  let cur = ws.cur;
  let pLo = 0;
  let pHi = -1;
  for (let row = 0; row < n; row++) {
    const centre = row * slope;
    const lo = Math.max(0, Math.ceil(centre - w - 1e-9));
    const hi = Math.min(m - 1, Math.floor(centre + w + 1e-9));
    const rowAt = rBase + row * dim;
    let rowMin = Infinity;
    let left = Infinity;
    for (let col = lo; col <= hi; col++) {
      const fc = frameCost(data, rowAt, cBase + col * dim, dim, cost);
      let best: number;
      if (row === 0 && col === 0) {
        best = 2 * fc;
      } else {
        const up = col >= pLo && col <= pHi ? prev[col] + fc : Infinity;
        const diag = col - 1 >= pLo && col - 1 <= pHi ? prev[col - 1] + 2 * fc : Infinity;
        const horiz = left + fc;
        best = up < diag ? up : diag;
        if (horiz < best) best = horiz;
      }
      cur[col] = best;
      left = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > limit) return Infinity;
    const t = prev;
    prev = cur;
    cur = t;
    pLo = lo;
    pHi = hi;
  }
  return prev[m - 1] / (n + m);
}
