/**
 * The two units of the window stage (detect --embed: the map's window
 * labels and embeddings), free of any database so that local `detect` and a
 * distributed worker run exactly the same code (detection's own frame
 * features are one unit too: frames/frame-features.ts, extractFrameFeatures):
 *
 * - the recording unit: heuristic silence decisions per window over the
 *   whole file (its noise floor is a whole-file statistic) and the length
 *   the decoder really delivers;
 * - a window shard: model windows [first, end) → encoder embeddings, and the
 *   silence head's probabilities when a head is given. A shard of a long WAV
 *   file gives bit-identical windows to the whole-file pass
 *   (streamFeatureWindowRange), so local and distributed embeddings agree.
 *
 * Local detect runs one recording unit and one whole-file shard per
 * recording and writes each batch as it comes; the coordinator of
 * `detect --distributed` writes the same results when workers send them
 * (recording-windows.ts: storeHeuristicLabels, storeWindowSpans; putEmbeddings).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import type { FeatureConfig, WindowSpan } from '../../../src-shared/feature-types';
import { streamFeatureWindowRange, windowSpans, type OpenBlocks, type OpenRange, type WindowRange } from '../features';
import { detectHeuristicSilence } from './heuristic-silence';
import { predictHead } from './window-head';

export const DEFAULT_EMBED_BATCH = 64;

/** What the recording unit finds; `spans` follow from the two lengths (recordingUnitSpans). */
export interface RecordingUnit {
  /** Native samples the decoder delivered. */
  nativeFrames: number;
  /** Samples at the analysis rate. */
  analysisSamples: number;
  /** Per window: 1 when the heuristic judged it silent. */
  silent: Uint8Array;
  /** Median noise level in the band, dB re full scale (null when the file is all zeros). */
  noiseFloorDb: number | null;
  spans: WindowSpan[];
}

/** Window spans of a recording unit from its two lengths (what a worker sends instead of the spans). */
export function recordingUnitSpans(nativeFrames: number, analysisSamples: number, nativeRate: number, config: FeatureConfig): WindowSpan[] {
  return windowSpans(analysisSamples, nativeRate, nativeFrames, config);
}

/** Runs the recording unit over the whole file (`openBlocks` is called twice). */
export async function analyseRecordingUnit(
  openBlocks: OpenBlocks,
  nativeRate: number,
  nativeFrames: number,
  config: FeatureConfig,
  signal?: AbortSignal,
): Promise<RecordingUnit> {
  const result = await detectHeuristicSilence(openBlocks, nativeRate, nativeFrames, config, { signal });
  const spans = result.windows.map((w) => w.span);
  const last = spans[spans.length - 1];
  return {
    // The last window always reaches the end of the file (windows.ts), in both sample rates.
    nativeFrames: last ? last.endNativeSample : 0,
    analysisSamples: last ? last.endSample : 0,
    silent: Uint8Array.from(result.windows, (w) => (w.silent ? 1 : 0)),
    noiseFloorDb: result.noiseFloorDb,
    spans,
  };
}

/**
 * An encoder that embeds several batches side by side: the encoder worker
 * pool (models/parallel/encoder-pool.ts), one batch per worker thread. On the
 * single-threaded WASM backend this is how embedding uses more than one core.
 */
export interface BatchEncoder {
  /** Batches it embeds at once (its worker threads). */
  readonly workers: number;
  /** Each batch: `count` windows (count × frames × bins) → count × embedding size, in order. */
  embedBatches(batches: readonly { windows: Float32Array; count: number }[]): Promise<Float32Array[]>;
}

/**
 * The models a shard runs: the encoder (a model run in this thread, or a
 * worker pool), and the silence head when its probabilities are wanted too.
 */
export interface ShardModels {
  encoder: tf.LayersModel | BatchEncoder;
  head?: tf.LayersModel | null;
}

/** One encoder batch of a shard. */
export interface ShardBatch {
  spans: WindowSpan[];
  dims: number;
  /** spans.length × dims, row-major. */
  embeddings: Float32Array;
  /** Silence probability per window, when a head was given. */
  pSilence: Float32Array | null;
}

