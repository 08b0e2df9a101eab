/**
 * The one feature pipeline used for training, inference and display:
 * native-rate mono blocks → resample to the analysis rate → STFT → windows →
 * normalisation. Keeping a single code path is the fix for the original's
 * training and inference seeing different frequency axes
 * (ORIGINAL_PIPELINE.md §1).
 */
import { throwIfCancelled } from '../util/cancel';
import type { FeatureConfig, WindowSpan } from '../../../src-shared/feature-types';
import { validateFeatureConfig } from './feature-config';
import { createResampler } from './resample';
import { computeSpectrogram, createStreamingStft, frameCount, paddingValue, type Spectrogram } from './stft';
import { windowCount, windowSpan } from './windows';
import { RecordingStatsAccumulator, applyZScore, normaliseWindow, computeStats, type ZScoreStats } from './normalise';

/** Opens the recording's audio (mono, native rate) from the start; called once per pass. */
export type OpenBlocks = () => AsyncIterable<Float32Array>;

export interface StreamOptions {
  /** Aborting stops the stream with a CANCELLED error at the next block. */
  signal?: AbortSignal;
}

/** Consecutive spectrogram frames [startFrame, startFrame + frames). */
export interface SpectrogramChunk {
  startFrame: number;
  frames: number;
  /** frames × binCount, data[frame * binCount + bin], bin 0 = lowest frequency. */
  data: Float32Array;
}

/** One model window: windowFrames × binCount values plus where it lies in the recording. */
export interface FeatureWindow {
  span: WindowSpan;
  data: Float32Array;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  throwIfCancelled(signal, 'Feature extraction');
}

/** Sample counts seen by a pass, filled in as the stream is consumed. */
interface PassCounts {
  native: number;
  analysis: number;
}

/** Yields analysis-rate blocks (resampled when the native rate differs). */
async function* analysisBlocks(
  openBlocks: OpenBlocks,
  nativeRate: number,
  config: FeatureConfig,
  counts: PassCounts,
  signal: AbortSignal | undefined,
): AsyncGenerator<Float32Array> {
  throwIfAborted(signal);
  const resampler = nativeRate === config.analysisSampleRate ? null : createResampler(nativeRate, config.analysisSampleRate);
  for await (const block of openBlocks()) {
    throwIfAborted(signal);
    counts.native += block.length;
    const out = resampler ? resampler.process(block) : block;
    counts.analysis += out.length;
    if (out.length > 0) yield out;
  }
  if (resampler) {
    const tail = resampler.flush();
    counts.analysis += tail.length;
    if (tail.length > 0) yield tail;
  }
}

async function* spectrogramPass(
  openBlocks: OpenBlocks,
  nativeRate: number,
  config: FeatureConfig,
  counts: PassCounts,
  signal: AbortSignal | undefined,
): AsyncGenerator<SpectrogramChunk> {
  const stft = createStreamingStft(config);
  let startFrame = 0;
  for await (const block of analysisBlocks(openBlocks, nativeRate, config, counts, signal)) {
    const chunk = stft.push(block);
    if (chunk.frames > 0) yield { startFrame, frames: chunk.frames, data: chunk.data };
    startFrame += chunk.frames;
  }
  const last = stft.finish();
  if (last.frames > 0) yield { startFrame, frames: last.frames, data: last.data };
}

/**
 * The unnormalised spectrogram of a recording, streamed in chunks of frames
 * (for display). Frames are exactly those of computeSpectrogram on the whole
 * resampled signal.
 */
export async function* streamSpectrogram(
  openBlocks: OpenBlocks,
  nativeRate: number,
  config: FeatureConfig,
  opts: StreamOptions = {},
): AsyncGenerator<SpectrogramChunk> {
  const checked = validateFeatureConfig(config);
  yield* spectrogramPass(openBlocks, nativeRate, checked, { native: 0, analysis: 0 }, opts.signal);
}

/**
 * Copies window `startFrame … startFrame + W` out of `frames` (whose row 0 is
 * frame `firstFrame`), padding rows at or past `realFrames`, and normalises it.
 */
export function buildWindow(
  frames: Float32Array,
  firstFrame: number,
  realFrames: number,
  startFrame: number,
  config: FeatureConfig,
  binCount: number,
  recordingStats: ZScoreStats | null,
): Float32Array {
  const W = config.windowFrames;
  const out = new Float32Array(W * binCount);
  const real = Math.max(0, Math.min(W, realFrames - startFrame));
  const from = (startFrame - firstFrame) * binCount;
  out.set(frames.subarray(from, from + real * binCount));
  if (real < W) out.fill(paddingValue(config), real * binCount);
  if (config.normalisation === 'window') normaliseWindow(out);
  else if (config.normalisation === 'recording' && recordingStats) applyZScore(out, recordingStats);
  return out;
}

