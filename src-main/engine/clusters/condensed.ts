/**
 * Condensed distance matrices: the upper triangle of a symmetric n × n matrix
 * (without the diagonal) as one float32 array of n(n−1)/2 values, in the
 * order of scipy's `pdist` — row i holds d(i, i+1), …, d(i, n−1). 10,000
 * items take 200 MB instead of 800 MB for a full float64 matrix.
 */
import { SonotypeError } from '../../../src-shared/errors';
import { selectKth } from '../util/quickselect';

/** Number of pairs among n items. */
export function pairCount(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Largest item count whose condensed matrix fits one typed array (2^31 − 1 elements). */
export const MAX_CONDENSED_ITEMS = 65_535;

/** Position of pair (i, j), i ≠ j, in the condensed array of n items. */
export function condensedIndex(n: number, i: number, j: number): number {
  if (i > j) [i, j] = [j, i];
  // Row i starts after rows 0 … i−1, which hold (n−1) + (n−2) + … + (n−i) values.
  return i * n - (i * (i + 1)) / 2 + (j - i - 1);
}

/** Offset of row i's first pair (i, i+1). */
export function rowStart(n: number, i: number): number {
  return i * n - (i * (i + 1)) / 2;
}

/** A zero-filled condensed matrix for n items, with a readable error when n is too large. */
export function allocateCondensed(n: number): Float32Array {
  if (!Number.isInteger(n) || n < 0) throw new SonotypeError('INVALID_ARGUMENT', `Item count ${n} is not a whole number ≥ 0.`);
  if (n > MAX_CONDENSED_ITEMS) {
    throw new SonotypeError(
      'INVALID_ARGUMENT',
      `Cannot cluster ${n} regions in one pass: the distance matrix would need ${Math.round((pairCount(n) * 4) / 2 ** 30)} GiB. ` +
        `Cluster at most ${MAX_CONDENSED_ITEMS} regions (filter by recording or length).`,
    );
  }
  return new Float32Array(pairCount(n));
}

/** n from a condensed array's length, or an error when the length is not a triangle number. */
export function itemCountOf(condensed: ArrayLike<number>): number {
  const n = Math.round((1 + Math.sqrt(1 + 8 * condensed.length)) / 2);
  if (pairCount(n) !== condensed.length) {
    throw new SonotypeError('INVALID_ARGUMENT', `A condensed matrix of ${condensed.length} values does not describe a whole number of items.`);
  }
  return n;
}

/**
 * The q-quantile (0 ≤ q ≤ 1, linear interpolation as numpy's default) of the
 * finite values of a condensed matrix. Infinite entries (pairs skipped by a
 * lower bound, known to lie above the ceiling) count as the largest values,
 * so a quantile below the share of finite pairs is exact.
 */
export function quantileOfCondensed(condensed: Float32Array, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new SonotypeError('INVALID_ARGUMENT', `Quantile ${q} must lie in 0…1.`);
  const total = condensed.length;
  if (total === 0) return Number.NaN;
  const finite = new Float32Array(total);
  let k = 0;
  for (let i = 0; i < total; i++) if (Number.isFinite(condensed[i])) finite[k++] = condensed[i];
  const pos = q * (total - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (hi >= k) return Number.POSITIVE_INFINITY;
  const values = finite.subarray(0, k);
  const a = selectKth(values, lo);
  const b = hi === lo ? a : selectKth(values, hi);
  return a + (b - a) * (pos - lo);
}

/**
 * Quantiles q = 0, 1/steps, …, 1 of the pairwise distances in one sort.
 * Above `maxSample` pairs (10,000 items have 50 million) a seeded random
 * sample of that many pairs is sorted instead: the 1st percentile of 4 million
 * samples is within ~0.01 % of rank of the exact one.
 */
export function distanceQuantiles(condensed: Float32Array, steps: number, maxSample = 4_000_000, seed = 1): Float64Array {
  const total = condensed.length;
  let values: Float32Array;
  if (total <= maxSample) {
    values = Float32Array.from(condensed);
  } else {
    values = new Float32Array(maxSample);
    let state = seed >>> 0 || 1;
    for (let i = 0; i < maxSample; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      values[i] = condensed[(state >>> 0) % total];
    }
  }
  values.sort(); // Infinity sorts last
  const out = new Float64Array(steps + 1);
  if (values.length === 0) return out.fill(Number.NaN);
  for (let s = 0; s <= steps; s++) {
    const pos = (s / steps) * (values.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    out[s] = hi === lo || !Number.isFinite(values[hi]) ? values[hi] : values[lo] + (values[hi] - values[lo]) * (pos - lo);
  }
  return out;
}