export interface ShardOptions {
  batchSize?: number;
  signal?: AbortSignal;
  /** Which windows to embed (default: all in the range). */
  wanted?: (span: WindowSpan) => boolean;
  /** Stop decoding once this many wanted windows are embedded (default: run to the end of the range). */
  limit?: number;
  /** Receives each batch in window order; may be async (the next batch waits). */
  onBatch: (batch: ShardBatch) => void | Promise<void>;
}

/** Encoder output for a batch of windows laid out [n, frames, bins]. */
async function encodeBatch(encoder: tf.LayersModel, data: Float32Array, n: number, frames: number, bins: number): Promise<Float32Array> {
  const out = tf.tidy(() => encoder.predict(tf.tensor4d(data.subarray(0, n * frames * bins), [n, frames, bins, 1])) as tf.Tensor);
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

/** The shard's encoder as "embed these batches": a pool embeds one batch per worker, a model one after another. */
function batchEncoderOf(encoder: tf.LayersModel | BatchEncoder, frames: number, bins: number): BatchEncoder {
  if ('embedBatches' in encoder) return encoder;
  return {
    workers: 1,
    embedBatches: async (batches) => {
      const out: Float32Array[] = [];
      for (const b of batches) out.push(await encodeBatch(encoder, b.windows, b.count, frames, bins));
      return out;
    },
  };
}

/**
 * Runs a window shard: windows `range` of a recording `nativeFrames` long
 * (the range [0, ∞) streams the whole file whatever its format), in batches
 * of `batchSize` windows counted from the first wanted one. With a worker
 * pool as the encoder, as many batches as it has workers are embedded at
 * once; `onBatch` still receives them one by one, in window order. Returns
 * the number of windows embedded.
 */
export async function analyseWindowShard(
  openRange: OpenRange,
  nativeRate: number,
  nativeFrames: number,
  config: FeatureConfig,
  range: WindowRange,
  models: ShardModels,
  options: ShardOptions,
): Promise<number> {
  const batchSize = options.batchSize ?? DEFAULT_EMBED_BATCH;
  let windowSize = 0;
  let encoder: BatchEncoder | null = null;
  /** Full batches waiting for the encoder, then the one being filled (spans.length windows). */
  const waiting: { windows: Float32Array; spans: WindowSpan[] }[] = [];
  let batch = new Float32Array(0);
  let spans: WindowSpan[] = [];
  let embedded = 0;
  let pending = 0;
  const embedWaiting = async (): Promise<void> => {
    if (waiting.length === 0) return;
    const group = waiting.splice(0, waiting.length);
    const results = await encoder!.embedBatches(group.map((g) => ({ windows: g.windows, count: g.spans.length })));
    for (const [i, g] of group.entries()) {
      const embeddings = results[i];
      const dims = embeddings.length / g.spans.length;
      const pSilence = models.head ? predictHead(models.head, embeddings, dims) : null;
      embedded += g.spans.length;
      pending -= g.spans.length;
      await options.onBatch({ spans: g.spans, dims, embeddings, pSilence });
    }
    // Let timers run between batches (a BullMQ lock renewal, progress, cancellation).
    await nextTurn();
  };
  const closeBatch = async (): Promise<void> => {
    if (spans.length === 0) return;
    waiting.push({ windows: batch, spans });
    batch = new Float32Array(batchSize * windowSize);
    spans = [];
    if (waiting.length >= encoder!.workers) await embedWaiting();
  };
  for await (const w of streamFeatureWindowRange(openRange, nativeRate, nativeFrames, config, range, { signal: options.signal })) {
    if (options.wanted && !options.wanted(w.span)) continue;
    if (windowSize === 0) {
      windowSize = w.data.length;
      batch = new Float32Array(batchSize * windowSize);
      encoder = batchEncoderOf(models.encoder, config.windowFrames, windowSize / config.windowFrames);
    }
    batch.set(w.data, spans.length * windowSize);
    spans.push(w.span);
    pending++;
    if (spans.length === batchSize) await closeBatch();
    if (options.limit !== undefined && embedded + pending >= options.limit) break;
  }
  await closeBatch();
  await embedWaiting();
  return embedded;
}
