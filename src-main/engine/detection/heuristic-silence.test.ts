import { describe, expect, it } from 'vitest';
import type { FeatureConfig, WindowSpan } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { defaultFeatureConfig, frameCount, windowSpans } from '../features';
import { fmWhistle, mixAt, synthScene, whiteNoise, type SceneSegment } from '../testing/synth';
import { detectHeuristicSilence, type HeuristicSilenceResult } from './heuristic-silence';
import { BinHistograms, HIST_STEP_DB } from './noise-floor';

const RATE = 48000;
const TOTAL = 12;
const SEGMENTS: SceneSegment[] = [
  { kind: 'whistle', startSeconds: 1.0, endSeconds: 1.8 },
  { kind: 'clicks', startSeconds: 3.0, endSeconds: 3.6 },
  { kind: 'burst', startSeconds: 5.0, endSeconds: 5.5 },
  { kind: 'whistle', startSeconds: 7.0, endSeconds: 8.2 },
  { kind: 'clicks', startSeconds: 9.5, endSeconds: 10.0 },
];
/** Exact digital zeros: a recorder lead-in and a dropout inside a quiet stretch. */
const ZEROS: [number, number][] = [
  [0, 0.6],
  [10.6, 11.2],
];

/** Blocks of 4096 samples, like a decoder would yield. */
function opener(x: Float32Array) {
  return async function* () {
    for (let o = 0; o < x.length; o += 4096) yield x.subarray(o, Math.min(x.length, o + 4096));
  };
}

/** The scene with DC added, scaled, zero stretches forced to exact zeros and (optionally) 16-bit quantised. */
function variant(base: Float32Array, o: { gain?: number; dc?: number; quantise?: boolean }): Float32Array {
  const out = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    let v = base[i] * (o.gain ?? 1) + (o.dc ?? 0);
    if (o.quantise) v = Math.round(v * 32768) / 32768;
    out[i] = v;
  }
  for (const [a, b] of ZEROS) out.fill(0, Math.round(a * RATE), Math.round(b * RATE));
  return out;
}

/** Truth computed here, independently: a window is sound when its native span overlaps a sound segment. */
function truthSilent(span: WindowSpan, segments: SceneSegment[]): boolean {
  return !segments.some((s) => s.kind !== 'silence' && span.startSeconds < s.endSeconds && s.startSeconds < span.endSeconds);
}

function accuracy(r: HeuristicSilenceResult, segments: SceneSegment[]): number {
  const ok = r.windows.filter((w) => w.silent === truthSilent(w.span, segments)).length;
  return ok / r.windows.length;
}

function rms(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / x.length);
}

