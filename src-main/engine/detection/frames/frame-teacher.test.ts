/**
 * The label-free detector on synthesised audio with known truth: frame edges,
 * 20-ms gaps, a stationary hum, a DC offset and digital silence.
 */
import { describe, expect, it } from 'vitest';
import { concat, digitalSilence, fmWhistle, mixAt, sine, whiteNoise } from '../../testing/synth';
import { frameAnalysisFor } from './frame-analysis';
import { BASE_DIMS, PEAK, extractFrameFeatures } from './frame-features';
import { deriveFrameRegions } from './frame-regions';
import { teacherDecisions, teacherSilenceProbability } from './frame-teacher';

const RATE = 48_000;

function blocksOf(samples: Float32Array) {
  return async function* () {
    for (let i = 0; i < samples.length; i += 4096) yield samples.subarray(i, i + 4096);
  };
}

async function soundRegions(samples: Float32Array, rate = RATE) {
  const analysis = frameAnalysisFor(rate);
  const f = await extractFrameFeatures(blocksOf(samples), analysis);
  const t = teacherDecisions(f.data, f.frames, {}, analysis);
  return { f, t, regions: deriveFrameRegions(teacherSilenceProbability(t), analysis, f.nativeFrames).filter((r) => r.kind === 'sound') };
}

/** Whistles (60–200 ms) with the given gaps, in noise; returns the audio and the true [start, end) seconds. */
function scene(gapsSeconds: number[]): { samples: Float32Array; truth: [number, number][] } {
  let samples = whiteNoise(RATE, 3, 0.002, 9);
  const truth: [number, number][] = [];
  let t = 0.5;
  for (const [i, gap] of [...gapsSeconds, 0].entries()) {
    const d = 0.06 + 0.035 * i;
    samples = mixAt(samples, fmWhistle({ sampleRate: RATE, durationSeconds: d, startHz: 5000, endHz: 9000, amplitude: 0.05 }), RATE, t);
    truth.push([t, t + d]);
    t += d + gap;
  }
  return { samples, truth };
}

describe('label-free frame detector', () => {
  it('puts region edges within a hop of the sound and keeps sounds 20 ms apart separate', async () => {
    const { samples, truth } = scene([0.02, 0.02, 0.05, 0.1]);
    const { regions, f } = await soundRegions(samples);
    const hop = f.analysis.hopSize / RATE;
    expect(regions).toHaveLength(truth.length);
    regions.forEach((r, i) => {
      expect(Math.abs(r.startSeconds - truth[i][0])).toBeLessThanOrEqual(hop);
      expect(Math.abs(r.endSeconds - truth[i][1])).toBeLessThanOrEqual(hop);
    });
  });

  it('absorbs a stationary hum into the noise floor and ignores a DC offset', async () => {
    const { samples, truth } = scene([0.05, 0.1]);
    const hum = sine(RATE, 3, 3000, 0.05);
    const withHum = Float32Array.from(samples, (x, i) => x + hum[i] + 0.3);
    const plain = await soundRegions(samples);
    const hummed = await soundRegions(withHum);
    expect(hummed.regions).toHaveLength(truth.length);
    hummed.regions.forEach((r, i) => {
      expect(Math.abs(r.startSeconds - plain.regions[i].startSeconds)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(r.endSeconds - plain.regions[i].endSeconds)).toBeLessThanOrEqual(0.005);
    });
  });

  it('treats digital silence as silence and gives weak sounds an uncertain probability', async () => {
    const loud = fmWhistle({ sampleRate: RATE, durationSeconds: 0.2, amplitude: 0.05 });
    const samples = concat(digitalSilence(RATE, 0.5), mixAt(whiteNoise(RATE, 2, 0.002, 4), loud, RATE, 1));
    const { regions, t } = await soundRegions(samples);
    expect(regions).toHaveLength(1);
    expect(regions[0].startSeconds).toBeCloseTo(1.5, 2);
    const p = teacherSilenceProbability(t);
    // Sound frames are below 0.5, silent ones above, and a frame barely over the onset threshold is near 0.5.
    for (let i = 0; i < p.length; i++) expect(p[i] < 0.5).toBe(t.sound[i] === 1);
  });
});

describe('quiet recordings', () => {
  it('finds faint whistles when nothing in the file is loud, and nothing in a sound-free file', async () => {
    let faint = whiteNoise(RATE, 4, 0.002, 21);
    for (const t of [0.5, 1.5, 2.5]) faint = mixAt(faint, fmWhistle({ sampleRate: RATE, durationSeconds: 0.3, startHz: 6000, endHz: 9000, amplitude: 0.0015 }), RATE, t);
    const found = await soundRegions(faint);
    expect(found.regions.length).toBeGreaterThanOrEqual(3);
    for (const t of [0.65, 1.65, 2.65]) expect(found.regions.some((r) => r.startSeconds <= t && t < r.endSeconds)).toBe(true);
    const empty = await soundRegions(whiteNoise(RATE, 4, 0.002, 22));
    expect(empty.regions).toHaveLength(0);
  });
});

