/**
 * Which head a retrain keeps: a higher held-out score wins; on a tie only
 * frame probabilities closer to the held-out labels (paired blocks) let the
 * new head in.
 */
import { describe, expect, it } from 'vitest';
import { brierImprovementZ, isBetterHead } from './head-selection';

/** Squared errors of `blocks` blocks of 20 frames, each frame `base + step · (block mod 2)`. */
function errors(blocks: number, base: number, step = 0): Float32Array {
  return Float32Array.from({ length: blocks * 20 }, (_, f) => base + step * (Math.floor(f / 20) % 2));
}

describe('isBetterHead', () => {
  const same = errors(10, 0.02, 0.01);
  it('decides by the score when the scores differ', () => {
    expect(isBetterHead({ score: 0.91, squaredErrors: same }, { score: 0.9, squaredErrors: errors(10, 0.001) })).toBe(true);
    expect(isBetterHead({ score: 0.9, squaredErrors: errors(10, 0.001) }, { score: 0.91, squaredErrors: same })).toBe(false);
    expect(isBetterHead({ score: null, squaredErrors: same }, { score: 0.5, squaredErrors: same })).toBe(false);
    expect(isBetterHead({ score: 0.5, squaredErrors: same }, { score: null, squaredErrors: same })).toBe(true);
  });

  it('on a tie, adopts the new head only when its probabilities are closer to the held-out labels', () => {
    // An exact tie keeps the active head.
    expect(isBetterHead({ score: 0.9, squaredErrors: same }, { score: 0.9, squaredErrors: same })).toBe(false);
    // Closer on average though only in half the blocks: a small positive z is enough.
    const mixed = Float32Array.from(same, (x, f) => (Math.floor(f / 20) % 2 ? x - 0.01 : x + 0.004));
    const z = brierImprovementZ(mixed, same);
    expect(z).toBeGreaterThan(0);
    expect(z).toBeLessThan(2);
    expect(isBetterHead({ score: 0.9, squaredErrors: mixed }, { score: 0.9, squaredErrors: same })).toBe(true);
    // Further from the labels: never adopted on a tie.
    expect(brierImprovementZ(same, mixed)).toBeLessThan(0);
    expect(isBetterHead({ score: 0.9, squaredErrors: same }, { score: 0.9, squaredErrors: mixed })).toBe(false);
    // A lower score loses however close its probabilities are.
    const better = Float32Array.from(same, (x, f) => x - 0.005 - 0.001 * (Math.floor(f / 20) % 3));
    expect(isBetterHead({ score: 0.89, squaredErrors: better }, { score: 0.9, squaredErrors: same })).toBe(false);
  });

  it('needs two blocks to test at all', () => {
    expect(brierImprovementZ(errors(1, 0), errors(1, 0.5))).toBe(0);
  });
});
