import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random';
import { chooseAutoCut } from './auto-cut';
import { condensedIndex, pairCount } from './condensed';
import { linkage } from './linkage';
import { adjustedRandIndex } from './quality';

function blobs(centres: number[][], perBlob: number, spread: number, seed: number) {
  const rng = createRng(seed);
  const points = centres.flatMap((c) => Array.from({ length: perBlob }, () => c.map((v) => v + (rng() * 2 - 1) * spread)));
  const n = points.length;
  const condensed = new Float32Array(pairCount(n));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) condensed[condensedIndex(n, i, j)] = Math.hypot(...points[i].map((v, d) => v - points[j][d]));
  return { condensed, truth: points.map((_, i) => Math.floor(i / perBlob)) };
}

describe('automatic cut', () => {
  it('finds the number of well-separated groups', () => {
    for (const groups of [2, 4, 6]) {
      const centres = Array.from({ length: groups }, (_, g) => [10 * Math.cos(g), 10 * Math.sin(g) + g * 3]);
      const { condensed, truth } = blobs(centres, 12, 0.8, groups);
      const auto = chooseAutoCut(linkage(condensed, 'complete'), condensed, 1);
      expect(auto.k).toBe(groups);
      expect(adjustedRandIndex(truth, auto.flat.labels)).toBe(1);
      expect(auto.silhouette).toBeGreaterThanOrEqual(auto.bestSilhouette - 0.05);
    }
  });

  it('handles tiny sets', () => {
    const { condensed } = blobs([[0, 0]], 2, 1, 1);
    expect(chooseAutoCut(linkage(condensed, 'average'), condensed, 1).k).toBe(1);
  });
});
