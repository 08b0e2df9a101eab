import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random';
import { condensedIndex, pairCount } from './condensed';
import { knnFromCondensed, knnFromVectors, layoutMap } from './map-layout';
import { parallelKnn } from './parallel-knn';
import { sequenceSetFrom } from './sequences';

function blobs(perBlob: number, seed: number) {
  const rng = createRng(seed);
  const centres = [[0, 0, 0], [20, 0, 5], [0, 20, -5]];
  const vectors = centres.flatMap((c) => Array.from({ length: perBlob }, () => Float32Array.from(c, (v) => v + rng() * 2 - 1)));
  return sequenceSetFrom(vectors, 3);
}

describe('map layout', () => {
  it('finds the same neighbours from a matrix, from vectors, and in parallel workers', async () => {
    const set = blobs(20, 2);
    const n = 60;
    const condensed = new Float32Array(pairCount(n));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let s = 0;
        for (let d = 0; d < 3; d++) s += (set.data[3 * i + d] - set.data[3 * j + d]) ** 2;
        condensed[condensedIndex(n, i, j)] = Math.sqrt(s);
      }
    }
    const a = knnFromCondensed(condensed, 6);
    const b = knnFromVectors(set, 6);
    const c = await parallelKnn(set, 6, 2);
    expect(a.indices).toEqual(b.indices);
    expect(c.indices).toEqual(b.indices);
    c.distances.forEach((row, i) => row.forEach((d, k) => expect(d).toBeCloseTo(b.distances[i][k], 4)));
    expect(a.indices.every((row, i) => row[0] === i && row.length === 6)).toBe(true);
  });

  it('keeps separate groups apart on the map (seeded, finite)', async () => {
    const set = blobs(25, 4);
    const { x, y } = await layoutMap(knnFromVectors(set, 10), { seed: 3, epochs: 150 });
    expect(Array.from(x).every(Number.isFinite) && Array.from(y).every(Number.isFinite)).toBe(true);
    const centre = (g: number) => {
      let cx = 0;
      let cy = 0;
      for (let i = g * 25; i < (g + 1) * 25; i++) [cx, cy] = [cx + x[i] / 25, cy + y[i] / 25];
      return [cx, cy];
    };
    const spread = (g: number) => {
      const [cx, cy] = centre(g);
      let s = 0;
      for (let i = g * 25; i < (g + 1) * 25; i++) s = Math.max(s, Math.hypot(x[i] - cx, y[i] - cy));
      return s;
    };
    for (const [g, h] of [[0, 1], [0, 2], [1, 2]]) {
      const [ax, ay] = centre(g);
      const [bx, by] = centre(h);
      expect(Math.hypot(ax - bx, ay - by)).toBeGreaterThan(spread(g) + spread(h));
    }
    const again = await layoutMap(knnFromVectors(set, 10), { seed: 3, epochs: 150 });
    expect(Array.from(again.x)).toEqual(Array.from(x));
  });
});
