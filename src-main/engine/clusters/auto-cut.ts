/**
 * Choosing where to cut when nobody said (no k, distance, percentile or
 * preset): the mean silhouette of the partitions into k = 2 … min(n/2, 60)
 * clusters under the run's own distances, and then the LARGEST k whose
 * silhouette is within 0.05 of the best. The silhouette curve is flat near its
 * top; taking the finest partition there splits rather than lumps, which on
 * the dev sets recovers the number of types (7 of 7, 7 of 9 — the best k
 * alone gave 5 and 6; `npm run bench -- cluster_ari`). Silhouettes are scored
 * on an evenly spaced sample of at most 1,500 regions, so large runs stay
 * fast (O(sample · n) per candidate).
 */
import { cutIntoCount, type FlatClusters } from './cut';
import type { Dendrogram } from './linkage';
import { meanSilhouette } from './quality';

/** How far below the best silhouette a finer partition may be and still be chosen. */
export const SILHOUETTE_TOLERANCE = 0.05;

export interface AutoCut {
  flat: FlatClusters;
  k: number;
  silhouette: number;
  /** The best silhouette over the candidates (at its own k). */
  bestSilhouette: number;
}

export function chooseAutoCut(tree: Dendrogram, condensed: Float32Array, minClusterSize: number): AutoCut {
  const n = tree.n;
  if (n < 3) {
    const flat = cutIntoCount(tree, 1, minClusterSize);
    return { flat, k: 1, silhouette: Number.NaN, bestSilhouette: Number.NaN };
  }
  const maxK = Math.max(2, Math.min(Math.floor(n / 2), 60));
  const candidates: { k: number; flat: FlatClusters; s: number }[] = [];
  for (let k = 2; k <= maxK; k++) {
    const flat = cutIntoCount(tree, k, minClusterSize);
    candidates.push({ k, flat, s: meanSilhouette(condensed, flat.labels, 1500) });
  }
  const best = Math.max(...candidates.map((c) => (Number.isNaN(c.s) ? -Infinity : c.s)));
  const chosen = [...candidates].reverse().find((c) => c.s >= best - SILHOUETTE_TOLERANCE) ?? candidates[0];
  return { flat: chosen.flat, k: chosen.k, silhouette: chosen.s, bestSilhouette: best };
}
