/**
 * Agglomerative clustering over a condensed distance matrix by the
 * nearest-neighbour chain algorithm: O(n²) time, no memory beyond the matrix
 * (updated in place on a copy) and O(n) bookkeeping. Complete, average,
 * single, weighted and Ward linkage are all "reducible", which is what makes
 * the chain exact: merging reciprocal nearest neighbours in any order gives
 * the same hierarchy as the textbook "merge the closest pair" loop (checked
 * against that loop in linkage.test.ts).
 *
 * The result uses scipy's convention so it can be compared and exported: merge
 * i joins clusters `left[i]` and `right[i]` (ids < n are items, id n + k is
 * the cluster formed by merge k) at `height[i]`, forming `size[i]` items;
 * merges are sorted by height (stable), left < right.
 */
import { CLUSTER_CHOICES } from '../../../src-shared/cluster-types';
import { SonotypeError } from '../../../src-shared/errors';
import { itemCountOf, rowStart } from './condensed';

export const LINKAGES = CLUSTER_CHOICES.linkage;
export type Linkage = (typeof LINKAGES)[number];

/** A dendrogram: n − 1 merges in scipy's linkage-matrix convention (see the file header). */
export interface Dendrogram {
  /** Number of items (leaves). */
  n: number;
  left: Int32Array;
  right: Int32Array;
  height: Float64Array;
  size: Int32Array;
}

export interface LinkageOptions {
  /** Called every ~1 % of merges with (merges done, merges in total); may throw to cancel. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Builds the dendrogram of a condensed matrix. Ward expects Euclidean
 * distances (as scipy's). Infinite distances (pairs a lower bound skipped)
 * are allowed: clusters separated by them merge last, at height Infinity.
 * NaN is refused.
 */
export function linkage(condensed: Float32Array, method: Linkage, options: LinkageOptions = {}): Dendrogram {
  if (!LINKAGES.includes(method)) throw new SonotypeError('INVALID_ARGUMENT', `Unknown linkage "${method}" (use ${LINKAGES.join(', ')}).`);
  const n = itemCountOf(condensed);
  for (let i = 0; i < condensed.length; i++) {
    if (Number.isNaN(condensed[i])) throw new SonotypeError('INVALID_ARGUMENT', `The distance matrix holds NaN at position ${i}.`);
  }
  // A float32 working copy: 10,000 items need 200 MB here rather than 400 MB in float64.
  const merges = nnChain(Float32Array.from(condensed), n, method, options);
  return labelMerges(n, merges);
}

interface RawMerges {
  a: Int32Array;
  b: Int32Array;
  height: Float64Array;
}

function nnChain(d: Float32Array, n: number, method: Linkage, options: LinkageOptions): RawMerges {
  const total = Math.max(0, n - 1);
  const out: RawMerges = { a: new Int32Array(total), b: new Int32Array(total), height: new Float64Array(total) };
  if (n < 2) return out;
  const size = new Float64Array(n).fill(1);
  // Doubly linked list of active items so scans skip merged ones.
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n + 1);
  const HEAD = n;
  for (let i = 0; i <= n; i++) {
    next[i] = i + 1 > n ? HEAD : i + 1;
    prev[i] = i - 1 < 0 ? HEAD : i - 1;
  }
  next[HEAD] = 0;
  prev[0] = HEAD;
  prev[HEAD] = n - 1;
  next[n - 1] = HEAD;
  const rowOf = new Float64Array(n);
  for (let i = 0; i < n; i++) rowOf[i] = rowStart(n, i) - i - 1;
  const at = (i: number, j: number) => (i < j ? rowOf[i] + j : rowOf[j] + i);
  if (method === 'ward') for (let i = 0; i < d.length; i++) d[i] = d[i] * d[i];

