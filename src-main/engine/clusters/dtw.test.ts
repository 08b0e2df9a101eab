import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random';
import { bandHalfWidth, dtwDistance, DtwWorkspace, type FrameCost } from './dtw';
import { DtwEngine } from './dtw-engine';
import { computeEnvelopes, envelopeRadiusFor, lbKeogh, lbKim } from './lower-bounds';
import { meanStdVectors, sequenceSetFrom, unitNormalised, type SequenceSet } from './sequences';

function randomSet(count: number, dim: number, minLen: number, maxLen: number, seed: number): SequenceSet {
  const rng = createRng(seed);
  const seqs = Array.from({ length: count }, () => {
    const len = minLen + Math.floor(rng() * (maxLen - minLen + 1));
    return Float32Array.from({ length: len * dim }, () => rng() * 2 - 1);
  });
  return sequenceSetFrom(seqs, dim);
}

/** Smooth sequences (random walks from random levels), closer to real feature frames than white noise. */
function smoothSet(count: number, dim: number, minLen: number, maxLen: number, seed: number): SequenceSet {
  const rng = createRng(seed);
  const seqs = Array.from({ length: count }, () => {
    const len = minLen + Math.floor(rng() * (maxLen - minLen + 1));
    const level = Array.from({ length: dim }, () => rng() * 4 - 2);
    const out = new Float32Array(len * dim);
    for (let f = 0; f < len; f++) for (let d = 0; d < dim; d++) out[f * dim + d] = level[d] += (rng() - 0.5) * 0.3;
    return out;
  });
  return sequenceSetFrom(seqs, dim);
}

function cellCost(set: SequenceSet, i: number, fi: number, j: number, fj: number, cost: FrameCost): number {
  const a = (set.offsets[i] + fi) * set.dim;
  const b = (set.offsets[j] + fj) * set.dim;
  let s = 0;
  if (cost === 'cosine') {
    for (let d = 0; d < set.dim; d++) s += set.data[a + d] * set.data[b + d];
    return Math.max(0, 1 - s);
  }
  for (let d = 0; d < set.dim; d++) s += (set.data[a + d] - set.data[b + d]) ** 2;
  return cost === 'euclidean' ? Math.sqrt(s) : s;
}

/** Minimum over every monotone path inside the band, enumerated explicitly (tiny sizes only). */
function bruteForceDtw(set: SequenceSet, i: number, j: number, cost: FrameCost, band: number): number {
  // Rows over the longer sequence, as the definition in dtw.ts.
  if (set.lengths[j] > set.lengths[i]) [i, j] = [j, i];
  const n = set.lengths[i];
  const m = set.lengths[j];
  const w = bandHalfWidth(n, m, band);
  const slope = n > 1 ? (m - 1) / (n - 1) : 0;
  const inBand = (r: number, c: number) => Math.abs(r * slope - c) <= w + 1e-9;
  let best = Infinity;
  const walk = (r: number, c: number, total: number) => {
    if (!inBand(r, c)) return;
    if (r === n - 1 && c === m - 1) {
      best = Math.min(best, total);
      return;
    }
    if (r + 1 < n) walk(r + 1, c, total + cellCost(set, i, r + 1, j, c, cost));
    if (c + 1 < m) walk(r, c + 1, total + cellCost(set, i, r, j, c + 1, cost));
    if (r + 1 < n && c + 1 < m) walk(r + 1, c + 1, total + 2 * cellCost(set, i, r + 1, j, c + 1, cost));
  };
  walk(0, 0, 2 * cellCost(set, i, 0, j, 0, cost));
  return best / (n + m);
}

describe('dtwDistance', () => {
  const ws = new DtwWorkspace();

  for (const cost of ['euclidean', 'sqeuclidean', 'cosine'] as const) {
    it(`equals the minimum over all band-limited paths (${cost})`, () => {
      const raw = randomSet(8, 3, 1, 6, 11);
      const set = cost === 'cosine' ? unitNormalised(raw) : raw;
      for (const band of [0.1, 0.3, 1]) {
        for (let i = 0; i < 8; i++) {
          for (let j = 0; j < 8; j++) {
            expect(dtwDistance(set, i, j, { cost, band }, ws)).toBeCloseTo(bruteForceDtw(set, i, j, cost, band), 5);
          }
        }
      }
    });
  }

  it('is zero for a sequence and itself, symmetric, and small for a time-stretched copy', () => {
    const rng = createRng(3);
    const base = Array.from({ length: 20 }, (_, f) => [Math.sin(f / 3), Math.cos(f / 4)]);
    const stretched = Array.from({ length: 31 }, (_, f) => base[Math.min(19, Math.round((f * 19) / 30))]);
    const other = Array.from({ length: 20 }, () => [rng() * 2 - 1, rng() * 2 - 1]);
    const set = sequenceSetFrom([base, stretched, other].map((s) => Float32Array.from(s.flat())), 2);
    const opts = { cost: 'euclidean' as const, band: 0.1 };
    expect(dtwDistance(set, 0, 0, opts, ws)).toBe(0);
    expect(dtwDistance(set, 0, 1, opts, ws)).toBeCloseTo(dtwDistance(set, 1, 0, opts, ws), 10);
    expect(dtwDistance(set, 0, 1, opts, ws)).toBeLessThan(0.05);
    expect(dtwDistance(set, 0, 2, opts, ws)).toBeGreaterThan(0.3);
  });

  it('a narrower band never gives a smaller distance', () => {
    const set = randomSet(10, 4, 5, 30, 5);
    for (let i = 0; i < 10; i++) {
      for (let j = i + 1; j < 10; j++) {
        const narrow = dtwDistance(set, i, j, { cost: 'euclidean', band: 0.05 }, ws);
        const wide = dtwDistance(set, i, j, { cost: 'euclidean', band: 1 }, ws);
        expect(narrow).toBeGreaterThanOrEqual(wide - 1e-9);
      }
    }
  });

  it('abandons early only for pairs above the ceiling, and is exact otherwise', () => {
    const set = randomSet(12, 3, 5, 40, 8);
    const opts = { cost: 'euclidean' as const, band: 0.2 };
    let abandoned = 0;
    for (let i = 0; i < 12; i++) {
      for (let j = i + 1; j < 12; j++) {
        const exact = dtwDistance(set, i, j, opts, ws);
        const ceiling = 1.1;
        const cut = dtwDistance(set, i, j, opts, ws, ceiling);
        if (exact > ceiling) {
          if (cut === Infinity) abandoned++;
          else expect(cut).toBeCloseTo(exact, 10);
        } else {
          expect(cut).toBeCloseTo(exact, 10);
        }
      }
    }
    expect(abandoned).toBeGreaterThan(0);
  });
});

