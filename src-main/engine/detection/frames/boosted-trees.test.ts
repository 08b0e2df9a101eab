import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/random';
import { predictBoostedTrees, trainBoostedTrees, validateBoostedTrees } from './boosted-trees';

/** Two features; class 1 inside a diagonal band plus an XOR-like corner: no single split separates them. */
function dataset(n: number, seed: number) {
  const rng = createRng(seed);
  const x = new Float32Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng() * 2 - 1;
    const b = rng() * 2 - 1;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = (a > 0) !== (b > 0) ? 1 : 0;
  }
  return { dims: 2, x, y, weight: new Float32Array(n).fill(1) };
}

describe('boosted trees', () => {
  it('learn an XOR that no single split can, and generalise to new points', () => {
    const loss: number[] = [];
    const model = trainBoostedTrees(dataset(2000, 1), { trees: 40 }, loss);
    const test = dataset(1000, 2);
    const p = predictBoostedTrees(model, test.x);
    const correct = test.y.reduce((s, y, i) => s + ((p[i] >= 0.5 ? 1 : 0) === y ? 1 : 0), 0);
    expect(correct / 1000).toBeGreaterThan(0.95);
    expect(loss).toHaveLength(40);
    expect(loss.at(-1)!).toBeLessThan(loss[0] * 0.5);
  });

  it('are exactly reproducible and survive a JSON round trip', () => {
    const a = trainBoostedTrees(dataset(500, 3));
    const b = trainBoostedTrees(dataset(500, 3));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const back = validateBoostedTrees(JSON.parse(JSON.stringify(a)), 2);
    const x = dataset(50, 4).x;
    expect(predictBoostedTrees(back, x)).toEqual(predictBoostedTrees(a, x));
  });

  it('honour weights: heavy examples win a contradiction', () => {
    const x = new Float32Array([0, 0, 0, 0, 1, 1, 1, 1]);
    const set = { dims: 2, x, y: new Uint8Array([1, 0, 1, 0]), weight: new Float32Array([10, 1, 1, 10]) };
    const p = predictBoostedTrees(trainBoostedTrees(set, { minChildWeight: 0.01 }), x);
    expect(p[0]).toBeGreaterThan(0.5);
    expect(p[2]).toBeLessThan(0.5);
  });

  it('refuse one-class data and damaged models readably', () => {
    expect(() => trainBoostedTrees({ dims: 1, x: new Float32Array(3), y: new Uint8Array(3), weight: new Float32Array(3).fill(1) })).toThrow(/both sound and silence/);
    const model = trainBoostedTrees(dataset(100, 5));
    expect(() => validateBoostedTrees(model, 3)).toThrow(/damaged|features/);
    const broken = JSON.parse(JSON.stringify(model));
    broken.trees[0].left[0] = 0; // a cycle
    expect(() => validateBoostedTrees(broken, 2)).toThrow(/damaged/);
  });
});
