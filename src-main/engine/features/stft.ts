/**
 * Short-time Fourier transform: periodic Hann window (other windows for
 * display only), magnitude in dB (or linear), only the kept band's bins.
 *
 * Layout (fixing the original's transposed/mirrored axes, ORIGINAL_PIPELINE.md
 * §1, where row 0 was Nyquist): data[frame * binCount + bin], frame = time,
 * bin 0 = the lowest kept frequency (keptBins(config).frequenciesHz[0]).
 *
 * Framing: frame f covers analysis samples [f·hop, f·hop + fftSize); samples
 * past the end of the signal are zeros. Frames are emitted for every start
 * f·hop < n, i.e. frameCount(n) = ceil(n / hop) (0 for n = 0), so the last
 * sample is always inside a frame (hop ≤ fftSize) — unlike the original,
 * which dropped each file's final partial minute.
 *
 * Scale: |X| · 2 / Σw (any window), so a sine of amplitude A centred on a bin reads A
 * (full scale, A = 1 → 0 dB). dB = 20·log10(max(|X|·2/Σw, 10^(DB_FLOOR/20))):
 * digital silence reads DB_FLOOR (−160 dB), never −Infinity or NaN.
 */
import FFT from 'fft.js';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { keptBins } from './feature-config';

/** dB value of zero magnitude (digital silence) and of padding frames. */
export const DB_FLOOR = -160;
const POWER_FLOOR = 10 ** (DB_FLOOR / 10);
/** 10·log10(x) = DB_PER_LN · ln(x); Math.log is faster than Math.log10 in V8. */
const DB_PER_LN = 10 / Math.LN10;

/** Number of STFT frames for n analysis samples: ceil(n / hop), 0 for n = 0. */
export function frameCount(nSamples: number, config: Pick<FeatureConfig, 'hopSize'>): number {
  if (!(nSamples > 0)) return 0;
  return Math.ceil(nSamples / config.hopSize);
}

/** The value a padding frame (past the end of the signal) holds in every bin. */
export function paddingValue(config: Pick<FeatureConfig, 'magnitude'>): number {
  return config.magnitude === 'db' ? DB_FLOOR : 0;
}

/**
 * Analysis windows. The model's features always use 'hann' (the seeds'); the
 * others exist for display (Raven/Audacity users choose them): Hamming's lower
 * first sidelobe, Blackman's far lower leakage (faint calls beside loud tones),
 * rectangular for transients.
 */
export type WindowKind = 'hann' | 'hamming' | 'blackman' | 'rectangular';
export const WINDOW_KINDS: readonly WindowKind[] = ['hann', 'hamming', 'blackman', 'rectangular'];

/** The periodic window of length n (periodic: tiles with hop n/2 for Hann; what STFTs use). */
export function windowFunction(kind: WindowKind, n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = (2 * Math.PI * i) / n;
    if (kind === 'hann') w[i] = 0.5 - 0.5 * Math.cos(x);
    else if (kind === 'hamming') w[i] = 0.54 - 0.46 * Math.cos(x);
    else if (kind === 'blackman') w[i] = 0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x);
    else w[i] = 1;
  }
  return w;
}

/** Computes single frames into caller-provided rows; all buffers preallocated. */
class FrameAnalyser {
  readonly binCount: number;
  private readonly firstBin: number;
  private readonly fftSize: number;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly frame: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly powerScale: number;
  private readonly db: boolean;

  constructor(config: FeatureConfig, windowKind: WindowKind = 'hann') {
    const { firstBin, binCount } = keptBins(config);
    this.firstBin = firstBin;
    this.binCount = binCount;
    this.fftSize = config.fftSize;
    this.fft = new FFT(config.fftSize);
    // Periodic Hann by default: sums to exactly N/2 and tiles with hop N/2.
    this.window = windowFunction(windowKind, config.fftSize);
    let sum = 0;
    for (let i = 0; i < config.fftSize; i++) sum += this.window[i];
    this.frame = new Float64Array(config.fftSize);
    this.spectrum = new Float64Array(2 * config.fftSize);
    const amplitudeScale = 2 / sum;
    this.powerScale = amplitudeScale * amplitudeScale;
    this.db = config.magnitude === 'db';
  }

