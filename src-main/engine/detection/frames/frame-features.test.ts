import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/random';
import { whiteNoise } from '../../testing/synth';
import { frameAnalysisFor } from './frame-analysis';
import { BASE_DIMS, PEAK, extractFrameFeatures, sumOfLargest } from './frame-features';

describe('frame features', () => {
  it('sum the k largest values like a full sort would (ties and negatives included)', () => {
    const rng = createRng(7);
    for (let t = 0; t < 2000; t++) {
      const n = 1 + Math.floor(rng() * 200);
      const k = 1 + Math.floor(rng() * n);
      const v = Float64Array.from({ length: n }, () => Math.round(rng() * 20) - (rng() < 0.3 ? 30 : 0));
      const want = Array.from(v).sort((a, b) => b - a).slice(0, k).reduce((a, b) => a + b, 0);
      expect(sumOfLargest(Float64Array.from(v), n, k)).toBeCloseTo(want, 9);
    }
  });

  it('read noise near its floor, and the zero-padded end of a file like the frames before it', async () => {
    const rate = 16_000;
    const noise = whiteNoise(rate, 2.0123, 0.01, 3);
    const f = await extractFrameFeatures(async function* () {
      yield noise;
    }, frameAnalysisFor(rate));
    expect(f.nativeFrames).toBe(noise.length);
    const peaks = Array.from({ length: f.frames }, (_, i) => f.data[i * BASE_DIMS + PEAK]).sort((a, b) => a - b);
    expect(peaks[Math.floor(peaks.length / 2)]).toBeLessThan(12);
    // Without the end fix the cut-off last frames splatter into every bin and look like a click.
    expect(f.data[(f.frames - 1) * BASE_DIMS + PEAK]).toBeLessThan(15);
  });
});
