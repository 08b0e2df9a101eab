import { describe, expect, it } from 'vitest';
import { createRng } from '../testing/synth';
import { RecordingStatsAccumulator, computeStats, normaliseWindow } from './normalise';

function randomValues(n: number, seed: number, offset: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => offset + 40 * rng());
}

describe('normaliseWindow', () => {
  it('is (x − mean) / (std + 1) with the population std (the seeds\' formula)', () => {
    const x = randomValues(32 * 256, 1, -90);
    const values = Array.from(x);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    const y = x.slice();
    normaliseWindow(y);
    for (let i = 0; i < x.length; i++) expect(y[i]).toBeCloseTo((values[i] - mean) / (std + 1), 5);
  });

  it('maps a constant window (digital silence) to zeros, not NaN', () => {
    const y = new Float32Array(100).fill(-160);
    normaliseWindow(y);
    expect(y.every((v) => v === 0)).toBe(true);
  });
});

describe('RecordingStatsAccumulator', () => {
  it('chunk by chunk equals the statistics of the concatenation', () => {
    const parts = [randomValues(1000, 2, -120), randomValues(1, 3, 0), randomValues(5000, 4, -60), new Float32Array(0)];
    const acc = new RecordingStatsAccumulator();
    for (const p of parts) acc.add(p);
    const all = new Float32Array(6001);
    all.set(parts[0]);
    all.set(parts[1], 1000);
    all.set(parts[2], 1001);
    const want = computeStats(all);
    const got = acc.result();
    expect(got.count).toBe(6001);
    expect(got.mean).toBeCloseTo(want.mean, 9);
    expect(got.std).toBeCloseTo(want.std, 9);
    // and computeStats against a plain formula
    const v = Array.from(all);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    expect(want.mean).toBeCloseTo(m, 9);
  });

  it('is empty-safe', () => {
    expect(new RecordingStatsAccumulator().result()).toEqual({ mean: 0, std: 0, count: 0 });
  });
});
