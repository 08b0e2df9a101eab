import { describe, expect, it } from 'vitest';
import { createRng, sine } from '../testing/synth';
import { defaultFeatureConfig, keptBins } from './feature-config';
import { DB_FLOOR, computeSpectrogram, createStreamingStft, frameCount, type WindowKind } from './stft';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { splitBlocks } from './test-helpers';

/** Independent reference: direct O(N²) DFT per frame, periodic Hann, zero-padded tail. */
function referenceSpectrogram(x: Float32Array, c: FeatureConfig, windowOf = (i: number, N: number) => 0.5 * (1 - Math.cos((2 * Math.PI * i) / N))): { frames: number; mags: number[][] } {
  const N = c.fftSize;
  const win = Array.from({ length: N }, (_, i) => windowOf(i, N));
  const wsum = win.reduce((a, b) => a + b, 0);
  const bins: number[] = [];
  for (let k = 0; k <= N / 2; k++) {
    const hz = (k * c.analysisSampleRate) / N;
    if (hz >= c.band.lowHz && hz < c.band.highHz) bins.push(k);
  }
  const frames = Math.ceil(x.length / c.hopSize);
  const mags: number[][] = [];
  for (let f = 0; f < frames; f++) {
    const row: number[] = [];
    for (const k of bins) {
      let re = 0, im = 0;
      for (let n = 0; n < N; n++) {
        const i = f * c.hopSize + n;
        const v = i < x.length ? x[i] * win[n] : 0;
        re += v * Math.cos((2 * Math.PI * k * n) / N);
        im -= v * Math.sin((2 * Math.PI * k * n) / N);
      }
      row.push((2 * Math.hypot(re, im)) / wsum);
    }
    mags.push(row);
  }
  return { frames, mags };
}

function randomSignal(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
}

describe('frameCount', () => {
  it('is ceil(n / hop), with 0 frames for 0 samples', () => {
    const c = defaultFeatureConfig(48000);
    expect([0, 1, 255, 256, 257, 512, 1000].map((n) => frameCount(n, c))).toEqual([0, 1, 1, 1, 2, 2, 4]);
  });
});

describe('computeSpectrogram vs direct DFT', () => {
  const configs: Array<[string, FeatureConfig]> = [
    ['default 512/256 dB', defaultFeatureConfig(48000, { fftSize: 64, hopSize: 32 })],
    ['linear, band 3–15 kHz, hop 20', defaultFeatureConfig(48000, { fftSize: 64, hopSize: 20, magnitude: 'linear', band: { lowHz: 3000, highHz: 15000 } })],
    ['512/256 dB full size', defaultFeatureConfig(48000)],
  ];
  for (const [name, c] of configs) {
    it(`${name}: every kept bin of every frame matches`, () => {
      const x = randomSignal(c.fftSize * 3 + 17, 4); // ends mid-frame: tail padding is exercised
      const s = computeSpectrogram(x, c);
      const ref = referenceSpectrogram(x, c);
      expect(s.frameCount).toBe(ref.frames);
      expect(s.binCount).toBe(ref.mags[0].length);
      expect(s.binCount).toBe(keptBins(c).binCount);
      let checked = 0;
      for (let f = 0; f < ref.frames; f++) {
        for (let b = 0; b < s.binCount; b++) {
          const got = s.data[f * s.binCount + b];
          const mag = ref.mags[f][b];
          if (c.magnitude === 'db') {
            const want = Math.max(20 * Math.log10(mag), DB_FLOOR);
            expect(Math.abs(got - want), `frame ${f} bin ${b}`).toBeLessThan(mag > 1e-4 ? 1e-3 : 0.05);
          } else {
            expect(Math.abs(got - mag), `frame ${f} bin ${b}`).toBeLessThan(1e-5 + 1e-5 * mag);
          }
          checked++;
        }
      }
      expect(checked).toBe(ref.frames * s.binCount);
    });
  }
  // Textbook periodic windows (Harris 1978), written out independently of stft.ts.
  const textbook: Record<WindowKind, (i: number, N: number) => number> = {
    hann: (i, N) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N),
    hamming: (i, N) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / N),
    blackman: (i, N) => 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / N) + 0.08 * Math.cos((4 * Math.PI * i) / N),
    rectangular: () => 1,
  };
  for (const kind of Object.keys(textbook) as WindowKind[]) {
    it(`display window ${kind}: matches the direct DFT, and a bin-centred sine reads its amplitude`, () => {
      const c = defaultFeatureConfig(8000, { fftSize: 64, hopSize: 16, magnitude: 'linear' });
      const x = randomSignal(64 * 2 + 5, 11);
      const s = computeSpectrogram(x, c, kind);
      const ref = referenceSpectrogram(x, c, textbook[kind]);
      for (let f = 0; f < ref.frames; f++) {
        for (let b = 0; b < s.binCount; b++) expect(Math.abs(s.data[f * s.binCount + b] - ref.mags[f][b])).toBeLessThan(1e-5);
      }
      // Coherent-gain scaling: amplitude 0.5 at bin 8 (1 kHz) reads 0.5 whatever the window.
      const tone = Float32Array.from({ length: 64 }, (_, n) => 0.5 * Math.cos((2 * Math.PI * 8 * n) / 64));
      expect(computeSpectrogram(tone, { ...c, hopSize: 64 }, kind).data[8]).toBeCloseTo(0.5, 5);
    });
  }
  it('the default config keeps 256 bins, 0 Hz … rate/2 − one bin (no Nyquist)', () => {
    const kb = keptBins(defaultFeatureConfig(48000));
    expect(kb.firstBin).toBe(0);
    expect(kb.binCount).toBe(256);
    expect(kb.frequenciesHz[255]).toBe((255 * 48000) / 512);
  });
});

