import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random';
import { matchByJaccard, minimumCostAssignment, type Overlap } from './hungarian';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('minimumCostAssignment', () => {
  it('finds the optimum found by trying every assignment (square and rectangular)', () => {
    const rng = createRng(4);
    for (let trial = 0; trial < 30; trial++) {
      const rows = 1 + Math.floor(rng() * 5);
      const cols = rows + Math.floor(rng() * 3);
      const cost = Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.round(rng() * 20)));
      const got = minimumCostAssignment(cost);
      expect(new Set(got).size).toBe(rows);
      const total = got.reduce((s, c, r) => s + cost[r][c], 0);
      let best = Infinity;
      for (const perm of permutations(cols)) best = Math.min(best, perm.slice(0, rows).reduce((s, c, r) => s + cost[r][c], 0));
      expect(total).toBe(best);
    }
  });
});

describe('matchByJaccard', () => {
  it('carries identities by best total overlap, not greedily', () => {
    // New cluster 1 overlaps old 10 and old 11 equally well; new 2 overlaps only old 10.
    // Taking 1→10 first would leave 2 without its identity; the optimum keeps both.
    const overlaps: Overlap[] = [
      { newCluster: 1, oldCluster: 10, shared: 6 },
      { newCluster: 1, oldCluster: 11, shared: 4 },
      { newCluster: 2, oldCluster: 10, shared: 5 },
    ];
    const sizes = (m: [number, number][]) => new Map(m);
    const result = matchByJaccard(overlaps, sizes([[1, 10], [2, 5]]), sizes([[10, 11], [11, 4]]));
    // J(1,10)=6/15=.4, J(1,11)=4/10=.4, J(2,10)=5/11=.45 → best total: 1→11 and 2→10 (.85) beats 1→10 alone (.4).
    expect([...result.entries()].sort()).toEqual([[1, 11], [2, 10]]);
  });

  it('leaves clusters with little overlap unmatched', () => {
    const result = matchByJaccard([{ newCluster: 1, oldCluster: 2, shared: 1 }], new Map([[1, 20]]), new Map([[2, 20]]), 0.1);
    expect(result.size).toBe(0);
  });
});
