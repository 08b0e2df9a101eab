import { describe, expect, it } from 'vitest';
import { createRng } from './random';
import { partitionAt, selectKth } from './quickselect';

describe('quickselect', () => {
  it('finds every rank of random, sorted, reversed and constant inputs, as a sort does', () => {
    const rng = createRng(5);
    const inputs = [
      Array.from({ length: 257 }, () => Math.round(rng() * 40)),
      Array.from({ length: 100 }, (_, i) => i),
      Array.from({ length: 100 }, (_, i) => 100 - i),
      Array.from({ length: 50 }, () => 3),
      [7],
    ];
    for (const input of inputs) {
      const sorted = [...input].sort((a, b) => a - b);
      for (let k = 0; k < input.length; k++) {
        const values = Float64Array.from(input);
        const kth = selectKth(values, k);
        const misplaced = values.findIndex((v, i) => (i < k && v > kth) || (i > k && v < kth));
        if (kth !== sorted[k] || misplaced >= 0) expect({ k, kth, misplaced }).toEqual({ k, kth: sorted[k], misplaced: -1 });
      }
    }
  });

  it('partitions only the first n values', () => {
    const values = Float32Array.from([5, 4, 3, 2, 1, -9, -9]);
    partitionAt(values, 1, 5);
    expect(values[1]).toBe(2);
    expect([...values.subarray(5)]).toEqual([-9, -9]);
  });
});