describe('lower bounds', () => {
  const ws = new DtwWorkspace();
  for (const cost of ['euclidean', 'sqeuclidean', 'cosine'] as const) {
    it(`LB_Kim and LB_Keogh never exceed the DTW distance (${cost})`, () => {
      const raw = smoothSet(25, 5, 3, 40, 21);
      const set = cost === 'cosine' ? unitNormalised(raw) : raw;
      for (const band of [0.1, 0.25]) {
        const env = computeEnvelopes(set, envelopeRadiusFor(set, band));
        let useful = 0;
        for (let i = 0; i < 25; i++) {
          for (let j = i + 1; j < 25; j++) {
            const exact = dtwDistance(set, i, j, { cost, band }, ws);
            const kim = lbKim(set, i, j, cost);
            const keogh = lbKeogh(set, env, i, j, { cost, band });
            expect(kim).toBeLessThanOrEqual(exact + 1e-6);
            expect(keogh).toBeLessThanOrEqual(exact + 1e-6);
            if (keogh > 0.5 * exact) useful++;
          }
        }
        // The bound must also be informative, not just valid.
        expect(useful).toBeGreaterThan(50);
      }
    });
  }
});

describe('sequence sets', () => {
  it('refuses ragged frames and summarises by mean and standard deviation', () => {
    expect(() => sequenceSetFrom([new Float32Array(5)], 2)).toThrow(/whole number/);
    const set = sequenceSetFrom([Float32Array.from([1, 10, 3, 10])], 2);
    const summary = meanStdVectors(set);
    expect(Array.from(summary.data)).toEqual([2, 10, 1, 0]);
    expect(summary.dim).toBe(4);
  });
});

describe('DtwEngine (WebAssembly SIMD frame costs)', () => {
  for (const cost of ['euclidean', 'sqeuclidean', 'cosine'] as const) {
    it(`gives the JS distances (${cost}), including odd frame sizes and early abandoning`, () => {
      for (const dim of [1, 5, 8, 13]) {
        const raw = smoothSet(20, dim, 1, 45, dim * 7);
        const set = cost === 'cosine' ? unitNormalised(raw) : raw;
        const simd = new DtwEngine(set, { cost, band: 0.15 });
        expect(simd.accelerated).toBe(true);
        const ws = new DtwWorkspace();
        for (let i = 0; i < 20; i++) {
          for (let j = 0; j < 20; j++) {
            const exact = dtwDistance(set, i, j, { cost, band: 0.15 }, ws);
            expect(simd.distance(i, j)).toBeCloseTo(exact, 4);
            // Above the ceiling: exact or Infinity; below it: always exact.
            const above = simd.distance(i, j, exact * 0.9);
            if (above !== Infinity) expect(above).toBeCloseTo(exact, 4);
            expect(simd.distance(i, j, exact * 1.01 + 1e-6)).toBeCloseTo(exact, 4);
          }
        }
      }
    });
  }

  it('leaves sets with a non-finite value to the JS path, whose distances show it as NaN', () => {
    const set = smoothSet(3, 4, 5, 9, 1);
    set.data[2] = Number.NaN;
    const engine = new DtwEngine(set, { cost: 'euclidean', band: 0.1 });
    expect(engine.accelerated).toBe(false);
    expect(engine.distance(0, 1)).toBeNaN();
    expect(engine.distance(1, 2)).not.toBeNaN();
  });

  it('gives the JS distances for sequences longer than the band table holds (bands computed per pair)', () => {
    const set = smoothSet(4, 3, 520, 700, 5);
    const simd = new DtwEngine(set, { cost: 'euclidean', band: 0.1 });
    const ws = new DtwWorkspace();
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) expect(simd.distance(i, j)).toBeCloseTo(dtwDistance(set, i, j, { cost: 'euclidean', band: 0.1 }, ws), 4);
    }
  });
});
