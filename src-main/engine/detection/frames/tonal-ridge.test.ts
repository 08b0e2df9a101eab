/**
 * The tonal ridge tracker: it follows a faint contour through noise, marks
 * nothing in noise alone, restarts at segment boundaries, and in tonal mode
 * turns a whistle the loudness detector misses into sound.
 */
import { describe, expect, it } from 'vitest';
import { createRng, fmWhistle, mixAt, whiteNoise } from '../../testing/synth';
import { frameAnalysisFor } from './frame-analysis';
import { BASE_DIMS, TONAL_RIDGE, extractFrameFeatures } from './frame-features';
import { teacherDecisions } from './frame-teacher';
import { predictFrames, trainBoostedHead, type RecordingFrames } from './detection-head';
import { RIDGE_DRIFT_DB, TonalRidgeTracker, ridgeMask } from './tonal-ridge';

const BINS = 120;

/**
 * Per-bin dB over a 20 % quantile floor of exponential noise power (what the feature writer feeds the tracker),
 * with a contour of `contourDb` mean power (±3 dB flicker) moving `slope` bins a frame over frames [from, to).
 */
function levels(frames: number, seed: number, contour?: { from: number; to: number; bin: number; slope: number; contourDb: number }): Float64Array[] {
  const rng = createRng(seed);
  const floor = -Math.log(0.8); // the 20 % quantile of a unit exponential
  return Array.from({ length: frames }, (_, t) => {
    const row = Float64Array.from({ length: BINS }, () => 10 * Math.log10(-Math.log(Math.max(rng(), 1e-12)) / floor));
    if (contour && t >= contour.from && t < contour.to) {
      const k = Math.round(contour.bin + contour.slope * (t - contour.from));
      if (k >= 0 && k < BINS) row[k] = contour.contourDb + 6 * (rng() - 0.5);
    }
    return row;
  });
}

function track(rows: Float64Array[], restartEvery = Infinity): Uint8Array {
  const tracker = new TonalRidgeTracker(BINS);
  rows.forEach((row, t) => {
    if (t % restartEvery === 0) tracker.restart();
    tracker.push(t, row);
  });
  return ridgeMask(tracker.spans, 0, rows.length);
}

const count = (m: Uint8Array, from = 0, to = m.length) => m.subarray(from, to).reduce((s, v) => s + v, 0);

describe('TonalRidgeTracker', () => {
  it('follows a contour a few dB over the drift through noise, from its start to its last frame', () => {
    const contour = { from: 100, to: 220, bin: 30, slope: 0.4, contourDb: RIDGE_DRIFT_DB + 4 };
    const mask = track(levels(400, 1, contour));
    // Nearly every contour frame, and hardly anything around it (the score falls fast after the contour ends).
    expect(count(mask, 100, 220)).toBeGreaterThan(110);
    expect(count(mask, 0, 95) + count(mask, 230)).toBe(0);
  });

  it('marks nothing in noise alone, nor a contour below the drift level', () => {
    for (const seed of [2, 3, 4]) expect(count(track(levels(2000, seed)))).toBe(0);
    expect(count(track(levels(400, 5, { from: 100, to: 300, bin: 60, slope: 0, contourDb: RIDGE_DRIFT_DB - 3 })))).toBe(0);
  });

  it('cannot follow a contour that jumps more than one bin a frame, and restarts at segment boundaries', () => {
    expect(count(track(levels(400, 6, { from: 100, to: 220, bin: 5, slope: 0.9, contourDb: RIDGE_DRIFT_DB + 4 })))).toBeGreaterThan(100);
    expect(count(track(levels(400, 6, { from: 100, to: 220, bin: 5, slope: 2.5, contourDb: RIDGE_DRIFT_DB + 4 })))).toBe(0);
    // Cut every 10 frames, a contour that needs ~15 frames to reach the score is never kept.
    expect(count(track(levels(400, 7, { from: 100, to: 220, bin: 30, slope: 0, contourDb: RIDGE_DRIFT_DB + 4 }), 10))).toBe(0);
  });
});

describe('tonal mode', () => {
  const rate = 24_000;
  // A whistle 6–9 kHz with vibrato, too faint for the loudness detector, in white noise.
  const whistleAt = 1.5;
  const scene = mixAt(whiteNoise(rate, 4, 0.01, 11), fmWhistle({ sampleRate: rate, durationSeconds: 0.8, startHz: 6000, endHz: 9000, vibratoHz: 300, vibratoRate: 5, amplitude: 0.006 }), rate, whistleAt);

  async function soundFrames(tonal: boolean) {
    const analysis = frameAnalysisFor(rate, { tonal });
    const f = await extractFrameFeatures(async function* () {
      yield scene;
    }, analysis);
    const t = teacherDecisions(f.data, f.frames, {}, analysis);
    const seconds = (i: number) => (i * analysis.hopSize + analysis.fftSize / 2) / rate;
    const inside = (i: number) => seconds(i) >= whistleAt && seconds(i) < whistleAt + 0.8;
    const near = (i: number) => seconds(i) >= whistleAt - 0.05 && seconds(i) < whistleAt + 0.85;
    let soundIn = 0, framesIn = 0, soundOut = 0, ridge = 0;
    for (let i = 0; i < f.frames; i++) {
      if (f.data[i * BASE_DIMS + TONAL_RIDGE] > 0) ridge++;
      if (inside(i)) {
        framesIn++;
        soundIn += t.sound[i];
      } else if (!near(i)) soundOut += t.sound[i];
    }
    return { share: soundIn / framesIn, soundOut, ridge, analysis };
  }

  it('finds a faint whistle the loudness detector misses, and nothing else', async () => {
    const off = await soundFrames(false);
    expect(off.analysis.tonal).toBeUndefined(); // off: the analysis (and its cache key) is the same as before tonal mode
    expect(off.ridge).toBe(0);
    expect(off.share).toBe(0);
    const on = await soundFrames(true);
    expect(on.analysis.tonal).toBe(true);
    expect(on.share).toBeGreaterThan(0.9);
    expect(on.soundOut).toBe(0);
  });

  it('keeps the contours a retrained head would otherwise drop: in tonal mode they stay sound unless a person says not', async () => {
    const analysis = frameAnalysisFor(rate, { tonal: true });
    const f = await extractFrameFeatures(async function* () {
      yield scene;
    }, analysis);
    const recording: RecordingFrames = { recordingId: 1, analysis, frames: f.frames, nativeFrames: f.nativeFrames, base: f.data };
    // A person marked one second of noise as silence; the head learns from it and the detector elsewhere.
    const hop = analysis.hopSize / rate;
    const targets = new Map([[1, Int8Array.from({ length: f.frames }, (_, i) => (i * hop >= 3 && i * hop < 4 ? 0 : -1))]]);
    const head = trainBoostedHead([recording], targets, [{ recordingId: 1, ranges: [{ startSample: 3 * rate, endSample: 4 * rate, sound: false }] }]).payload;
    const p = predictFrames(head, recording);
    const ridge = Array.from({ length: f.frames }, (_, i) => i).filter((i) => f.data[i * BASE_DIMS + TONAL_RIDGE] > 0);
    expect(ridge.length).toBeGreaterThan(100);
    expect(ridge.filter((i) => p[i] < 0.5).length).toBe(ridge.length);
  });
});
