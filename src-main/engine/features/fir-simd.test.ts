import { describe, expect, it } from 'vitest';
import { createRng } from '../testing/synth';
import { createSimdFir } from './fir-simd';

describe('createSimdFir', () => {
  it('computes each dot product like a brute-force double loop (random rows and offsets)', () => {
    const rng = createRng(17);
    const taps = 24;
    const rowsInTable = 5;
    const table = Float64Array.from({ length: rowsInTable * taps }, () => rng() * 2 - 1);
    const fir = createSimdFir(table, taps);
    expect(fir, 'this Node has WebAssembly SIMD').not.toBeNull();
    const input = Float32Array.from({ length: 5000 }, () => rng() * 2 - 1);
    // More outputs than fit the initial memory page, to exercise memory.grow.
    const n = 6000; // 20 KB input + 48 KB offsets + 24 KB output > one 64 KiB page
    const offsets = Int32Array.from({ length: n }, () => Math.floor(rng() * (input.length - taps)));
    const rows = Int32Array.from({ length: n }, () => Math.floor(rng() * rowsInTable) * taps);
    const out = fir!.run(input, offsets, rows, n);
    expect(out.length).toBe(n);
    for (let j = 0; j < n; j++) {
      let want = 0;
      for (let i = 0; i < taps; i++) want += input[offsets[j] + i] * Math.fround(table[rows[j] + i]);
      expect(Math.abs(out[j] - want), `output ${j}`).toBeLessThan(1e-5);
    }
  });

  it('refuses tap counts that are not a multiple of 8', () => {
    expect(createSimdFir(new Float64Array(12), 12)).toBeNull();
  });
});
