/**
 * Flat clusters from a stored dendrogram: cut by distance, by number of
 * clusters, or by a percentile of the pairwise distances (the seeds' "tight"
 * and "loose" presets). Cutting replays the sorted merges with a union-find,
 * O(n α(n)), so moving the cut never recomputes distances.
 */
import type { CLUSTER_CHOICES } from '../../../src-shared/cluster-types';
import { SonotypeError } from '../../../src-shared/errors';
import type { Dendrogram, Linkage } from './linkage';

/** Label of items that belong to no cluster (their cluster is smaller than the minimum size). */
export const UNCLUSTERED = -1;

/** Where to cut: a distance, a cluster count, or a percentile (0–100) of the pairwise distances. */
export type CutSpec = { kind: 'distance'; distance: number } | { kind: 'count'; k: number } | { kind: 'percentile'; percentile: number };

/** The seeds' presets (ORIGINAL_PIPELINE.md §4). */
export const CLUSTER_PRESETS = {
  /** `agglomerative_dtw_tight`: complete linkage cut at the 1st percentile, clusters of ≥ 2. */
  tight: { linkage: 'complete', cut: { kind: 'percentile', percentile: 1 }, minClusterSize: 2 },
  /** The loose variant: average linkage at the 10th percentile, clusters of more than 3. */
  loose: { linkage: 'average', cut: { kind: 'percentile', percentile: 10 }, minClusterSize: 4 },
} as const satisfies Record<ClusterPreset, { linkage: Linkage; cut: CutSpec; minClusterSize: number }>;
export type ClusterPreset = (typeof CLUSTER_CHOICES.preset)[number];

/** A flat clustering: cluster index per item (0 = largest cluster) or UNCLUSTERED. */
export interface FlatClusters {
  labels: Int32Array;
  /** Number of clusters (labels 0 … count − 1). */
  count: number;
  /** The distance the hierarchy was cut at (merges at or below it were applied). */
  distance: number;
}

/**
 * Cuts at a distance: items end up together when merges of height ≤ distance
 * join them. Clusters smaller than `minClusterSize` become UNCLUSTERED.
 */
export function cutAtDistance(tree: Dendrogram, distance: number, minClusterSize = 1): FlatClusters {
  if (Number.isNaN(distance)) throw new SonotypeError('INVALID_ARGUMENT', 'The cut distance must be a number.');
  let applied = 0;
  while (applied < tree.height.length && tree.height[applied] <= distance) applied++;
  return flatten(tree, applied, minClusterSize, distance);
}

/** Cuts into k clusters (before the minimum size is applied): the first n − k merges. */
export function cutIntoCount(tree: Dendrogram, k: number, minClusterSize = 1): FlatClusters {
  if (!Number.isInteger(k) || k < 1) throw new SonotypeError('INVALID_ARGUMENT', `The number of clusters must be a whole number ≥ 1 (got ${k}).`);
  const applied = Math.max(0, tree.n - Math.min(k, Math.max(1, tree.n)));
  const distance = applied > 0 ? tree.height[applied - 1] : 0;
  return flatten(tree, applied, minClusterSize, distance);
}

/**
 * Applies a cut spec. `quantile(q)` must give the q-quantile (0…1) of the
 * pairwise distances the tree was built from.
 */
export function cutTree(tree: Dendrogram, spec: CutSpec, minClusterSize: number, quantile: (q: number) => number): FlatClusters {
  switch (spec.kind) {
    case 'distance':
      return cutAtDistance(tree, spec.distance, minClusterSize);
    case 'count':
      return cutIntoCount(tree, spec.k, minClusterSize);
    case 'percentile':
      if (!(spec.percentile >= 0 && spec.percentile <= 100)) {
        throw new SonotypeError('INVALID_ARGUMENT', `The cut percentile must lie in 0…100 (got ${spec.percentile}).`);
      }
      return cutAtDistance(tree, quantile(spec.percentile / 100), minClusterSize);
  }
}

/** Applies the first `applied` merges and numbers the resulting clusters, largest first. */
function flatten(tree: Dendrogram, applied: number, minClusterSize: number, distance: number): FlatClusters {
  const n = tree.n;
  const root = unionFirstMerges(tree, applied);
  const sizeOf = new Map<number, number>();
  const firstOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = root[i];
    sizeOf.set(r, (sizeOf.get(r) ?? 0) + 1);
    if (!firstOf.has(r)) firstOf.set(r, i);
  }
  const kept = [...sizeOf.keys()].filter((r) => sizeOf.get(r)! >= minClusterSize);
  kept.sort((a, b) => sizeOf.get(b)! - sizeOf.get(a)! || firstOf.get(a)! - firstOf.get(b)!);
  const index = new Map(kept.map((r, i) => [r, i]));
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = index.get(root[i]) ?? UNCLUSTERED;
  return { labels, count: kept.length, distance };
}

/** Root item of each item after replaying merges 0 … applied − 1. */
function unionFirstMerges(tree: Dendrogram, applied: number): Int32Array {
  const n = tree.n;
  const parent = new Int32Array(n).map((_, i) => i);
  // Any item of the cluster formed by merge k (its representative).
  const representative = new Int32Array(Math.max(0, n - 1));
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const itemOf = (id: number) => (id < n ? id : representative[id - n]);
  for (let k = 0; k < applied; k++) {
    const a = find(itemOf(tree.left[k]));
    const b = find(itemOf(tree.right[k]));
    parent[b] = a;
    representative[k] = a;
  }
  for (let k = applied; k < n - 1; k++) representative[k] = itemOf(tree.left[k]);
  const root = new Int32Array(n);
  for (let i = 0; i < n; i++) root[i] = find(i);
  return root;
}

/**
 * Splits a set of items in two along the hierarchy: the tree's merges are
 * replayed on these items only, until they form two groups. Returns the two
 * groups (the one holding the first item first); a set of fewer than two
 * items cannot be split.
 */
export function splitAlongTree(tree: Dendrogram, items: readonly number[]): [number[], number[]] {
  if (items.length < 2) throw new SonotypeError('INVALID_ARGUMENT', 'A cluster needs at least two members to be split.');
  const n = tree.n;
  const inSet = new Uint8Array(n);
  for (const i of items) {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new SonotypeError('INVALID_ARGUMENT', `Item ${i} is not part of this clustering.`);
    inSet[i] = 1;
  }
  // Each tree node's representative among the set (or −1), built bottom-up.
  const repOf = new Int32Array(Math.max(0, n - 1)).fill(-1);
  const parent = new Int32Array(n).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const nodeRep = (id: number) => (id < n ? (inSet[id] ? id : -1) : repOf[id - n]);
  let groups = new Set(items).size;
  for (let k = 0; k < n - 1 && groups > 2; k++) {
    const a = nodeRep(tree.left[k]);
    const b = nodeRep(tree.right[k]);
    if (a >= 0 && b >= 0) {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) {
        parent[rb] = ra;
        groups--;
      }
    }
    repOf[k] = a >= 0 ? a : b;
  }
  const first = find(items[0]);
  const one: number[] = [];
  const two: number[] = [];
  for (const i of items) (find(i) === first ? one : two).push(i);
  return [one, two];
}