describe('detectHeuristicSilence on synthetic scenes', () => {
  const config: FeatureConfig = defaultFeatureConfig(RATE);
  const scene = synthScene(RATE, SEGMENTS, TOTAL, 0.002, 11);
  const cases: [string, Float32Array][] = [
    ['plain', variant(scene, {})],
    ['DC offset 0.1', variant(scene, { dc: 0.1 })],
    // Noise at −80 dBFS RMS plus a DC offset 30× larger, quantised to 16 bits like the OSmOSE dolphin files.
    ['−80 dBFS, DC, 16-bit', variant(scene, { gain: 1e-4 / 0.002, dc: 0.003, quantise: true })],
  ];

  for (const [name, signal] of cases) {
    it(`labels windows of the ${name} scene with accuracy ≥ 0.9`, async () => {
      const r = await detectHeuristicSilence(opener(signal), RATE, signal.length, config);
      const acc = accuracy(r, SEGMENTS);
      console.log(`heuristic, ${name}: window accuracy ${(100 * acc).toFixed(1)}% over ${r.windows.length} windows, noise floor ${r.noiseFloorDb?.toFixed(1)} dB`);
      expect(acc).toBeGreaterThanOrEqual(0.9);
      // Spans are the pipeline's own windows for this signal.
      expect(r.windows.map((w) => w.span)).toEqual(windowSpans(signal.length, RATE, signal.length, config));
      // Exact zeros are recognised as such: the lead-in and the dropout are ~1.2 s of frames.
      const zeroSeconds = (r.zeroFrames * config.hopSize) / RATE;
      expect(zeroSeconds).toBeGreaterThan(1.0);
      expect(zeroSeconds).toBeLessThan(1.25);
      for (const w of r.windows) {
        expect(w.silent).toBe(w.pSilence >= 0.5);
        expect(w.silent).toBe(w.soundFrames < r.params.minSoundFrames);
      }
    });
  }

  it('reports the noise level in the band (white noise: σ² · band share), independent of DC', async () => {
    const sigma = 0.01;
    const noise = whiteNoise(RATE, 6, sigma, 5);
    const withDc = noise.map((v) => v + 0.2);
    const r1 = await detectHeuristicSilence(opener(noise), RATE, noise.length, config);
    const r2 = await detectHeuristicSilence(opener(withDc), RATE, withDc.length, config);
    const share = r1.params.binCount / (config.fftSize / 2);
    const expected = 10 * Math.log10(sigma * sigma * share);
    expect(r1.noiseFloorDb).toBeCloseTo(expected, 0);
    expect(Math.abs((r2.noiseFloorDb ?? 0) - (r1.noiseFloorDb ?? 0))).toBeLessThan(0.1);
    // Pure noise: essentially every window is silence.
    expect(r1.windows.filter((w) => w.silent).length).toBeGreaterThanOrEqual(r1.windows.length - 1);
  });

  it('finds a tonal whistle at 0 dB broadband SNR through the peak test', async () => {
    const sigma = 0.05;
    const quiet = whiteNoise(RATE, 6, sigma, 9);
    const whistle = fmWhistle({ sampleRate: RATE, durationSeconds: 1.5, startHz: 6000, endHz: 12000, amplitude: sigma * Math.SQRT2 });
    expect(20 * Math.log10(rms(whistle) / sigma)).toBeLessThan(0.1); // ≤ 0 dB SNR over the whole band
    const x = mixAt(quiet, whistle, RATE, 2);
    const segs: SceneSegment[] = [{ kind: 'whistle', startSeconds: 2, endSeconds: 3.5 }];
    const r = await detectHeuristicSilence(opener(x), RATE, x.length, config);
    const inside = r.windows.filter((w) => w.span.startSeconds >= 2 && w.span.endSeconds <= 3.5);
    expect(inside.length).toBeGreaterThan(5);
    expect(inside.every((w) => !w.silent)).toBe(true);
    expect(accuracy(r, segs)).toBeGreaterThanOrEqual(0.9);
    // Without the peak test (energy only), the whistle is not found: the peakiness test is what finds it.
    const energyOnly = await detectHeuristicSilence(opener(x), RATE, x.length, config, { minPeakMarginDb: 200 });
    expect(energyOnly.windows.filter((w) => !w.silent).length).toBeLessThan(inside.length / 2);
  });

  it('follows a noise level that changes during a long recording (per-segment floors)', async () => {
    const rate = 8000;
    const cfg = defaultFeatureConfig(rate);
    const quietPart = whiteNoise(rate, 60, 0.002, 1);
    const loudPart = mixAt(
      whiteNoise(rate, 60, 0.02, 2),
      fmWhistle({ sampleRate: rate, durationSeconds: 2, startHz: 1500, endHz: 3000, amplitude: 0.2 }),
      rate,
      40,
    );
    const x = new Float32Array(quietPart.length + loudPart.length);
    x.set(quietPart);
    x.set(loudPart, quietPart.length);
    const loudQuietWindows = (r: HeuristicSilenceResult) =>
      r.windows.filter((w) => w.span.startSeconds > 85 && (w.span.endSeconds < 100 || w.span.startSeconds > 102.5));
    const adaptive = await detectHeuristicSilence(opener(x), rate, x.length, cfg, { segmentSeconds: 10 });
    const judged = loudQuietWindows(adaptive);
    expect(judged.filter((w) => w.silent).length / judged.length).toBeGreaterThan(0.9);
    const whistle = adaptive.windows.filter((w) => w.span.startSeconds >= 100 && w.span.endSeconds <= 102);
    expect(whistle.every((w) => !w.silent)).toBe(true);
    // One floor for the whole file (a single long segment) calls the louder half sound: adaptivity matters.
    const global = await detectHeuristicSilence(opener(x), rate, x.length, cfg, { segmentSeconds: 1000 });
    const judgedGlobal = loudQuietWindows(global);
    expect(judgedGlobal.filter((w) => w.silent).length / judgedGlobal.length).toBeLessThan(0.5);
  });

  it('calls an all-zero recording silent everywhere and has no floor', async () => {
    const zeros = new Float32Array(RATE * 2);
    const r = await detectHeuristicSilence(opener(zeros), RATE, zeros.length, config);
    expect(r.noiseFloorDb).toBeNull();
    expect(r.zeroFrames).toBe(frameCount(zeros.length, config));
    expect(r.windows.every((w) => w.silent && w.pSilence === 1)).toBe(true);
  });

  it('covers resampled audio with the pipeline spans and the native length', async () => {
    const native = 44100;
    const x = synthScene(native, [{ kind: 'whistle', startSeconds: 1, endSeconds: 2 }], 3, 0.002, 4);
    const r = await detectHeuristicSilence(opener(x), native, x.length, config);
    const last = r.windows[r.windows.length - 1].span;
    expect(last.endNativeSample).toBe(x.length);
    expect(accuracy(r, [{ kind: 'whistle', startSeconds: 1, endSeconds: 2 }])).toBeGreaterThanOrEqual(0.9);
  });

  it('rejects bad settings with a readable message', async () => {
    const x = new Float32Array(1000);
    await expect(detectHeuristicSilence(opener(x), RATE, x.length, config, { floorQuantile: 0.9 })).rejects.toThrow(/floorQuantile/);
    await expect(detectHeuristicSilence(opener(x), RATE, x.length, config, { minSoundFrames: 0 })).rejects.toBeInstanceOf(SonotypeError);
  });
});

describe('BinHistograms quantiles', () => {
  it('match exact sorted quantiles within one histogram cell', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const bins = 3;
    const frames = 500;
    const data = new Float32Array(frames * bins);
    for (let i = 0; i < data.length; i++) data[i] = -120 + 100 * rnd() * rnd();
    const h = new BinHistograms(bins);
    for (let f = 0; f < frames; f++) h.addFrame(data, f * bins);
    for (const q of [0.1, 0.2, 0.5]) {
      const got = h.quantiles(q);
      for (let b = 0; b < bins; b++) {
        const sorted = Array.from({ length: frames }, (_, f) => data[f * bins + b]).sort((x, y) => x - y);
        const exact = sorted[Math.ceil(q * frames) - 1];
        expect(Math.abs(got[b] - exact)).toBeLessThanOrEqual(HIST_STEP_DB);
      }
    }
  });
});
