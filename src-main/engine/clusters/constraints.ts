/**
 * Hand-set types shape the next clustering through constraints on the
 * distance matrix (measured against a nearest-exemplar rule and the type head
 * on the dev sets; `npm run bench -- cluster_ari`):
 * - cannot-link: regions a person gave different types are infinitely far,
 *   so no cluster ever holds two of a person's types;
 * - must-link: regions of the same type are at distance 0.
 * The cut then stops below the first merge that would break a constraint
 * (`constrainedCut`), unless a cut was asked for explicitly.
 *
 * For syllables (no per-region normalisation) the constrained tree is built on
 * DTW and summary-vector distances together (`typedTreeDistances`): with one
 * example per type, DTW alone let a sub-group of one finch syllable join the
 * typed example of another in 3 of 5 draws, which the syllables' overall
 * spectrum and level (mean and spread of each coefficient) tell apart.
 */
import { condensedIndex } from './condensed';
import type { TypedDistances } from './cluster-settings';
import { cutAtDistance, type FlatClusters } from './cut';
import type { Dendrogram } from './linkage';

/** Applies the constraints in place; returns how many pairs they changed. */
export function applyTypeConstraints(condensed: Float32Array, n: number, types: readonly (string | null)[]): number {
  const labelled: number[] = [];
  types.forEach((t, i) => {
    if (t !== null) labelled.push(i);
  });
  let changed = 0;
  for (let a = 0; a < labelled.length; a++) {
    for (let b = a + 1; b < labelled.length; b++) {
      const i = labelled[a];
      const j = labelled[b];
      condensed[condensedIndex(n, i, j)] = types[i] === types[j] ? 0 : Infinity;
      changed++;
    }
  }
  return changed;
}

/** Number of distinct hand-set types. */
export function typeCount(types: readonly (string | null)[]): number {
  return new Set(types.filter((t) => t !== null)).size;
}

/**
 * The partition just below the first infinite merge: every cluster holds at
 * most one of the person's types, and everything that can join a typed
 * cluster without breaking a constraint has joined it.
 */
export function constrainedCut(tree: Dendrogram, minClusterSize: number): FlatClusters {
  let highest = 0;
  for (const h of tree.height) if (Number.isFinite(h) && h > highest) highest = h;
  return cutAtDistance(tree, highest, minClusterSize);
}

/** Pairs sampled (evenly) for each median: exact up to this many pairs. */
const MEDIAN_PAIRS = 100_000;

/**
 * The distances a person's types constrain (before `applyTypeConstraints`): as measured, or, for
 * 'with-summary', the measured distance over its median plus the Euclidean distance of the regions'
 * summary vectors (`summaries`: n rows, each standardised over all n regions) over its median, so both
 * views count equally whatever their units. Without summaries (none stored) the distances stay as measured.
 * Returns a new matrix; `condensed` is left as it is.
 */
export function typedTreeDistances(
  condensed: Float32Array, n: number, mode: TypedDistances, summaries: Float32Array | null,
): { matrix: Float32Array; used: TypedDistances } {
  if (mode === 'as-measured' || !summaries || summaries.length === 0 || summaries.length % n !== 0) {
    return { matrix: Float32Array.from(condensed), used: 'as-measured' };
  }
  const dim = summaries.length / n;
  const z = standardisedRows(summaries, n, dim);
  const pairs = condensed.length;
  // The summary distances first, then (in place) the sum, so a large run holds one extra matrix, not two.
  const matrix = new Float32Array(pairs);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) {
        const diff = z[i * dim + d] - z[j * dim + d];
        sum += diff * diff;
      }
      matrix[k] = Math.sqrt(sum);
    }
  }
  const measuredScale = sampledMedian(condensed);
  const summaryScale = sampledMedian(matrix);
  for (let p = 0; p < pairs; p++) {
    matrix[p] = condensed[p] / (measuredScale || 1) + matrix[p] / (summaryScale || 1);
  }
  return { matrix, used: 'with-summary' };
}

/** Each column standardised to mean 0 and spread 1 over all rows (a constant column becomes 0). */
function standardisedRows(data: Float32Array, n: number, dim: number): Float64Array {
  const z = new Float64Array(n * dim);
  for (let d = 0; d < dim; d++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * dim + d] / n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (data[i * dim + d] - mean) ** 2 / n;
    const scale = 1 / (Math.sqrt(variance) + 1e-6);
    for (let i = 0; i < n; i++) z[i * dim + d] = (data[i * dim + d] - mean) * scale;
  }
  return z;
}

/** The median of the finite values, over an even sample of at most MEDIAN_PAIRS of them. */
function sampledMedian(values: Float32Array): number {
  const stride = Math.max(1, Math.ceil(values.length / MEDIAN_PAIRS));
  const sample: number[] = [];
  for (let p = 0; p < values.length; p += stride) if (Number.isFinite(values[p])) sample.push(values[p]);
  if (sample.length === 0) return 1;
  sample.sort((a, b) => a - b);
  return sample[sample.length >> 1];
}