  const chain = new Int32Array(n);
  let chainLength = 0;
  const progressEvery = Math.max(1, Math.floor(total / 100));
  for (let k = 0; k < total; k++) {
    if (chainLength === 0) chain[chainLength++] = next[HEAD];
    let x: number;
    let y: number;
    for (;;) {
      x = chain[chainLength - 1];
      // Prefer the previous chain element on ties: that is what makes the chain terminate.
      let best = -1;
      let bestD = Number.POSITIVE_INFINITY;
      if (chainLength > 1) {
        best = chain[chainLength - 2];
        bestD = d[at(x, best)];
      }
      for (let i = next[HEAD]; i !== HEAD; i = next[i]) {
        if (i === x) continue;
        const v = d[at(x, i)];
        if (v < bestD || best === -1) {
          bestD = v;
          best = i;
        }
      }
      y = best;
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) [x, y] = [y, x];
    // x (the lower index) stands for the merged cluster; scipy's labels are assigned afterwards.
    const dxy = d[at(x, y)];
    out.a[k] = x;
    out.b[k] = y;
    out.height[k] = method === 'ward' ? Math.sqrt(dxy) : dxy;
    const sx = size[x];
    const sy = size[y];
    // Remove y from the active list; x becomes the merged cluster.
    next[prev[y]] = next[y];
    prev[next[y]] = prev[y];
    for (let i = next[HEAD]; i !== HEAD; i = next[i]) {
      if (i === x) continue;
      const ix = at(i, x);
      const dix = d[ix];
      const diy = d[at(i, y)];
      d[ix] = updateDistance(method, dix, diy, dxy, sx, sy, size[i]);
    }
    size[x] = sx + sy;
    if ((k + 1) % progressEvery === 0) options.onProgress?.(k + 1, total);
  }
  return out;
}

/** Lance–Williams update: distance from cluster i to the union of x and y. */
function updateDistance(method: Linkage, dix: number, diy: number, dxy: number, sx: number, sy: number, si: number): number {
  switch (method) {
    case 'complete':
      return dix > diy ? dix : diy;
    case 'single':
      return dix < diy ? dix : diy;
    case 'average':
      if (dix === Infinity || diy === Infinity) return Infinity;
      return (sx * dix + sy * diy) / (sx + sy);
    case 'weighted':
      if (dix === Infinity || diy === Infinity) return Infinity;
      return (dix + diy) / 2;
    case 'ward':
      // Squared distances here (see nnChain); Infinity stays Infinity.
      if (dix === Infinity || diy === Infinity) return Infinity;
      return ((si + sx) * dix + (si + sy) * diy - si * dxy) / (si + sx + sy);
  }
}

/**
 * Sorts raw merges by height (stable) and renames them in scipy's way: the
 * cluster created by sorted merge k is n + k.
 */
function labelMerges(n: number, raw: RawMerges): Dendrogram {
  const total = raw.a.length;
  // Comparisons, not subtraction: Infinity − Infinity would be NaN.
  const order = Array.from({ length: total }, (_, i) => i).sort((p, q) => (raw.height[p] < raw.height[q] ? -1 : raw.height[p] > raw.height[q] ? 1 : p - q));
  const parent = new Int32Array(2 * n).map((_, i) => i);
  const clusterOf = new Int32Array(2 * n).map((_, i) => i);
  const sizeOf = new Int32Array(2 * n).fill(1);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const out: Dendrogram = { n, left: new Int32Array(total), right: new Int32Array(total), height: new Float64Array(total), size: new Int32Array(total) };
  order.forEach((m, k) => {
    const ra = find(raw.a[m]);
    const rb = find(raw.b[m]);
    const ca = clusterOf[ra];
    const cb = clusterOf[rb];
    out.left[k] = Math.min(ca, cb);
    out.right[k] = Math.max(ca, cb);
    out.height[k] = raw.height[m];
    const s = sizeOf[ra] + sizeOf[rb];
    out.size[k] = s;
    parent[rb] = ra;
    sizeOf[ra] = s;
    clusterOf[ra] = n + k;
  });
  return out;
}