describe('computeSpectrogram: frequency axis and scale', () => {
  it('row 0 is the lowest frequency: a sine at bin k peaks at row k and reads ≈ 0 dB at full scale', () => {
    const c = defaultFeatureConfig(48000);
    for (const k of [1, 10, 100, 200, 255]) {
      const hz = (k * 48000) / 512;
      const s = computeSpectrogram(sine(48000, 0.1, hz, 1), c);
      for (let f = 0; f < s.frameCount - 2; f++) {
        const row = s.data.subarray(f * s.binCount, (f + 1) * s.binCount);
        let best = 0;
        for (let b = 1; b < row.length; b++) if (row[b] > row[best]) best = b;
        expect(best).toBe(k);
        expect(Math.abs(row[k])).toBeLessThan(0.01);
      }
    }
  });

  it('with a band, bins map to frequenciesHz (a 6 kHz sine peaks at the 6 kHz row)', () => {
    const c = defaultFeatureConfig(48000, { band: { lowHz: 2000, highHz: 12000 } });
    const kb = keptBins(c);
    const s = computeSpectrogram(sine(48000, 0.05, 6000, 0.5), c);
    const row = s.data.subarray(2 * s.binCount, 3 * s.binCount);
    let best = 0;
    for (let b = 1; b < row.length; b++) if (row[b] > row[best]) best = b;
    expect(kb.frequenciesHz[best]).toBe(6000);
    expect(row[best]).toBeCloseTo(20 * Math.log10(0.5), 2);
  });

  it('digital silence reads the floor, never -Infinity/NaN; linear reads 0', () => {
    const zeros = new Float32Array(2000);
    const db = computeSpectrogram(zeros, defaultFeatureConfig(48000));
    expect(db.data.every((v) => v === DB_FLOOR)).toBe(true);
    const lin = computeSpectrogram(zeros, defaultFeatureConfig(48000, { magnitude: 'linear' }));
    expect(lin.data.every((v) => v === 0)).toBe(true);
  });

  it('covers the end: an impulse at the very last sample shows in the last frame', () => {
    const c = defaultFeatureConfig(48000);
    const x = new Float32Array(10_000);
    x[x.length - 1] = 1;
    const s = computeSpectrogram(x, c);
    const last = s.data.subarray((s.frameCount - 1) * s.binCount);
    expect(Math.max(...last)).toBeGreaterThan(-100);
  });
});

describe('createStreamingStft', () => {
  it('odd block sizes give exactly computeSpectrogram', () => {
    for (const c of [defaultFeatureConfig(48000), defaultFeatureConfig(48000, { fftSize: 256, hopSize: 100, magnitude: 'linear' })]) {
      const x = randomSignal(20_011, 8);
      const whole = computeSpectrogram(x, c);
      const st = createStreamingStft(c);
      const parts: Float32Array[] = [];
      let frames = 0;
      for (const b of splitBlocks(x, [1, 13, 511, 4099, 256])) {
        const ch = st.push(b);
        frames += ch.frames;
        parts.push(ch.data);
      }
      const end = st.finish();
      frames += end.frames;
      parts.push(end.data);
      expect(frames).toBe(whole.frameCount);
      const joined = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
      let o = 0;
      for (const p of parts) {
        joined.set(p, o);
        o += p.length;
      }
      expect(joined).toEqual(whole.data);
    }
  });

  it('an empty stream has no frames', () => {
    const st = createStreamingStft(defaultFeatureConfig(48000));
    expect(st.push(new Float32Array(0)).frames).toBe(0);
    expect(st.finish().frames).toBe(0);
  });
});
