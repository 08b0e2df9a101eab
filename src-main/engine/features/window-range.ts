/**
 * Model windows [first, end) of a recording without analysing the rest of
 * it: what one shard of a long recording needs (distributed analysis), with
 * results bit-identical to the same windows of streamFeatureWindows over
 * the whole file.
 *
 * Why it is exact: window w is frames [w·S, w·S + W); frame f is the STFT of
 * analysis samples [f·hop, f·hop + fftSize). So the windows need analysis
 * samples [first·S·hop, (end−1)·S·hop + (W−1)·hop + fftSize), and a fresh
 * streaming STFT fed from first·S·hop produces exactly the whole-file frames
 * (its frame 0 is frame first·S). When the recording is resampled, the
 * resampler starts at a filter-phase-aligned input sample at least half a
 * filter before the first needed output (resamplerRangePlan), so those
 * outputs are the whole-stream ones too. The last range of a file runs to
 * the end and ends the stream exactly as the whole-file pass does (zero
 * padding, padded windows). Per-recording normalisation needs the whole
 * file's statistics, so it only allows the whole range.
 */
import { throwIfCancelled } from '../util/cancel';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { validateFeatureConfig } from './feature-config';
import { buildWindow, streamFeatureWindows, type FeatureWindow, type StreamOptions } from './pipeline';
import { createResampler, resampledLength, resamplerRangePlan } from './resample';
import { createStreamingStft, frameCount } from './stft';
import { windowCount, windowSpan } from './windows';

/** Native-rate mono blocks of samples [start, end) of the recording (end clipped to its length; [0, ∞) = the whole file). */
export type OpenRange = (startNative: number, endNative: number) => AsyncIterable<Float32Array>;

/** Window indices [first, end). */
export interface WindowRange {
  first: number;
  end: number;
}

/** Number of model windows of a recording of `nativeFrames` samples at `nativeRate`. */
export function recordingWindowCount(nativeFrames: number, nativeRate: number, config: FeatureConfig): number {
  return windowCount(frameCount(resampledLength(nativeFrames, nativeRate, config.analysisSampleRate), config), config);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  throwIfCancelled(signal, 'Feature extraction');
}