  /**
   * Analyses the frame starting at src[offset]; only src[offset … end) are
   * real samples, the rest of the frame is zero. Writes binCount values at
   * dst[dstOffset …].
   */
  analyse(src: Float32Array, offset: number, end: number, dst: Float32Array, dstOffset: number): void {
    const n = this.fftSize;
    const frame = this.frame;
    const win = this.window;
    const real = Math.min(n, end - offset);
    for (let i = 0; i < real; i++) frame[i] = src[offset + i] * win[i];
    for (let i = real; i < n; i++) frame[i] = 0;
    this.fft.realTransform(this.spectrum, frame);
    const spec = this.spectrum;
    const scale = this.powerScale;
    const bins = this.binCount;
    let k = 2 * this.firstBin;
    if (this.db) {
      for (let b = 0; b < bins; b++, k += 2) {
        const re = spec[k];
        const im = spec[k + 1];
        const p = (re * re + im * im) * scale;
        dst[dstOffset + b] = p > POWER_FLOOR ? DB_PER_LN * Math.log(p) : DB_FLOOR;
      }
    } else {
      for (let b = 0; b < bins; b++, k += 2) {
        const re = spec[k];
        const im = spec[k + 1];
        dst[dstOffset + b] = Math.sqrt((re * re + im * im) * scale);
      }
    }
  }
}

/** A spectrogram: frameCount × binCount values, row-major (frame-major). */
export interface Spectrogram {
  frameCount: number;
  binCount: number;
  data: Float32Array;
}

/**
 * Computes the whole spectrogram of in-memory analysis-rate samples. `windowKind`
 * is for display only: the features (and so every model) use Hann.
 */
export function computeSpectrogram(samples: Float32Array, config: FeatureConfig, windowKind: WindowKind = 'hann'): Spectrogram {
  const analyser = new FrameAnalyser(config, windowKind);
  const frames = frameCount(samples.length, config);
  const binCount = analyser.binCount;
  const data = new Float32Array(frames * binCount);
  for (let f = 0; f < frames; f++) analyser.analyse(samples, f * config.hopSize, samples.length, data, f * binCount);
  return { frameCount: frames, binCount, data };
}

/** Frames completed by one push/finish call. */
export interface StftChunk {
  frames: number;
  /** frames × binCount values, row-major. */
  data: Float32Array;
}

/** Incremental STFT over blocks of any size; identical output to computeSpectrogram. */
export interface StreamingStft {
  readonly binCount: number;
  /** Adds samples; returns the frames whose samples are now all available. */
  push(samples: Float32Array): StftChunk;
  /** Ends the signal; returns the remaining (zero-padded) frames. */
  finish(): StftChunk;
}

/** Creates a streaming STFT that keeps only the samples of unfinished frames (`windowKind`: see computeSpectrogram). */
export function createStreamingStft(config: FeatureConfig, windowKind: WindowKind = 'hann'): StreamingStft {
  const analyser = new FrameAnalyser(config, windowKind);
  const { fftSize, hopSize } = config;
  const binCount = analyser.binCount;
  // buf[0] is the first sample of the next frame to emit.
  let buf = new Float32Array(Math.max(4 * fftSize, 65536));
  let bufLen = 0;
  let finished = false;

  function ensureCapacity(extra: number): void {
    if (bufLen + extra <= buf.length) return;
    const bigger = new Float32Array(Math.max(buf.length * 2, bufLen + extra));
    bigger.set(buf.subarray(0, bufLen));
    buf = bigger;
  }

  /** Emits `count` frames starting at buf[0], buf[hop], …; then drops the consumed samples. */
  function emit(count: number): StftChunk {
    const data = new Float32Array(count * binCount);
    for (let f = 0; f < count; f++) analyser.analyse(buf, f * hopSize, bufLen, data, f * binCount);
    const consumed = Math.min(bufLen, count * hopSize);
    buf.copyWithin(0, consumed, bufLen);
    bufLen -= consumed;
    return { frames: count, data };
  }

  return {
    binCount,
    push(samples: Float32Array): StftChunk {
      if (finished) throw new Error('createStreamingStft: push() after finish()');
      ensureCapacity(samples.length);
      buf.set(samples, bufLen);
      bufLen += samples.length;
      const complete = bufLen >= fftSize ? Math.floor((bufLen - fftSize) / hopSize) + 1 : 0;
      return emit(complete);
    },
    finish(): StftChunk {
      if (finished) return { frames: 0, data: new Float32Array(0) };
      finished = true;
      // Remaining frames: every start f·hop < bufLen (the frameCount rule).
      return emit(bufLen > 0 ? Math.ceil(bufLen / hopSize) : 0);
    },
  };
}
