import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random';
import { lossAndGradients, predictType, trainTypeHead, typeProbabilities } from './type-head';

describe('type head', () => {
  it('has gradients that match finite differences', () => {
    const rng = createRng(3);
    const x = Array.from({ length: 9 }, () => Float64Array.from({ length: 4 }, () => rng() * 2 - 1));
    const y = x.map((_, i) => i % 3);
    const w = [0, 1, 2].map(() => Float64Array.from({ length: 4 }, () => rng() - 0.5));
    const b = Float64Array.from([0.1, -0.2, 0.05]);
    const { gw, gb } = lossAndGradients(x, y, w, b, 0.01);
    const h = 1e-6;
    for (let c = 0; c < 3; c++) {
      for (let d = 0; d < 4; d++) {
        const wp = w.map((r) => Float64Array.from(r));
        const wm = w.map((r) => Float64Array.from(r));
        wp[c][d] += h;
        wm[c][d] -= h;
        const numeric = (lossAndGradients(x, y, wp, b, 0.01).loss - lossAndGradients(x, y, wm, b, 0.01).loss) / (2 * h);
        expect(gw[c][d]).toBeCloseTo(numeric, 6);
      }
      const bp = Float64Array.from(b);
      const bm = Float64Array.from(b);
      bp[c] += h;
      bm[c] -= h;
      expect(gb[c]).toBeCloseTo((lossAndGradients(x, y, w, bp, 0.01).loss - lossAndGradients(x, y, w, bm, 0.01).loss) / (2 * h), 6);
    }
  });

  it('learns separable types, gives probabilities that sum to one, and refuses one type', () => {
    const rng = createRng(8);
    const centres: Record<string, number[]> = { whistle: [3, 0, 1], click: [-3, 1, 0], burst: [0, -3, 2] };
    const vectors: Float32Array[] = [];
    const names: string[] = [];
    for (const [name, c] of Object.entries(centres)) {
      for (let k = 0; k < 20; k++) {
        vectors.push(Float32Array.from(c, (v) => v + (rng() - 0.5)));
        names.push(name);
      }
    }
    const { model } = trainTypeHead(vectors, names);
    expect(model.types).toEqual(['burst', 'click', 'whistle']);
    expect(vectors.every((v, i) => predictType(model, v).type === names[i])).toBe(true);
    const p = typeProbabilities(model, Float32Array.from([0, 0, 0]));
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    expect(predictType(model, Float32Array.from([3, 0, 1])).confidence).toBeGreaterThan(0.9);
    expect(() => trainTypeHead(vectors.slice(0, 3), ['a', 'a', 'a'])).toThrow(/at least two sound types/);
  });
});
