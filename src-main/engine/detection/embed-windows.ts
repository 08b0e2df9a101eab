/**
 * Runs the encoder over the windows of a recording that have no embedding
 * yet and caches the 128-d vectors in the project. Everything downstream
 * (silence head, regions, clustering) works from the cache, so the encoder
 * runs once per window and model.
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { streamFeatureWindows } from '../features';
import { putEmbeddings, type EmbeddingRow } from '../store/embeddings';
import type { RecordingRecord } from '../store/recordings';
import type { StoredWindow } from '../store/windows';
import type { DetectionProject } from './detect-types';
import { recordingSource } from './recording-windows';

export const DEFAULT_EMBED_BATCH = 64;

export interface EmbedOptions {
  batchSize?: number;
  signal?: AbortSignal;
  /** Called after each batch with the number of windows it embedded. */
  onBatch?: (windows: number) => void;
}

/** Encoder output for a batch of windows laid out [n, frames, bins]. */
async function encodeBatch(encoder: tf.LayersModel, data: Float32Array, n: number, config: FeatureConfig, bins: number): Promise<Float32Array> {
  const out = tf.tidy(() => encoder.predict(tf.tensor4d(data.subarray(0, n * config.windowFrames * bins), [n, config.windowFrames, bins, 1])) as tf.Tensor);
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

/**
 * Embeds the windows in `missing` (window ids) of one recording with
 * `encoder` and stores them under `encoderId`. The file is streamed through
 * the same pipeline that produced the window rows; a span that disagrees
 * with the stored row means the file changed since it was scanned.
 * Returns the number of windows embedded.
 */
export async function embedRecordingWindows(
  project: DetectionProject,
  recording: RecordingRecord,
  config: FeatureConfig,
  windows: readonly StoredWindow[],
  missing: ReadonlySet<number>,
  encoder: { model: tf.LayersModel; id: number },
  options: EmbedOptions = {},
): Promise<number> {
  if (missing.size === 0) return 0;
  const batchSize = options.batchSize ?? DEFAULT_EMBED_BATCH;
  const source = recordingSource(project, recording, config, options.signal);
  let bins = 0;
  let batch = new Float32Array(0);
  let batchIds: number[] = [];
  let embedded = 0;
  const flush = async (): Promise<void> => {
    if (batchIds.length === 0) return;
    const vectors = await encodeBatch(encoder.model, batch, batchIds.length, config, bins);
    const dims = vectors.length / batchIds.length;
    const rows: EmbeddingRow[] = batchIds.map((windowId, i) => ({ windowId, vector: vectors.slice(i * dims, (i + 1) * dims) }));
    putEmbeddings(project.db, encoder.id, rows);
    embedded += rows.length;
    options.onBatch?.(rows.length);
    batchIds = [];
  };
  for await (const w of streamFeatureWindows(source.openBlocks, source.sampleRate, source.frames, config, { signal: options.signal })) {
    const row = windows[w.span.index];
    if (!row || row.startNativeSample !== w.span.startNativeSample || row.endNativeSample !== w.span.endNativeSample) {
      throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} changed while it was being analysed (window ${w.span.index} moved). Scan the project again.`);
    }
    if (!missing.has(row.id)) continue;
    if (bins === 0) {
      bins = w.data.length / config.windowFrames;
      batch = new Float32Array(batchSize * w.data.length);
    }
    batch.set(w.data, batchIds.length * w.data.length);
    batchIds.push(row.id);
    if (batchIds.length === batchSize) await flush();
    // Nothing left to embed in this file: stop decoding.
    if (embedded + batchIds.length === missing.size) break;
  }
  await flush();
  if (embedded < missing.size) {
    throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} is shorter than when it was scanned (${embedded} of ${missing.size} windows found). Scan the project again.`);
  }
  return embedded;
}
