/**
 * Acoustic frame sequences of one region: log-mel or MFCC frames computed at
 * the recording's NATIVE rate (never resampled: upsampling a 22 kHz clip to
 * 44.1 kHz leaves an empty top band that makes clips group by rate), on a mel
 * axis that stops at `maxHz`, which the caller sets to the lowest Nyquist of
 * everything clustered together, so every region is described on the same
 * frequency axis. The hop is given in seconds, so regions of different rates
 * get the same time resolution.
 *
 * Optional steps, each measured on the dev sets (npm run bench -- cluster):
 * - trim: drop low-energy frames at both ends (detected regions start with
 *   background; the SRKW catalogue clips start with 0.1–1 s of it);
 * - per-region mean/variance normalisation of every coefficient: essential
 *   for the orca calls, harmful for short syllables (issue #11's baselines).
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { computeSpectrogram, keptBins } from '../features';

export interface AcousticFrameOptions {
  kind: 'logmel' | 'mfcc';
  /** Frame hop in seconds. */
  hopSeconds: number;
  /** Analysis window (Hann) in seconds; the FFT is the next power of two. */
  windowSeconds: number;
  melBands: number;
  /** MFCC coefficients kept. */
  mfccCount: number;
  /** Whether the first kept coefficient is c0 (overall level) rather than c1. */
  includeC0: boolean;
  minHz: number;
  maxHz: number;
  /** Per-region z-score of every coefficient. */
  normalise: boolean;
  /** Trim quiet frames at both ends (threshold between the region's quiet and loud frames, see trimRange); 0 = no trim. */
  trimFraction: number;
}

export const DEFAULT_ACOUSTIC_OPTIONS: AcousticFrameOptions = {
  kind: 'mfcc',
  hopSeconds: 0.005,
  windowSeconds: 0.016,
  melBands: 64,
  mfccCount: 20,
  includeC0: false,
  minHz: 0,
  maxHz: 24_000,
  normalise: true,
  trimFraction: 0,
};

/** Frame dimension a configuration produces. */
export function acousticDim(options: AcousticFrameOptions): number {
  return options.kind === 'mfcc' ? options.mfccCount : options.melBands;
}

/** Samples of context to read on each side of a region so its first and last frames are centred inside it. */
export function contextSamples(sampleRate: number, options: AcousticFrameOptions): number {
  return Math.ceil(fftSizeFor(sampleRate, options) / 2);
}

function fftSizeFor(sampleRate: number, options: AcousticFrameOptions): number {
  const wanted = Math.max(16, Math.round(options.windowSeconds * sampleRate));
  return 2 ** Math.ceil(Math.log2(wanted));
}

/**
 * Frames of a region. `samples` holds the region plus `before` samples of
 * context in front (see contextSamples); frames are centred on
 * region-relative times 0, hop, 2·hop, … < region length. Returns
 * frames × acousticDim values, frame-major (at least one frame).
 */
export function regionAcousticFrames(
  samples: Float32Array,
  sampleRate: number,
  before: number,
  regionLength: number,
  options: AcousticFrameOptions,
): Float32Array {
  if (!(options.maxHz > options.minHz)) throw new SonotypeError('INVALID_ARGUMENT', `Mel range ${options.minHz}–${options.maxHz} Hz is empty.`);
  const fftSize = fftSizeFor(sampleRate, options);
  const hop = Math.max(1, Math.round(options.hopSeconds * sampleRate));
  const config: FeatureConfig = {
    version: 1, analysisSampleRate: sampleRate, channel: 0, fftSize, hopSize: Math.min(hop, fftSize), magnitude: 'linear',
    band: { lowHz: 0, highHz: sampleRate / 2 }, windowFrames: 1, windowStride: 1, normalisation: 'none',
  };
  // Frame f of the STFT starts at f·hop; shift so frame centres fall on region times k·hop.
  const half = fftSize / 2;
  const frames = Math.max(1, Math.ceil(regionLength / hop));
  const start = before - half;
  const padded = new Float32Array((frames - 1) * hop + fftSize);
  for (let i = 0; i < padded.length; i++) {
    const at = start + i;
    padded[i] = at >= 0 && at < samples.length ? samples[at] : 0;
  }
  const spectrogram = computeSpectrogram(padded, config);
  const bins = keptBins(config).frequenciesHz;
  const bank = melFilterbank(bins, options.melBands, options.minHz, Math.min(options.maxHz, sampleRate / 2));
  const logMel = new Float32Array(frames * options.melBands);
  const energy = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    const row = spectrogram.data.subarray(f * spectrogram.binCount, (f + 1) * spectrogram.binCount);
    let total = 0;
    for (let b = 0; b < options.melBands; b++) {
      const { first, weights } = bank[b];
      let p = 0;
      for (let k = 0; k < weights.length; k++) p += weights[k] * row[first + k] * row[first + k];
      total += p;
      logMel[f * options.melBands + b] = 10 * Math.log10(p + 1e-12);
    }
    energy[f] = 10 * Math.log10(total + 1e-12);
  }
  const [from, to] = options.trimFraction > 0 ? trimRange(energy, options.trimFraction) : [0, frames];
  let out: Float32Array = logMel.subarray(from * options.melBands, to * options.melBands);
  if (options.kind === 'mfcc') out = dct(out, options.melBands, options.mfccCount, options.includeC0 ? 0 : 1);
  else out = Float32Array.from(out);
  if (options.normalise) zScoreColumns(out, acousticDim(options));
  return out;
}

