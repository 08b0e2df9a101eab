import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random';
import { condensedIndex, pairCount, quantileOfCondensed } from './condensed';
import { CLUSTER_PRESETS, cutAtDistance, cutIntoCount, cutTree, splitAlongTree, UNCLUSTERED } from './cut';
import { linkage, type Dendrogram, type Linkage } from './linkage';

/** Random points in `dims` dimensions and their Euclidean condensed matrix. */
function randomPoints(n: number, dims: number, seed: number): { points: number[][]; condensed: Float32Array } {
  const rng = createRng(seed);
  const points = Array.from({ length: n }, () => Array.from({ length: dims }, () => rng() * 10));
  const condensed = new Float32Array(pairCount(n));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) condensed[condensedIndex(n, i, j)] = euclid(points[i], points[j]);
  return { points, condensed };
}

function euclid(a: number[], b: number[]): number {
  return Math.sqrt(a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0));
}

/**
 * The textbook algorithm, straight from the definitions: repeatedly merge the
 * two closest clusters, where "closest" is computed from the members.
 */
function bruteForce(points: number[][], condensed: Float32Array, method: Linkage): { heights: number[]; partitions: string[] } {
  const n = points.length;
  const d = (i: number, j: number) => condensed[condensedIndex(n, i, j)];
  let clusters: number[][] = points.map((_, i) => [i]);
  // WPGMA has no member-based definition: it is defined by its update rule.
  const weighted = new Map<string, number>();
  const key = (a: number[], b: number[]) => [a.join(','), b.join(',')].sort().join('|');
  const distance = (a: number[], b: number[]): number => {
    if (method === 'weighted') return weighted.get(key(a, b)) ?? d(a[0], b[0]);
    const pairs = a.flatMap((i) => b.map((j) => d(i, j)));
    if (method === 'complete') return Math.max(...pairs);
    if (method === 'single') return Math.min(...pairs);
    if (method === 'average') return pairs.reduce((s, v) => s + v, 0) / pairs.length;
    const centroid = (c: number[]) => points[0].map((_, k) => c.reduce((s, i) => s + points[i][k], 0) / c.length);
    return Math.sqrt((2 * a.length * b.length) / (a.length + b.length)) * euclid(centroid(a), centroid(b));
  };
  const heights: number[] = [];
  const partitions: string[] = [];
  while (clusters.length > 1) {
    let best = [0, 1];
    let bestD = Infinity;
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        const v = distance(clusters[i], clusters[j]);
        if (v < bestD) [bestD, best] = [v, [i, j]];
      }
    }
    const [a, b] = [clusters[best[0]], clusters[best[1]]];
    const merged = [...a, ...b].sort((x, y) => x - y);
    if (method === 'weighted') {
      for (const c of clusters) {
        if (c === a || c === b) continue;
        weighted.set(key(c, merged), (distance(c, a) + distance(c, b)) / 2);
      }
    }
    clusters = clusters.filter((c) => c !== a && c !== b).concat([merged]);
    heights.push(bestD);
    partitions.push(canonicalPartition(clusters));
  }
  return { heights, partitions };
}

function canonicalPartition(clusters: number[][]): string {
  return clusters.map((c) => [...c].sort((x, y) => x - y).join(',')).sort().join(' | ');
}

function partitionOfLabels(labels: Int32Array): string {
  const groups = new Map<number, number[]>();
  labels.forEach((l, i) => groups.set(l, [...(groups.get(l) ?? []), i]));
  return canonicalPartition([...groups.values()]);
}

describe('linkage (nearest-neighbour chain) against brute force', () => {
  for (const method of ['complete', 'average', 'single', 'weighted', 'ward'] as const) {
    it(`${method}: same merge heights and the same partition at every k`, () => {
      for (const seed of [1, 2, 3]) {
        const { points, condensed } = randomPoints(14, 3, seed * 17 + method.length);
        const tree = linkage(condensed, method);
        const truth = bruteForce(points, condensed, method);
        expect(Array.from(tree.height)).toHaveLength(13);
        tree.height.forEach((h, k) => expect(h).toBeCloseTo(truth.heights[k], 4));
        for (let k = 1; k < 14; k++) {
          expect(partitionOfLabels(cutIntoCount(tree, k).labels)).toBe(truth.partitions[14 - k - 1]);
        }
      }
    });
  }

  it('produces a valid scipy-style linkage matrix (ids, sizes, sorted heights)', () => {
    const { condensed } = randomPoints(30, 2, 9);
    const tree = linkage(condensed, 'average');
    const sizes = new Map<number, number>(Array.from({ length: 30 }, (_, i) => [i, 1]));
    for (let k = 0; k < 29; k++) {
      expect(tree.left[k]).toBeLessThan(tree.right[k]);
      expect(tree.right[k]).toBeLessThan(30 + k);
      expect(tree.size[k]).toBe(sizes.get(tree.left[k])! + sizes.get(tree.right[k])!);
      sizes.set(30 + k, tree.size[k]);
      if (k > 0) expect(tree.height[k]).toBeGreaterThanOrEqual(tree.height[k - 1]);
    }
    expect(tree.size[28]).toBe(30);
  });

  it('keeps infinite distances (pairs skipped by a lower bound) for the last merges', () => {
    // Two tight groups, all cross pairs unknown (Infinity).
    const n = 6;
    const c = new Float32Array(pairCount(n)).fill(Infinity);
    for (const [i, j, v] of [[0, 1, 1], [0, 2, 2], [1, 2, 1.5], [3, 4, 1], [3, 5, 3], [4, 5, 2]]) c[condensedIndex(n, i, j)] = v;
    const tree = linkage(c, 'complete');
    expect(Array.from(tree.height)).toEqual([1, 1, 2, 3, Infinity]);
    expect(partitionOfLabels(cutAtDistance(tree, 10).labels)).toBe('0,1,2 | 3,4,5');
  });

  it('refuses NaN, unknown methods and impossible matrix sizes', () => {
    expect(() => linkage(new Float32Array([1, NaN, 2]), 'complete')).toThrow(/NaN/);
    expect(() => linkage(new Float32Array([1, 2, 3]), 'centroid' as Linkage)).toThrow(/Unknown linkage/);
    expect(() => linkage(new Float32Array([1, 2]), 'complete')).toThrow(/whole number of items/);
    expect(linkage(new Float32Array(0), 'complete').height).toHaveLength(0);
  });
});

