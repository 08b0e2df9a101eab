import { describe, expect, it } from 'vitest';
import { amplitudeDbfs, amplitudeTicks, formatAmplitude, niceFloor } from './amplitude-ticks';

describe('amplitude axis', () => {
  it('places 0 in the middle and the nicest amplitude within the panel near its edges', () => {
    // Full scale drawn at its natural size: ±0.5 and 0 on a 72-px panel.
    const full = amplitudeTicks(1, 72);
    expect(full.map((t) => t.value)).toEqual([0.5, 0, -0.5]);
    expect(full.map((t) => t.y)).toEqual([18, 36, 54]);
    // A −80 dBFS hydrophone file blown up 4000×: the panel's edge is 2.5e-4 full scale; ticks at ±2e-4.
    const quiet = amplitudeTicks(4000, 72);
    expect(quiet[0].value).toBeCloseTo(2e-4, 12);
    expect(quiet[0].y).toBeCloseTo(36 - 2e-4 * 4000 * 36, 9);
    expect(quiet[0].y).toBeGreaterThanOrEqual(0);
    expect(quiet[0].label).toBe('+2e-4');
    expect(amplitudeDbfs(2e-4)).toBeCloseTo(-73.98, 2);
  });

  it('adds half-way ticks on a tall panel', () => {
    expect(amplitudeTicks(2, 200).map((t) => t.value)).toEqual([0.2, 0.1, 0, -0.1, -0.2]);
  });

  it('rounds to 1, 2 or 5 × 10^k and writes amplitudes compactly', () => {
    expect([0.95, 0.3, 0.0019, 7].map(niceFloor)).toEqual([0.5, 0.2, 0.001, 5]);
    expect([0.5, -0.02, 3e-5, 0].map(formatAmplitude)).toEqual(['+0.5', '−0.02', '+3e-5', '0']);
  });
});