/**
 * Frames [from, to) that remain after trimming quiet frames at both ends:
 * frames below floor + trimFraction · (loud − floor) are dropped from the
 * ends, where floor and loud are the 10th and 90th percentiles of the frame
 * energies. Regions with less than 6 dB between the two (no clear call) are
 * left whole.
 */
export function trimRange(energyDb: Float64Array, trimFraction: number): [number, number] {
  const sorted = Float64Array.from(energyDb).sort();
  const floor = sorted[Math.floor(0.1 * (sorted.length - 1))];
  const loud = sorted[Math.ceil(0.9 * (sorted.length - 1))];
  if (loud - floor < 6) return [0, energyDb.length];
  const threshold = floor + trimFraction * (loud - floor);
  let from = 0;
  let to = energyDb.length;
  while (from < to - 1 && energyDb[from] < threshold) from++;
  while (to - 1 > from && energyDb[to - 1] < threshold) to--;
  return [from, to];
}

interface MelFilter {
  first: number;
  weights: Float32Array;
}

const hzToMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const melToHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);

/** Triangular (HTK) mel filters over the given bin frequencies, each normalised to unit area. */
export function melFilterbank(binHz: Float64Array, bands: number, minHz: number, maxHz: number): MelFilter[] {
  const lo = hzToMel(minHz);
  const hi = hzToMel(maxHz);
  const edges = Array.from({ length: bands + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (bands + 1)));
  const filters: MelFilter[] = [];
  for (let b = 0; b < bands; b++) {
    const [left, centre, right] = [edges[b], edges[b + 1], edges[b + 2]];
    const weights: number[] = [];
    let first = -1;
    for (let k = 0; k < binHz.length; k++) {
      const f = binHz[k];
      const w = f <= left || f >= right ? 0 : f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
      if (w > 0) {
        if (first < 0) first = k;
        weights[k - first] = w;
      } else if (first >= 0) {
        break;
      }
    }
    // A band narrower than one bin (low frequencies, short FFT) takes the nearest bin.
    if (first < 0) {
      let nearest = 0;
      for (let k = 1; k < binHz.length; k++) if (Math.abs(binHz[k] - centre) < Math.abs(binHz[nearest] - centre)) nearest = k;
      filters.push({ first: nearest, weights: Float32Array.of(1) });
      continue;
    }
    const sum = weights.reduce((s, w) => s + (w ?? 0), 0);
    filters.push({ first, weights: Float32Array.from(weights, (w) => (w ?? 0) / sum) });
  }
  return filters;
}

/** Orthonormal DCT-II of each row (`bands` values), keeping `count` coefficients from `first`. */
function dct(rows: Float32Array, bands: number, count: number, first: number): Float32Array {
  const frames = rows.length / bands;
  const out = new Float32Array(frames * count);
  for (let c = 0; c < count; c++) {
    const k = c + first;
    const scale = Math.sqrt((k === 0 ? 1 : 2) / bands);
    const basis = Float64Array.from({ length: bands }, (_, b) => Math.cos((Math.PI * k * (b + 0.5)) / bands) * scale);
    for (let f = 0; f < frames; f++) {
      let s = 0;
      for (let b = 0; b < bands; b++) s += rows[f * bands + b] * basis[b];
      out[f * count + c] = s;
    }
  }
  return out;
}

/** In place: every column (coefficient) to zero mean and unit variance over the frames. */
export function zScoreColumns(data: Float32Array, dim: number): void {
  const frames = data.length / dim;
  for (let d = 0; d < dim; d++) {
    let sum = 0;
    let sq = 0;
    for (let f = 0; f < frames; f++) {
      const v = data[f * dim + d];
      sum += v;
      sq += v * v;
    }
    const mean = sum / frames;
    const std = Math.sqrt(Math.max(0, sq / frames - mean * mean));
    const inv = 1 / (std + 1e-3);
    for (let f = 0; f < frames; f++) data[f * dim + d] = (data[f * dim + d] - mean) * inv;
  }
}