/** Analysis-rate samples [a0, a1) (a1 = Infinity: to the end of the stream), from native blocks. */
async function* analysisRange(
  openRange: OpenRange,
  nativeRate: number,
  nativeFrames: number,
  config: FeatureConfig,
  a0: number,
  a1: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<Float32Array> {
  const rate = config.analysisSampleRate;
  if (nativeRate === rate) {
    const want = Math.min(nativeFrames, a1) - a0;
    let got = 0;
    for await (const block of openRange(a0, a0 + want)) {
      throwIfAborted(signal);
      got += block.length;
      yield block;
    }
    if (got < want) shorter(nativeFrames);
    return;
  }
  const nA = resampledLength(nativeFrames, nativeRate, rate);
  const plan = resamplerRangePlan(nativeRate, rate, a0, Math.min(a1, nA));
  const inputEnd = Math.min(nativeFrames, plan.inputEnd);
  const resampler = createResampler(nativeRate, rate);
  let skip = plan.skipOutputs;
  let left = Math.min(a1, nA) - a0;
  const take = function* (out: Float32Array): Generator<Float32Array> {
    let from = 0;
    if (skip > 0) {
      from = Math.min(skip, out.length);
      skip -= from;
    }
    const n = Math.min(out.length - from, left);
    if (n > 0) {
      left -= n;
      yield out.subarray(from, from + n);
    }
  };
  for await (const block of openRange(plan.inputStart, inputEnd)) {
    throwIfAborted(signal);
    yield* take(resampler.process(block));
    if (left === 0) return;
  }
  // The end of the file: flush exactly as the whole-stream pass does.
  if (inputEnd === nativeFrames) yield* take(resampler.flush());
  if (left > 0) shorter(nativeFrames);
}

function shorter(nativeFrames: number): never {
  throw new SonotypeError('INVALID_ARGUMENT', `The recording delivered fewer samples than its ${nativeFrames} frames: it changed or is truncated. Scan it again.`);
}

/**
 * The normalised windows `range` of a recording whose exact length is
 * `nativeFrames` (known for WAV; compressed files are analysed whole), with
 * the same spans and data as streamFeatureWindows gives for those indices.
 */
export async function* streamFeatureWindowRange(
  openRange: OpenRange,
  nativeRate: number,
  nativeFrames: number,
  config: FeatureConfig,
  range: WindowRange,
  opts: StreamOptions = {},
): AsyncGenerator<FeatureWindow> {
  const cfg = validateFeatureConfig(config);
  const { windowFrames: W, windowStride: S, hopSize: hop, fftSize } = cfg;
  const nA = resampledLength(nativeFrames, nativeRate, cfg.analysisSampleRate);
  const totalFrames = frameCount(nA, cfg);
  const total = windowCount(totalFrames, cfg);
  const first = Math.max(0, range.first);
  const end = Math.min(range.end, total);
  if (first === 0 && (range.end === Infinity || end === total)) {
    // The whole recording: the one-pass pipeline itself, which follows what the decoder really
    // delivers (a compressed file's header length is only an estimate, or 0 when unknown).
    yield* streamFeatureWindows(() => openRange(0, Infinity), nativeRate, nativeFrames, cfg, opts);
    return;
  }
  if (first >= end) return;
  if (cfg.normalisation === 'recording') {
    throw new SonotypeError('INVALID_ARGUMENT', 'Per-recording normalisation needs the whole file: analyse it as one range.');
  }
  const last = end === total;
  const f0 = first * S;
  const a0 = f0 * hop;
  const a1 = last ? Infinity : (end - 1) * S * hop + (W - 1) * hop + fftSize;

  const stft = createStreamingStft(cfg);
  const binCount = stft.binCount;
  let buf = new Float32Array(0); // frames [bufFirst, bufFirst + bufFrames), global frame numbers
  let bufFirst = f0;
  let bufFrames = 0;
  let next = first;
  const append = (data: Float32Array, frames: number): void => {
    const drop = Math.min(bufFrames, Math.max(0, next * S - bufFirst));
    if (drop > 0) {
      buf.copyWithin(0, drop * binCount, bufFrames * binCount);
      bufFirst += drop;
      bufFrames -= drop;
    }
    if ((bufFrames + frames) * binCount > buf.length) {
      const bigger = new Float32Array(Math.max(buf.length * 2, (bufFrames + frames) * binCount));
      bigger.set(buf.subarray(0, bufFrames * binCount));
      buf = bigger;
    }
    buf.set(data, bufFrames * binCount);
    bufFrames += frames;
  };
  const emit = (realFrames: number): FeatureWindow => {
    const data = buildWindow(buf, bufFirst, realFrames, next * S, cfg, binCount, null);
    return { span: windowSpan(next, nA, nativeRate, nativeFrames, cfg), data };
  };

  for await (const block of analysisRange(openRange, nativeRate, nativeFrames, cfg, a0, a1, opts.signal)) {
    const chunk = stft.push(block);
    if (chunk.frames > 0) append(chunk.data, chunk.frames);
    while (next < end && next * S + W <= bufFirst + bufFrames && next * S + W <= totalFrames) {
      yield emit(Number.MAX_SAFE_INTEGER);
      next++;
    }
  }
  if (last) {
    const tail = stft.finish();
    if (tail.frames > 0) append(tail.data, tail.frames);
  }
  for (; next < end; next++) {
    if (!last && next * S + W > bufFirst + bufFrames) {
      throw new SonotypeError('INTERNAL', `Window ${next} of range ${first}–${end} lacks frames (${bufFirst + bufFrames} of ${next * S + W}).`);
    }
    yield emit(totalFrames);
  }
}
