/**
 * Spectrogram frames of any part of a recording without running the
 * pipeline from the start of the file.
 *
 * Why this gives the pipeline's own numbers: the resampler is a zero-delay
 * FIR (output j = band-limited input at time j·N/A, using only the inputs
 * within its half-length), so restarting it at a native sample s0 that maps
 * to a whole output index (s0 a multiple of N/gcd(N, A)) with more than a
 * half-length of margin before the wanted outputs reproduces them; s0 = 0 and
 * the end of the file behave exactly like the streaming pass. The STFT frame
 * only needs its own fft samples. With equal rates this is one plain read.
 */
import type { FeatureConfig } from '../../../src-shared/feature-types';
import type { AudioRangeReader } from '../audio/read-range';
import { computeSpectrogram, createResampler } from '../features';
import type { TileGeometry } from './tile-geometry';

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Native samples of context on each side: several times the resampler's
 * half-length (≈ 22·max(1, N/A) + 8 taps at its 70 dB / 80 % design).
 */
function marginFor(g: TileGeometry): number {
  return Math.ceil(64 * Math.max(1, g.nativeRate / g.analysisRate)) + 64;
}

/** The native samples to read for analysis samples [a0, a0 + want), and where the outputs start. */
interface NativePlan {
  s0: number;
  frames: number;
  /** Index of the wanted first output in the restarted resampler's output. */
  from: number;
}

function planNativeRead(g: TileGeometry, a0: number, want: number): NativePlan {
  const d = gcd(g.nativeRate, g.analysisRate);
  const down = g.nativeRate / d; // native samples per `up` outputs
  const up = g.analysisRate / d;
  const margin = marginFor(g);
  // Restart point: a multiple of `down` (maps to output index k0·up) at least `margin` before a0.
  const k0 = Math.max(0, Math.floor(((a0 * down) / up - margin) / down));
  const s0 = k0 * down;
  const s1 = Math.min(g.nativeFrames, Math.ceil(((a0 + want) * down) / up) + margin);
  return { s0, frames: s1 - s0, from: a0 - k0 * up };
}

/** Resamples a planned native read and cuts out the wanted analysis samples. */
function resampleWindow(g: TileGeometry, plan: NativePlan, native: Float32Array, want: number): Float32Array {
  const resampler = createResampler(g.nativeRate, g.analysisRate);
  const head = resampler.process(native);
  // Only at the end of the file does the stream flush (zeros after the last sample, exact total length).
  const tail = plan.s0 + native.length >= g.nativeFrames ? resampler.flush() : new Float32Array(0);
  const out = new Float32Array(want);
  const fromHead = head.subarray(Math.min(head.length, plan.from), Math.min(head.length, plan.from + want));
  out.set(fromHead);
  if (fromHead.length < want) {
    const tailFrom = Math.max(0, plan.from - head.length);
    out.set(tail.subarray(tailFrom, tailFrom + want - fromHead.length), fromHead.length);
  }
  return out;
}

/**
 * Analysis-rate samples [a0, a0 + count) of the shown channel, clipped to the
 * recording's analysis length.
 */
export async function readAnalysisSamples(
  reader: AudioRangeReader,
  g: TileGeometry,
  a0: number,
  count: number,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const want = Math.max(0, Math.min(count, g.analysisSamples - a0));
  if (want === 0) return new Float32Array(0);
  if (g.nativeRate === g.analysisRate) return reader.read(a0, want, g.channel, signal);
  const plan = planNativeRead(g, a0, want);
  return resampleWindow(g, plan, await reader.read(plan.s0, plan.frames, g.channel, signal), want);
}

/** readAnalysisSamples for many short ranges of `count` samples, read in one batch. */
async function readAnalysisSamplesMany(
  reader: AudioRangeReader,
  g: TileGeometry,
  starts: readonly number[],
  count: number,
  signal?: AbortSignal,
): Promise<Float32Array[]> {
  const wants = starts.map((a0) => Math.max(0, Math.min(count, g.analysisSamples - a0)));
  if (g.nativeRate === g.analysisRate) {
    return reader.readMany(starts.map((a0, i) => ({ startFrame: a0, frames: wants[i] })), g.channel, signal);
  }
  const plans = starts.map((a0, i) => planNativeRead(g, a0, wants[i]));
  const natives = await reader.readMany(plans.map((p) => ({ startFrame: p.s0, frames: p.frames })), g.channel, signal);
  return plans.map((p, i) => resampleWindow(g, p, natives[i], wants[i]));
}

/**
 * The pipeline's spectrogram frames [f0, f1) (dB or linear, as configured):
 * (f1 − f0) × binCount values, identical to those frames of
 * computeSpectrogram over the whole resampled recording.
 */
export async function computeFrameRange(
  reader: AudioRangeReader,
  g: TileGeometry,
  config: FeatureConfig,
  f0: number,
  f1: number,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const frames = f1 - f0;
  if (frames <= 0) return new Float32Array(0);
  // Frames past the end of this slice are zero-padded — exactly as in the whole signal,
  // because the slice ends either after the last needed sample or at the recording's end.
  const samples = await readAnalysisSamples(reader, g, f0 * g.hopSize, (frames - 1) * g.hopSize + g.fftSize, signal);
  const spec = computeSpectrogram(samples, config);
  return spec.data.subarray(0, frames * g.binCount);
}

/**
 * Single frames at arbitrary positions (sorted or not), each identical to
 * that frame of the pipeline. Returns frames.length × binCount values and the
 * analysis samples each frame saw (for approximate waveform peaks).
 */
export async function computeFramesAt(
  reader: AudioRangeReader,
  g: TileGeometry,
  config: FeatureConfig,
  frames: readonly number[],
  signal?: AbortSignal,
): Promise<{ values: Float32Array; samples: Float32Array[] }> {
  const fft = g.fftSize;
  const samples = await readAnalysisSamplesMany(reader, g, frames.map((f) => f * g.hopSize), fft, signal);
  // Lay the frames end to end (zero-padded to fft each) and run one STFT with hop = fft:
  // the frame analysis does not depend on the hop, so each output frame is one requested frame.
  const joined = new Float32Array(frames.length * fft);
  samples.forEach((s, i) => joined.set(s, i * fft));
  const spec = computeSpectrogram(joined, { ...config, hopSize: fft });
  return { values: spec.data.subarray(0, frames.length * g.binCount), samples };
}
