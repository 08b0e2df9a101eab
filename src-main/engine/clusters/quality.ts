/**
 * Clustering quality against human labels, and the silhouette used to choose
 * an automatic cut:
 * - adjusted Rand index (Hubert & Arabie): 1 = the partitions agree, ≈ 0 = chance;
 * - leave-one-out 1-nearest-neighbour accuracy under the distance matrix: how
 *   well the representation separates the types at all, independent of the cut;
 * - mean silhouette (Rousseeuw) of a partition under a distance matrix.
 */
import { SonotypeError } from '../../../src-shared/errors';
import { condensedIndex, itemCountOf } from './condensed';
import { UNCLUSTERED } from './cut';

/**
 * Adjusted Rand index between two labelings of the same items. Items left
 * unclustered (UNCLUSTERED in `predicted`) each count as a cluster of their own.
 */
export function adjustedRandIndex(truth: ArrayLike<string | number>, predicted: ArrayLike<number>): number {
  const n = truth.length;
  if (predicted.length !== n) throw new SonotypeError('INVALID_ARGUMENT', `Label counts differ (${n} vs ${predicted.length}).`);
  if (n < 2) return 1;
  const predKey = (i: number) => (predicted[i] === UNCLUSTERED ? `solo${i}` : String(predicted[i]));
  const table = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const t = String(truth[i]);
    const p = predKey(i);
    table.set(`${t}\u0000${p}`, (table.get(`${t}\u0000${p}`) ?? 0) + 1);
    rows.set(t, (rows.get(t) ?? 0) + 1);
    cols.set(p, (cols.get(p) ?? 0) + 1);
  }
  const choose2 = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of table.values()) index += choose2(v);
  let a = 0;
  for (const v of rows.values()) a += choose2(v);
  let b = 0;
  for (const v of cols.values()) b += choose2(v);
  const expected = (a * b) / choose2(n);
  const max = (a + b) / 2;
  if (max === expected) return 1; // both partitions trivial and identical in structure
  return (index - expected) / (max - expected);
}

/** Leave-one-out 1-NN accuracy: the share of items whose nearest other item has the same label. */
export function nearestNeighbourAccuracy(condensed: Float32Array, truth: ArrayLike<string | number>): number {
  const n = itemCountOf(condensed);
  if (truth.length !== n) throw new SonotypeError('INVALID_ARGUMENT', `Label count ${truth.length} does not match ${n} items.`);
  if (n < 2) return Number.NaN;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = condensed[condensedIndex(n, i, j)];
      if (d < bestD || best < 0) {
        bestD = d;
        best = j;
      }
    }
    if (String(truth[best]) === String(truth[i])) correct++;
  }
  return correct / n;
}

/**
 * Mean silhouette of the clustered items (UNCLUSTERED ones and singletons
 * score 0, as in scikit-learn). `sample` limits the items scored (evenly
 * spaced) so large sets stay O(sample · n).
 */
export function meanSilhouette(condensed: Float32Array, labels: Int32Array, sample = Infinity): number {
  const n = itemCountOf(condensed);
  let k = 0;
  for (let i = 0; i < n; i++) k = Math.max(k, labels[i] + 1);
  if (k < 2) return Number.NaN;
  const size = new Int32Array(k);
  for (let i = 0; i < n; i++) if (labels[i] >= 0) size[labels[i]]++;
  const step = Math.max(1, Math.floor(n / Math.min(n, sample)));
  const sums = new Float64Array(k);
  let total = 0;
  let scored = 0;
  for (let i = 0; i < n; i += step) {
    scored++;
    const own = labels[i];
    if (own < 0 || size[own] < 2) continue;
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i || labels[j] < 0) continue;
      sums[labels[j]] += Math.min(condensed[condensedIndex(n, i, j)], Number.MAX_VALUE);
    }
    const a = sums[own] / (size[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && size[c] > 0) b = Math.min(b, sums[c] / size[c]);
    if (!Number.isFinite(b)) continue;
    const denominator = Math.max(a, b);
    total += denominator > 0 ? (b - a) / denominator : 0;
  }
  return total / scored;
}
