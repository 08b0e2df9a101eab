import { describe, expect, it } from 'vitest';
import { sine, whiteNoise } from '../testing/synth';
import { createResampler, resampleBlocks, resampledLength } from './resample';
import { asyncBlocks, dftAmplitudeAt, fitSine, joinBlocks, rms, splitBlocks } from './test-helpers';

function resampleAll(x: Float32Array, from: number, to: number): Float32Array {
  const r = createResampler(from, to);
  return joinBlocks([r.process(x), r.flush()]);
}

/** The middle second of the output, away from the zero-padded edges. */
function middleSecond(y: Float32Array, rate: number): Float32Array {
  return y.subarray(rate, 2 * rate);
}

const dB = (ratio: number) => 20 * Math.log10(ratio);

// Pairs cover decimation by 2, 44.1↔48 (160/147), upsampling by 320/147, a
// bat-detector rate, and 48000→44099 (gcd 1: more phases than the exact
// table holds, so the interpolated-phase path runs).
const PAIRS: Array<[number, number, number]> = [
  // [from, to, test tone Hz below 0.75 × new Nyquist]
  [96000, 48000, 17000],
  [44100, 48000, 15000],
  [48000, 44100, 16000],
  [22050, 48000, 7000],
  [250000, 48000, 12000],
  [48000, 44099, 9000],
  // Large up-sampling ratio (a 2 kHz whale recorder in a 44.1 kHz project): the filter table outgrows one WASM page.
  [2000, 44100, 700],
];

describe('createResampler: pass band', () => {
  for (const [from, to, hz] of PAIRS) {
    it(`${from} → ${to} Hz keeps a ${hz} Hz sine's frequency and amplitude`, () => {
      const x = sine(from, 3, hz, 0.5);
      const y = resampleAll(x, from, to);
      const mid = middleSecond(y, to);
      // Frequency: the DFT peak of the middle second (1 Hz resolution) is at hz,
      // on a coarse scan of the whole band and on a fine scan around hz.
      let best = 0;
      let bestAmp = -1;
      const candidates: number[] = [];
      for (let f = 100; f < to / 2; f += 250) candidates.push(f);
      for (let f = hz - 20; f <= hz + 20; f++) candidates.push(f);
      for (const f of candidates) {
        const a = dftAmplitudeAt(mid, to, f);
        if (a > bestAmp) [best, bestAmp] = [f, a];
      }
      expect(best).toBe(hz);
      // Amplitude within ±0.1 dB, and nothing but the sine left (< −60 dB).
      const fit = fitSine(mid, to, hz);
      expect(Math.abs(dB(fit.amplitude / 0.5))).toBeLessThan(0.1);
      expect(dB(fit.residualRms / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    });
  }

  it('passes DC exactly (every phase normalised)', () => {
    const x = new Float32Array(44100).fill(0.25);
    const y = resampleAll(x, 44100, 48000);
    let worst = 0;
    for (let i = 2000; i < 46000; i++) worst = Math.max(worst, Math.abs(y[i] - 0.25));
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('createResampler: anti-aliasing', () => {
  const cases: Array<[number, number, number]> = [
    [96000, 48000, 30000], // would alias to 18 kHz
    [96000, 48000, 24500], // just above the new Nyquist, would alias to 23.5 kHz
    [48000, 44100, 23000], // would alias to 21.1 kHz
    [250000, 48000, 60000],
  ];
  for (const [from, to, hz] of cases) {
    it(`${from} → ${to} Hz attenuates a ${hz} Hz sine by ≥ 60 dB`, () => {
      const x = sine(from, 3, hz, 0.5);
      const y = resampleAll(x, from, to);
      const level = rms(middleSecond(y, to)) / (0.5 / Math.SQRT2);
      expect(dB(level)).toBeLessThan(-60);
    });
  }
});

describe('createResampler: length and streaming', () => {
  it('produces exactly round(n·to/from) samples', () => {
    for (const [from, to] of [[96000, 48000], [44100, 48000], [48000, 44100], [22050, 48000], [48000, 44099], [8000, 48000]]) {
      for (const n of [0, 1, 2, 3, 7, 100, 1001, 12345]) {
        const y = resampleAll(whiteNoise(from, n / from, 0.1), from, to);
        expect(y.length, `${from}→${to}, n=${n}`).toBe(Math.round((n * to) / from));
        expect(resampledLength(n, from, to)).toBe(Math.round((n * to) / from));
      }
    }
  });

  it('streaming in odd block sizes equals one-shot, bit for bit', () => {
    for (const [from, to] of [[96000, 48000], [44100, 48000], [48000, 44099]]) {
      const x = whiteNoise(from, 0.5, 0.2, 5);
      const oneShot = resampleAll(x, from, to);
      const r = createResampler(from, to);
      const parts = splitBlocks(x, [1, 7, 333, 4097, 2, 65]).map((b) => r.process(b));
      parts.push(r.flush());
      const streamed = joinBlocks(parts);
      expect(streamed.length).toBe(oneShot.length);
      expect(streamed).toEqual(oneShot);
    }
  });

  it('resampleBlocks (async) equals one-shot', async () => {
    const x = whiteNoise(96000, 0.3, 0.2, 9);
    const out: Float32Array[] = [];
    for await (const b of resampleBlocks(asyncBlocks(splitBlocks(x, [999, 17])), 96000, 48000)) out.push(b);
    expect(joinBlocks(out)).toEqual(resampleAll(x, 96000, 48000));
  });

  it('the WebAssembly SIMD kernel agrees with the double-precision JS kernel', () => {
    for (const [from, to] of [[96000, 48000], [44100, 48000], [48000, 44100], [384000, 48000]]) {
      const x = whiteNoise(from, 0.2, 0.3, 13);
      const fast = resampleAll(x, from, to);
      const r = createResampler(from, to, { kernel: 'js' });
      const plain = joinBlocks([r.process(x), r.flush()]);
      expect(fast.length).toBe(plain.length);
      let worst = 0;
      for (let i = 0; i < fast.length; i++) worst = Math.max(worst, Math.abs(fast[i] - plain[i]));
      expect(worst, `${from}→${to}`).toBeLessThan(1e-5);
      expect(fast).not.toEqual(new Float32Array(fast.length));
    }
  });

  it('the JS kernels alone keep a sine and reject an alias', () => {
    for (const [from, to, hz] of [[96000, 48000, 17000], [44100, 48000, 15000], [48000, 44099, 9000]]) {
      const r = createResampler(from, to, { kernel: 'js' });
      const y = joinBlocks([r.process(sine(from, 3, hz, 0.5)), r.flush()]);
      const fit = fitSine(middleSecond(y, to), to, hz);
      expect(Math.abs(dB(fit.amplitude / 0.5))).toBeLessThan(0.1);
      expect(dB(fit.residualRms / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    }
    const r = createResampler(96000, 48000, { kernel: 'js' });
    const alias = joinBlocks([r.process(sine(96000, 3, 30000, 0.5)), r.flush()]);
    expect(dB(rms(middleSecond(alias, 48000)) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
  });

  it('equal rates pass samples through unchanged', () => {
    const x = whiteNoise(48000, 0.1, 0.3);
    const r = createResampler(48000, 48000);
    expect(joinBlocks([r.process(x), r.flush()])).toEqual(x);
  });

  it('rejects non-integer or non-positive rates', () => {
    expect(() => createResampler(0, 48000)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => createResampler(44100.5, 48000)).toThrow(/not a positive whole number/);
  });
});