describe('low sample rates', () => {
  it('finds low, slow up-calls in a 2-kHz recording, one region each (a 16-sample FFT left them below the band)', async () => {
    const rate = 2000;
    let samples = whiteNoise(rate, 30, 0.01, 31);
    const calls = [5, 14, 23];
    for (const t of calls) samples = mixAt(samples, fmWhistle({ sampleRate: rate, durationSeconds: 1, startHz: 60, endHz: 200, vibratoHz: 0, amplitude: 0.012 }), rate, t);
    const { regions, f } = await soundRegions(samples, rate);
    expect(f.analysis.fftSize).toBeGreaterThanOrEqual(128);
    for (const t of calls) expect(regions.some((r) => r.startSeconds < t + 0.6 && r.endSeconds > t + 0.4)).toBe(true);
    expect(regions).toHaveLength(calls.length);
    expect(regions.every((r) => calls.some((t) => r.endSeconds > t - 0.1 && r.startSeconds < t + 1.1))).toBe(true);
  });
});

describe('valley splitting', () => {
  /** Base features whose peak column follows `peaks` (other features 0). */
  const baseOf = (peaks: number[]) => {
    const base = new Float32Array(peaks.length * BASE_DIMS);
    peaks.forEach((p, f) => (base[f * BASE_DIMS + PEAK] = p));
    return base;
  };
  const runs = (sound: Uint8Array) => Array.from(sound).join('').split(/0+/).filter(Boolean).length;

  it('splits two sounds joined by a bridge that stays above the offset threshold, but not short pieces', () => {
    const joined = [...Array(5).fill(0), ...Array(12).fill(40), ...Array(4).fill(20), ...Array(12).fill(40), ...Array(5).fill(0)];
    expect(runs(teacherDecisions(baseOf(joined), joined.length, { smoothRadius: 0 }).sound)).toBe(2);
    expect(runs(teacherDecisions(baseOf(joined), joined.length, { smoothRadius: 0, valleyDb: 0 }).sound)).toBe(1);
    // A 20-ms note beside the dip is too short a piece to split off (trill notes stay with their song).
    const shortPiece = [...Array(5).fill(0), ...Array(4).fill(40), ...Array(4).fill(20), ...Array(12).fill(40), ...Array(5).fill(0)];
    expect(runs(teacherDecisions(baseOf(shortPiece), shortPiece.length, { smoothRadius: 0 }).sound)).toBe(1);
  });

  it('keeps two syllables apart when a single frame between them falls under the offset, if the dip is deep', () => {
    // A syllable sung twice with no gap (koumura_bird0's "5 5" pairs): one 5-ms frame under offDb (16 dB) between
    // them. The regions' 8-ms merge gap would close a one-frame gap whatever its depth; the valley split decides.
    const analysis = frameAnalysisFor(32_000);
    const regionsOf = (peaks: number[]) => {
      const t = teacherDecisions(baseOf(peaks), peaks.length, { smoothRadius: 0 }, analysis);
      const nativeFrames = peaks.length * analysis.hopSize + analysis.fftSize;
      return deriveFrameRegions(teacherSilenceProbability(t, { smoothRadius: 0 }), analysis, nativeFrames).filter((r) => r.kind === 'sound');
    };
    const pair = (level: number, dip: number) => [...Array(5).fill(0), ...Array(12).fill(level), dip, ...Array(12).fill(level), ...Array(5).fill(0)];
    // 40 dB syllables, junction at 14 dB: 26 dB deep, two regions with a two-frame (10-ms) cut.
    const deep = regionsOf(pair(40, 14));
    expect(deep).toHaveLength(2);
    expect(deep[1].startSeconds - deep[0].endSeconds).toBeGreaterThanOrEqual(0.008);
    // 27 dB syllables, junction at 14 dB: only 13 dB deep (< valleyDb 14), one sound as before.
    expect(regionsOf(pair(27, 14))).toHaveLength(1);
    // A short note beside the dip stays with its neighbour (pieces of at least 40 ms).
    const short = [...Array(5).fill(0), ...Array(4).fill(40), 14, ...Array(12).fill(40), ...Array(5).fill(0)];
    expect(regionsOf(short)).toHaveLength(1);
  });
});