describe('cutting the stored dendrogram', () => {
  const { condensed } = randomPoints(40, 2, 5);
  const tree: Dendrogram = linkage(condensed, 'complete');

  it('cuts at a distance: every pair inside a cluster is within it (complete linkage), clusters numbered largest first', () => {
    const t = tree.height[25];
    const flat = cutAtDistance(tree, t);
    expect(flat.count).toBe(40 - 26);
    for (let i = 0; i < 40; i++) {
      for (let j = i + 1; j < 40; j++) {
        if (flat.labels[i] === flat.labels[j]) expect(condensed[condensedIndex(40, i, j)]).toBeLessThanOrEqual(t + 1e-6);
      }
    }
    const sizes = Array.from({ length: flat.count }, (_, c) => flat.labels.filter((l) => l === c).length);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('marks clusters below the minimum size as unclustered', () => {
    const flat = cutIntoCount(tree, 12, 3);
    const sizes = new Map<number, number>();
    flat.labels.forEach((l) => sizes.set(l, (sizes.get(l) ?? 0) + 1));
    for (const [label, size] of sizes) if (label !== UNCLUSTERED) expect(size).toBeGreaterThanOrEqual(3);
    expect(flat.count).toBe([...sizes.keys()].filter((l) => l !== UNCLUSTERED).length);
  });

  it('cuts at a percentile of the pairwise distances (the presets)', () => {
    const q = (p: number) => quantileOfCondensed(condensed, p);
    const tight = cutTree(tree, CLUSTER_PRESETS.tight.cut, CLUSTER_PRESETS.tight.minClusterSize, q);
    const sorted = Array.from(condensed).sort((a, b) => a - b);
    const pos = 0.01 * (sorted.length - 1);
    const lo = Math.floor(pos);
    expect(tight.distance).toBeCloseTo(sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (pos - lo), 5);
    expect(() => cutTree(tree, { kind: 'percentile', percentile: 120 }, 1, q)).toThrow(/0…100/);
    expect(() => cutIntoCount(tree, 0)).toThrow(/≥ 1/);
  });

  it('splits a cluster in two along the hierarchy', () => {
    const flat = cutIntoCount(tree, 3);
    const members = Array.from(flat.labels.keys()).filter((i) => flat.labels[i] === 0);
    const [a, b] = splitAlongTree(tree, members);
    expect(a.length + b.length).toBe(members.length);
    expect(a).toContain(members[0]);
    // The two halves are exactly the children of the cluster's top merge.
    const leaves = (id: number): number[] => (id < 40 ? [id] : [...leaves(tree.left[id - 40]), ...leaves(tree.right[id - 40])]);
    const top = Array.from(tree.size.keys()).find((k) => tree.size[k] === members.length && leaves(40 + k).includes(members[0]))!;
    const children = [leaves(tree.left[top]), leaves(tree.right[top])].map((c) => [...c].sort((x, y) => x - y));
    expect([[...a].sort((x, y) => x - y), [...b].sort((x, y) => x - y)].sort((x, y) => x[0] - y[0])).toEqual(children.sort((x, y) => x[0] - y[0]));
    expect(() => splitAlongTree(tree, [members[0]])).toThrow(/at least two/);
  });
});

describe('quantileOfCondensed', () => {
  it('matches sorting, treats Infinity as largest', () => {
    const values = new Float32Array([5, 1, 4, 2, 3, 6]);
    expect(quantileOfCondensed(values, 0)).toBe(1);
    expect(quantileOfCondensed(values, 1)).toBe(6);
    expect(quantileOfCondensed(values, 0.5)).toBeCloseTo(3.5);
    const withInf = new Float32Array([5, 1, Infinity, 2, 3, Infinity]);
    expect(quantileOfCondensed(withInf, 0.2)).toBeCloseTo(2);
    expect(quantileOfCondensed(withInf, 0.9)).toBe(Infinity);
  });
});
