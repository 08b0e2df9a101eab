import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/random';
import { concat, digitalSilence, mixAt, sine, whiteNoise } from '../../testing/synth';
import type { OpenRange } from '../../features';
import { frameAnalysisFor } from './frame-analysis';
import {
  BASE_DIMS, PEAK, TONAL_RIDGE, extractFrameFeatures, floorStatistics, frameFeaturesOfRange, frameRanges, noiseFloorLevelDb, segmentFloorsOf, sumOfLargest,
} from './frame-features';

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

describe('frame features of ranges (shards of a long recording)', () => {
  const rate = 8000;
  // Segments of 0.2 s (40 frames) keep the scene short while it holds every case of the floor rule.
  const plain = { ...frameAnalysisFor(rate), floorSegmentSeconds: 0.2 };
  // Tonal mode restarts its ridge paths at each segment, so its marks too are the same cut or whole.
  const tonal = { ...frameAnalysisFor(rate, { tonal: true }), floorSegmentSeconds: 0.2 };
  const analysis = plain;
  /** Noise that gets louder, a whistle, 1 s of digital zeros with a lone click (its segment and both neighbours lack frames: the file's own floor applies). */
  function scene(seconds: number): Float32Array {
    const quiet = whiteNoise(rate, 1.3, 0.002, 5);
    const gap = digitalSilence(rate, 1);
    gap.fill(0.3, 4000, 4004);
    const loud = mixAt(whiteNoise(rate, 1.7, 0.02, 6), sine(rate, 0.5, 1500, 0.1), rate, 0.4);
    return concat(quiet, gap, loud, whiteNoise(rate, Math.max(0, seconds - 4), 0.005, 7)).subarray(0, Math.round(seconds * rate));
  }
  const rangeReader = (x: Float32Array): OpenRange => async function* (start, end) {
    // Odd block sizes: ranges must not depend on how the decoder cuts the audio.
    for (let at = start, k = 0; at < Math.min(end, x.length); k++) {
      const stop = Math.min(end, x.length, at + [997, 64, 4093][k % 3]);
      yield x.slice(at, stop);
      at = stop;
    }
  };

  it('put together, give the whole file bit for bit (floors, flux across the cut, the zero-padded end, tonal ridges)', async () => {
    // 10 frames past the last segment boundary (they join the segment before), 30 (a segment of their own), none.
    for (const [seconds, analysis] of [[4.85, plain], [4.95, plain], [5.0, plain], [4.95, tonal]] as const) {
      const x = scene(seconds);
      const read = rangeReader(x);
      const whole = await extractFrameFeatures(() => read(0, Infinity), analysis);
      for (const shardSeconds of [0.2, 0.6, 1.4]) {
        const ranges = frameRanges(analysis, x.length, shardSeconds);
        expect(ranges.length).toBeGreaterThan(2);
        const floors = segmentFloorsOf(analysis, await Promise.all(ranges.map((r) => floorStatistics(read, analysis, r))));
        const parts = await Promise.all(ranges.map((r) => frameFeaturesOfRange(read, analysis, floors, r)));
        const data = new Float32Array(whole.data.length);
        let at = 0;
        for (const p of parts) {
          expect(p.firstFrame).toBe(at);
          data.set(p.data, at * BASE_DIMS);
          at += p.frames;
        }
        expect(at).toBe(whole.frames);
        expect(data).toEqual(whole.data);
        if (analysis.tonal) expect(Array.from({ length: whole.frames }, (_, f) => whole.data[f * BASE_DIMS + TONAL_RIDGE]).some((v) => v > 0)).toBe(true);
        expect(parts.at(-1)!.nativeFrames).toBe(whole.nativeFrames);
        expect(noiseFloorLevelDb(floors)).toBe(whole.noiseFloorDb);
      }
    }
  });

  it('refuse a range off the segment grid, and a file shorter than its range', async () => {
    const x = scene(3);
    const read = rangeReader(x);
    await expect(floorStatistics(read, analysis, { firstFrame: 5, endFrame: 80 })).rejects.toThrow(/does not lie on noise-floor segments of 40 frames/);
    await expect(floorStatistics(read, analysis, { firstFrame: 0, endFrame: 1200 })).rejects.toThrow(/shorter than when it was scanned/);
  });
});
