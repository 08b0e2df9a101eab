/**
 * How a recording is cut into detection frames: an STFT at the recording's
 * own sample rate (never resampled, so a 2-kHz whale file costs what 2 kHz
 * costs and a 48-kHz file keeps its top octave), with a hop of about 5 ms so
 * region edges can sit within one hop of a sound's.
 *
 * Frame f covers native samples [f·hop, f·hop + fftSize) and stands for the
 * hop-long cell around its centre, [f·hop + ⌊(fftSize − hop)/2⌋, … + hop);
 * frameCell() maps frames to samples so regions tile the file exactly.
 */
import { SonotypeError } from '../../../../src-shared/errors';
import type { FeatureConfig } from '../../../../src-shared/feature-types';
import { validateFeatureConfig } from '../../features';

/** Everything that decides a recording's frames and their features; stored with them. */
export interface FrameAnalysis {
  version: 1;
  /** The recording's native rate (Hz): frames are computed at this rate. */
  sampleRate: number;
  channel: number;
  fftSize: number;
  hopSize: number;
  /** Analysed band [lowHz, highHz). */
  lowHz: number;
  highHz: number;
  /** Noise floor: per-bin quantile of dB values over segments of this length, minimum over neighbours. */
  floorSegmentSeconds: number;
  floorQuantile: number;
  /**
   * Tonal mode: also track faint narrow-band contours (whistles, up-calls; tonal-ridge.ts). Present only when on, so
   * the analyses (and cached features) of projects that never turn it on keep their keys.
   */
  tonal?: true;
}

export interface FrameAnalysisOptions {
  /** Target hop in seconds (default 0.005). */
  hopSeconds?: number;
  /** Target STFT window in seconds, rounded to the nearest power of two of samples (default 0.01). */
  windowSeconds?: number;
  lowHz?: number;
  highHz?: number;
  channel?: number;
  floorSegmentSeconds?: number;
  floorQuantile?: number;
  tonal?: boolean;
}

/**
 * The fewest samples a frame's FFT may have: 64 frequency bins up to Nyquist.
 * A 10-ms window is right for birdsong at 22–48 kHz (256–512 samples), but at
 * 2 kHz it is 16 samples: 8 bins of 125 Hz, and the band's floor (3 bins)
 * started at 375 Hz — above the 50–250 Hz up-calls of the 15-min right-whale
 * file, which came out 100 % silence although its calls are plain to see. A
 * narrow-band call also drowns in a wide bin's noise. Low rates hold low,
 * slow sounds, so they get a longer window instead (64 ms at 2 kHz, 16 ms at
 * 8 kHz); from 16 kHz up nothing changes. The hop stays ~5 ms.
 */
export const MIN_FRAME_FFT = 128;

export const FRAME_ANALYSIS_DEFAULTS = {
  hopSeconds: 0.005,
  windowSeconds: 0.01,
  floorSegmentSeconds: 10,
  floorQuantile: 0.2,
};

/** The power of two nearest to n on a log scale, at least 16. */
function nearestPowerOfTwo(n: number): number {
  let p = 16;
  while (p * Math.SQRT2 < n) p *= 2;
  return p;
}

/**
 * The frame analysis of a recording at `sampleRate`: a ~10-ms window (at
 * least MIN_FRAME_FFT samples) every ~5 ms. The default band drops
 * what is below max(3 FFT bins, 1 % of the rate) — DC, its leakage and slow
 * drift, flow noise — and keeps everything up to 98 % of Nyquist (codec and
 * anti-alias roll-off lives above).
 */
export function frameAnalysisFor(sampleRate: number, options: FrameAnalysisOptions = {}): FrameAnalysis {
  if (!(Number.isInteger(sampleRate) && sampleRate >= 1000)) {
    throw new SonotypeError('INVALID_ARGUMENT', `Detection needs a sample rate of at least 1000 Hz (got ${sampleRate}).`);
  }
  const o = { ...FRAME_ANALYSIS_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const hopSize = Math.max(1, Math.round(sampleRate * o.hopSeconds));
  const fftSize = Math.max(nearestPowerOfTwo(sampleRate * o.windowSeconds), MIN_FRAME_FFT, 2 ** Math.ceil(Math.log2(hopSize)));
  const binHz = sampleRate / fftSize;
  const nyquist = sampleRate / 2;
  const lowHz = options.lowHz ?? Math.max(3 * binHz, sampleRate / 100);
  const highHz = Math.min(options.highHz ?? nyquist * 0.98, nyquist);
  if (!(lowHz >= 0 && highHz > lowHz + binHz)) {
    throw new SonotypeError('INVALID_CONFIG', `Invalid detection band ${lowHz}–${highHz} Hz for a ${sampleRate}-Hz recording (Nyquist ${nyquist} Hz).`);
  }
  if (!(o.floorQuantile > 0 && o.floorQuantile <= 0.5) || !(o.floorSegmentSeconds > 0)) {
    throw new SonotypeError('INVALID_CONFIG', 'Invalid noise-floor settings: quantile in (0, 0.5], segment length > 0.');
  }
  return {
    version: 1, sampleRate, channel: options.channel ?? 0, fftSize, hopSize, lowHz, highHz,
    floorSegmentSeconds: o.floorSegmentSeconds, floorQuantile: o.floorQuantile,
    ...(options.tonal ? { tonal: true as const } : {}),
  };
}

/** The spectrogram configuration of the feature pipeline that computes these frames (dB, band, no resampling). */
export function frameSpectrogramConfig(a: FrameAnalysis): FeatureConfig {
  return validateFeatureConfig({
    version: 1, analysisSampleRate: a.sampleRate, channel: a.channel, fftSize: a.fftSize, hopSize: a.hopSize,
    magnitude: 'db', band: { lowHz: a.lowHz, highHz: a.highHz }, windowFrames: 1, windowStride: 1, normalisation: 'none',
  });
}

/** Samples from a frame's start to its cell's start: the hop centred in the FFT window (whole samples). */
function cellOffset(a: Pick<FrameAnalysis, 'fftSize' | 'hopSize'>): number {
  return Math.floor((a.fftSize - a.hopSize) / 2);
}

/** Native-sample cell [start, end) of frame f among `frames`, clipped to the file so the cells tile [0, nativeFrames). */
export function frameCell(a: Pick<FrameAnalysis, 'fftSize' | 'hopSize'>, f: number, frames: number, nativeFrames: number): [number, number] {
  const offset = cellOffset(a);
  const start = f === 0 ? 0 : Math.min(nativeFrames, f * a.hopSize + offset);
  const end = f === frames - 1 ? nativeFrames : Math.min(nativeFrames, (f + 1) * a.hopSize + offset);
  return [start, Math.max(start, end)];
}

/** The frame whose cell holds native sample s. */
export function frameAtSample(a: Pick<FrameAnalysis, 'fftSize' | 'hopSize'>, s: number, frames: number): number {
  const offset = cellOffset(a);
  return Math.max(0, Math.min(frames - 1, Math.floor((s - offset) / a.hopSize)));
}
