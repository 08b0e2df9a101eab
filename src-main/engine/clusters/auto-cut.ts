/**
 * Choosing where to cut when nobody said (no k, distance, percentile or
 * preset): the number of clusters whose partition has the highest mean
 * silhouette under the run's own distances, among k = 2 … min(n/2, 60).
 * Silhouettes are scored on an evenly spaced sample of at most 1,500 regions,
 * so large runs stay fast (O(sample · n) per candidate).
 */
import { cutIntoCount, type FlatClusters } from './cut';
import type { Dendrogram } from './linkage';
import { meanSilhouette } from './quality';

export interface AutoCut {
  flat: FlatClusters;
  k: number;
  silhouette: number;
}

export function chooseAutoCut(tree: Dendrogram, condensed: Float32Array, minClusterSize: number): AutoCut {
  const n = tree.n;
  if (n < 3) {
    const flat = cutIntoCount(tree, 1, minClusterSize);
    return { flat, k: 1, silhouette: Number.NaN };
  }
  const maxK = Math.max(2, Math.min(Math.floor(n / 2), 60));
  let best: AutoCut | null = null;
  for (let k = 2; k <= maxK; k++) {
    const flat = cutIntoCount(tree, k, minClusterSize);
    // Infinite heights: the remaining clusters never merge below the ceiling, no need to look further.
    const s = meanSilhouette(condensed, flat.labels, 1500);
    if (!best || s > best.silhouette) best = { flat, k, silhouette: s };
  }
  return best!;
}