/**
 * Normalised model windows of a recording, in order, with their sample spans.
 * Memory stays bounded: only the frames still needed by upcoming windows are
 * kept. With normalisation 'recording' the audio is read twice (statistics
 * first), which is why it takes a factory rather than an iterable.
 *
 * `nativeFrames` is the recording's length in native samples as reported by
 * the decoder. The spans always equal windowSpans(delivered analysis samples,
 * nativeRate, delivered native samples, config): a truncated file (fewer
 * samples than its header says) or an unknown length (0) still gets its end
 * covered exactly.
 */
export async function* streamFeatureWindows(
  openBlocks: OpenBlocks,
  nativeRate: number,
  nativeFrames: number,
  config: FeatureConfig,
  opts: StreamOptions = {},
): AsyncGenerator<FeatureWindow> {
  const cfg = validateFeatureConfig(config);
  const { windowFrames: W, windowStride: S, hopSize: hop } = cfg;
  let stats: ZScoreStats | null = null;
  if (cfg.normalisation === 'recording') {
    const acc = new RecordingStatsAccumulator();
    for await (const chunk of spectrogramPass(openBlocks, nativeRate, cfg, { native: 0, analysis: 0 }, opts.signal)) {
      acc.add(chunk.data);
    }
    stats = acc.result();
  }

  const counts: PassCounts = { native: 0, analysis: 0 };
  let binCount = 0;
  let buf = new Float32Array(0); // frames [bufFirst, bufFirst + bufFrames)
  let bufFirst = 0;
  let bufFrames = 0;
  let next = 0; // index of the next window to emit

  for await (const chunk of spectrogramPass(openBlocks, nativeRate, cfg, counts, opts.signal)) {
    binCount = chunk.data.length / chunk.frames;
    // Drop frames no upcoming window needs, then append the chunk.
    const drop = Math.min(bufFrames, Math.max(0, next * S - bufFirst));
    if (drop > 0) {
      buf.copyWithin(0, drop * binCount, bufFrames * binCount);
      bufFirst += drop;
      bufFrames -= drop;
    }
    if ((bufFrames + chunk.frames) * binCount > buf.length) {
      const bigger = new Float32Array(Math.max(buf.length * 2, (bufFrames + chunk.frames) * binCount));
      bigger.set(buf.subarray(0, bufFrames * binCount));
      buf = bigger;
    }
    buf.set(chunk.data, bufFrames * binCount);
    bufFrames += chunk.frames;
    // Emit every window whose frames are available and which ends strictly
    // before the samples seen so far: its span cannot change whatever the
    // final length. Windows touching the end wait for the true length.
    while (next * S + W <= bufFirst + bufFrames && (next * S + W - 1) * hop + cfg.fftSize < counts.analysis) {
      const data = buildWindow(buf, bufFirst, Number.MAX_SAFE_INTEGER, next * S, cfg, binCount, stats);
      // (A header that under-reports the length, e.g. 0 for "unknown", must not clip these spans.)
      yield { span: windowSpan(next, counts.analysis, nativeRate, Math.max(nativeFrames, counts.native), cfg), data };
      next++;
    }
  }

  // End of stream: remaining windows cover the tail, padded where needed.
  const totalFrames = frameCount(counts.analysis, cfg);
  const total = windowCount(totalFrames, cfg);
  for (; next < total; next++) {
    const startFrame = next * S;
    const data = buildWindow(buf, bufFirst, totalFrames, startFrame, cfg, binCount, stats);
    yield { span: windowSpan(next, counts.analysis, nativeRate, counts.native, cfg), data };
  }
}

/** Everything the pipeline computes for an in-memory signal (tests, small clips). */
export interface SignalAnalysis {
  analysisSamples: number;
  spectrogram: Spectrogram;
  spans: WindowSpan[];
  /** windowCount × windowFrames × binCount, normalised as configured. */
  windows: Float32Array;
}

/**
 * Runs the whole pipeline on samples already in memory (same functions as
 * the streaming path, so results agree).
 */
export function analyseSignal(samples: Float32Array, nativeRate: number, config: FeatureConfig): SignalAnalysis {
  const cfg = validateFeatureConfig(config);
  let analysis = samples;
  if (nativeRate !== cfg.analysisSampleRate) {
    const r = createResampler(nativeRate, cfg.analysisSampleRate);
    const a = r.process(samples);
    const b = r.flush();
    analysis = new Float32Array(a.length + b.length);
    analysis.set(a);
    analysis.set(b, a.length);
  }
  const spectrogram = computeSpectrogram(analysis, cfg);
  const stats = cfg.normalisation === 'recording' ? computeStats(spectrogram.data) : null;
  const count = windowCount(spectrogram.frameCount, cfg);
  const windowSize = cfg.windowFrames * spectrogram.binCount;
  const windows = new Float32Array(count * windowSize);
  const spans: WindowSpan[] = [];
  for (let i = 0; i < count; i++) {
    const startFrame = i * cfg.windowStride;
    const data = buildWindow(spectrogram.data, 0, spectrogram.frameCount, startFrame, cfg, spectrogram.binCount, stats);
    windows.set(data, i * windowSize);
    spans.push(windowSpan(i, analysis.length, nativeRate, samples.length, cfg));
  }
  return { analysisSamples: analysis.length, spectrogram, spans, windows };
}
