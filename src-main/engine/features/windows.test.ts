import { describe, expect, it } from 'vitest';
import { defaultFeatureConfig } from './feature-config';
import { frameCount } from './stft';
import { windowCount, windowSpans } from './windows';

describe('windowCount', () => {
  it('covers every frame (W = 32, S = 16), 0 windows for 0 frames', () => {
    const c = defaultFeatureConfig(48000);
    expect([0, 1, 31, 32, 33, 48, 49, 64, 65].map((n) => windowCount(n, c))).toEqual([0, 1, 1, 1, 2, 2, 3, 3, 4]);
  });
});

describe('windowSpans: hand-computed small config', () => {
  // fft 16, hop 4, 3-frame windows every 2 frames, analysis 1000 Hz.
  const c = defaultFeatureConfig(1000, { fftSize: 16, hopSize: 4, windowFrames: 3, windowStride: 2 });

  it('same native rate: 30 samples → 8 frames → 4 windows', () => {
    expect(frameCount(30, c)).toBe(8); // starts 0, 4, …, 28
    const spans = windowSpans(30, 1000, 30, c);
    // window w: frames [2w, 2w+3), samples [8w, min(30, (2w+2)·4 + 16))
    expect(spans.map((s) => [s.startFrame, s.startSample, s.endSample, s.padded])).toEqual([
      [0, 0, 24, false],
      [2, 8, 30, false],
      [4, 16, 30, false],
      [6, 24, 30, true], // frames 6, 7 real, frame 8 padding
    ]);
    expect(spans.map((s) => [s.startNativeSample, s.endNativeSample])).toEqual([[0, 24], [8, 30], [16, 30], [24, 30]]);
    expect(spans.map((s) => [s.startSeconds, s.endSeconds])).toEqual([[0, 0.024], [0.008, 0.03], [0.016, 0.03], [0.024, 0.03]]);
    expect(spans.map((s) => s.index)).toEqual([0, 1, 2, 3]);
  });

  it('native rate 3000 Hz (ratio 3): native indices are 3 × analysis, end = file length', () => {
    const spans = windowSpans(30, 3000, 90, c);
    expect(spans.map((s) => [s.startNativeSample, s.endNativeSample])).toEqual([[0, 72], [24, 90], [48, 90], [72, 90]]);
    expect(spans[0].endSeconds).toBe(72 / 3000);
  });

  it('native 1500 Hz from 1000 Hz analysis (ratio 3/2): floor start, ceil end', () => {
    // 45 native samples → 30 analysis samples. Window 0 ends at analysis 24 → native 36;
    // window 1 starts at 8 → 12.
    const spans = windowSpans(30, 1500, 45, c);
    expect(spans.map((s) => [s.startNativeSample, s.endNativeSample])).toEqual([[0, 36], [12, 45], [24, 45], [36, 45]]);
  });

  it('one sample → one padded window', () => {
    const [only, ...rest] = windowSpans(1, 1000, 1, c);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ startSample: 0, endSample: 1, startNativeSample: 0, endNativeSample: 1, padded: true });
  });

  it('no samples → no windows', () => {
    expect(windowSpans(0, 1000, 0, c)).toEqual([]);
  });
});

describe('windowSpans: properties', () => {
  const cases: Array<[number, number, number]> = [
    // [analysis rate, native rate, native samples]
    [48000, 48000, 48000 * 3 + 123],
    [48000, 96000, 96000 * 2 + 7],
    [48000, 44100, 44100 * 2 + 1],
    [48000, 250000, 250000 + 99],
  ];
  for (const [rate, native, nativeFrames] of cases) {
    it(`${native} → ${rate} Hz, ${nativeFrames} samples: covering, monotone, consistent with the ratio`, () => {
      const c = defaultFeatureConfig(rate);
      const n = Math.round((nativeFrames * rate) / native);
      const spans = windowSpans(n, native, nativeFrames, c);
      expect(spans.length).toBe(windowCount(frameCount(n, c), c));
      // Covering: no gap between consecutive windows, first starts at 0, last ends at the end.
      expect(spans[0].startSample).toBe(0);
      expect(spans[0].startNativeSample).toBe(0);
      expect(spans.at(-1)!.endSample).toBe(n);
      expect(spans.at(-1)!.endNativeSample).toBe(nativeFrames);
      expect(spans.at(-1)!.endSeconds).toBe(nativeFrames / native);
      for (let i = 1; i < spans.length; i++) {
        const [a, b] = [spans[i - 1], spans[i]];
        expect(b.startSample).toBeGreaterThan(a.startSample);
        expect(b.endSample).toBeGreaterThanOrEqual(a.endSample);
        expect(b.startSample).toBeLessThanOrEqual(a.endSample);
        expect(b.startNativeSample).toBeGreaterThan(a.startNativeSample);
        expect(b.endNativeSample).toBeGreaterThanOrEqual(a.endNativeSample);
        expect(b.startNativeSample).toBeLessThanOrEqual(a.endNativeSample);
        expect(b.startSeconds).toBeGreaterThan(a.startSeconds);
      }
      for (const s of spans) {
        // Native range = analysis range × native/rate, widened by less than one sample.
        const ratio = native / rate;
        expect(s.startNativeSample).toBeLessThanOrEqual(s.startSample * ratio);
        expect(s.startSample * ratio - s.startNativeSample).toBeLessThan(1);
        if (s.endSample < n) {
          expect(s.endNativeSample).toBeGreaterThanOrEqual(s.endSample * ratio);
          expect(s.endNativeSample - s.endSample * ratio).toBeLessThan(1);
        }
        expect(s.startSeconds).toBe(s.startNativeSample / native);
        expect(s.endSample - s.startSample).toBeLessThanOrEqual((c.windowFrames - 1) * c.hopSize + c.fftSize);
        expect(s.padded).toBe(s.startFrame + c.windowFrames > frameCount(n, c));
      }
      // Only the last window(s) can be padded.
      const firstPadded = spans.findIndex((s) => s.padded);
      if (firstPadded >= 0) expect(spans.slice(firstPadded).every((s) => s.padded)).toBe(true);
    });
  }

  it('every analysis sample lies inside some window (brute force)', () => {
    const c = defaultFeatureConfig(8000, { fftSize: 64, hopSize: 48, windowFrames: 5, windowStride: 5 });
    for (const n of [1, 63, 64, 65, 239, 240, 241, 1000, 4097]) {
      const covered = new Uint8Array(n);
      for (const s of windowSpans(n, 8000, n, c)) covered.fill(1, s.startSample, s.endSample);
      expect(covered.every((v) => v === 1), `n = ${n}`).toBe(true);
    }
  });
});
