/**
 * Optimal assignment (Hungarian / Kuhn–Munkres with potentials, O(r²·c)) and
 * the sparse overlap matching built on it: carrying cluster identities from
 * one clustering to the next by maximum total Jaccard overlap.
 */

/**
 * Minimum-cost assignment of rows to distinct columns for a rows × cols cost
 * matrix with rows ≤ cols. Returns the column of each row.
 */
export function minimumCostAssignment(cost: readonly (readonly number[])[]): number[] {
  const rows = cost.length;
  if (rows === 0) return [];
  const cols = cost[0].length;
  if (cols < rows) throw new Error('minimumCostAssignment needs at least as many columns as rows');
  // 1-based arrays as in the classic formulation; column 0 is a virtual start.
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const rowOfCol = new Int32Array(cols + 1);
  const way = new Int32Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    rowOfCol[0] = i;
    let col0 = 0;
    const minv = new Float64Array(cols + 1).fill(Infinity);
    const used = new Uint8Array(cols + 1);
    do {
      used[col0] = 1;
      const i0 = rowOfCol[col0];
      let delta = Infinity;
      let col1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const reduced = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = col0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          col1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[rowOfCol[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      col0 = col1;
    } while (rowOfCol[col0] !== 0);
    do {
      const col1 = way[col0];
      rowOfCol[col0] = rowOfCol[col1];
      col0 = col1;
    } while (col0 !== 0);
  }
  const result = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (rowOfCol[j] > 0) result[rowOfCol[j] - 1] = j - 1;
  return result;
}

/**
 * Components with more clusters than this on both sides are matched greedily
 * (largest Jaccard first): the exact method is cubic, and such tangles only
 * arise when the new cut is far from the old one.
 */
const GREEDY_ABOVE = 400;

function greedyMatch(edges: readonly Overlap[], jaccard: (o: Overlap) => number, into: Map<number, number>): void {
  const taken = new Set<number>();
  for (const e of [...edges].sort((a, b) => jaccard(b) - jaccard(a))) {
    if (into.has(e.newCluster) || taken.has(e.oldCluster)) continue;
    into.set(e.newCluster, e.oldCluster);
    taken.add(e.oldCluster);
  }
}

/** Overlap of one new cluster with one old cluster. */
export interface Overlap {
  newCluster: number;
  oldCluster: number;
  /** Members in both. */
  shared: number;
}

/**
 * Pairs new clusters with old ones so that the total Jaccard overlap
 * |A ∩ B| / |A ∪ B| is largest; pairs with Jaccard below `minJaccard` stay
 * unpaired. The overlap graph is split into connected components and each is
 * solved on its own (it is sparse: a cluster overlaps few others), so
 * thousands of clusters cost little. Returns new cluster → old cluster.
 */
export function matchByJaccard(
  overlaps: readonly Overlap[],
  newSizes: ReadonlyMap<number, number>,
  oldSizes: ReadonlyMap<number, number>,
  minJaccard = 0.1,
): Map<number, number> {
  const jaccard = (o: Overlap) => o.shared / (newSizes.get(o.newCluster)! + oldSizes.get(o.oldCluster)! - o.shared);
  const useful = overlaps.filter((o) => o.shared > 0 && jaccard(o) >= minJaccard);
  // Union-find over "n:<id>" and "o:<id>" nodes.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const o of useful) {
    for (const key of [`n:${o.newCluster}`, `o:${o.oldCluster}`]) if (!parent.has(key)) parent.set(key, key);
    parent.set(find(`n:${o.newCluster}`), find(`o:${o.oldCluster}`));
  }
  const components = new Map<string, Overlap[]>();
  for (const o of useful) {
    const root = find(`n:${o.newCluster}`);
    components.set(root, [...(components.get(root) ?? []), o]);
  }
  const result = new Map<number, number>();
  for (const edges of components.values()) {
    const news = [...new Set(edges.map((e) => e.newCluster))];
    const olds = [...new Set(edges.map((e) => e.oldCluster))];
    if (Math.min(news.length, olds.length) > GREEDY_ABOVE) {
      greedyMatch(edges, jaccard, result);
      continue;
    }
    const weight = new Map(edges.map((e) => [`${e.newCluster}:${e.oldCluster}`, jaccard(e)]));
    const transpose = news.length > olds.length;
    const rows = transpose ? olds : news;
    const cols = transpose ? news : olds;
    const cost = rows.map((r) => cols.map((c) => -(weight.get(transpose ? `${c}:${r}` : `${r}:${c}`) ?? 0)));
    minimumCostAssignment(cost).forEach((col, row) => {
      const [n, o] = transpose ? [cols[col], rows[row]] : [rows[row], cols[col]];
      if (weight.has(`${n}:${o}`)) result.set(n, o);
    });
  }
  return result;
}
