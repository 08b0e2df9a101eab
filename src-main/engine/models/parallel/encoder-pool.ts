/**
 * Data-parallel encoder inference: every worker thread loads the same encoder
 * on its own backend and embeds a contiguous share of each batch; the shares
 * are put back in order. On the single-threaded WASM backend this is how
 * inference uses more than one core.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { SonotypeError } from '../../../../src-shared/errors';
import { WINDOW_SHAPE } from '../convnet-v1';
import { MODEL_JSON, serializeLayersModel } from '../model-io';
import { splitShares, startModelWorkers } from './model-worker-client';
import type { SerializedModel } from './model-worker-protocol';

const WINDOW_SIZE = WINDOW_SHAPE[0] * WINDOW_SHAPE[1] * WINDOW_SHAPE[2];

export interface EncoderPoolOptions {
  /** A model folder written by saveLayersModel; or give `model`. */
  modelDir?: string;
  /** The encoder itself, or its serialized form (see serializeForWorkers). */
  model?: tf.LayersModel | SerializedModel;
  /** Worker threads; default: one per core. */
  workers?: number;
}

export interface EncoderPool {
  /** Number of worker threads. */
  readonly workers: number;
  /** `count` windows (count × 32 × 256, window-major) → count × embedding size, in the same order. */
  embed(windows: Float32Array, count: number): Promise<Float32Array>;
  /**
   * Several batches at once: each worker embeds whole batches (round robin),
   * so every model call really runs at the batch size asked for, and both
   * cores stay busy without splitting a batch. Results come back in order.
   */
  embedBatches(batches: readonly { windows: Float32Array; count: number }[]): Promise<Float32Array[]>;
  /** Stops the workers; pending embeds are rejected. */
  close(): Promise<void>;
}

/** The in-memory form of a layers model that workers can load (topology + weights). */
export async function serializeForWorkers(model: tf.LayersModel): Promise<SerializedModel> {
  const files = await serializeLayersModel(model);
  const json = JSON.parse(files['model.json']) as { modelTopology: object; weightsManifest: { weights: SerializedModel['weightSpecs'] }[] };
  const bytes = files['weights.bin'];
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
}

async function readModelFolder(dir: string): Promise<SerializedModel> {
  let json: { modelTopology: object; weightsManifest: { paths: string[]; weights: SerializedModel['weightSpecs'] }[] };
  try {
    json = JSON.parse(await readFile(join(dir, MODEL_JSON), 'utf8'));
  } catch (cause) {
    throw new SonotypeError('NOT_FOUND', `No readable model in ${dir} (${(cause as Error).message}).`, { cause });
  }
  const bytes = Buffer.concat(await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p)))));
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
}

/** Starts the workers and loads the encoder in each; resolves once all are ready. */
export async function createEncoderPool(options: EncoderPoolOptions): Promise<EncoderPool> {
  const source = options.model ?? (options.modelDir ? await readModelFolder(options.modelDir) : undefined);
  if (!source) throw new SonotypeError('INVALID_ARGUMENT', 'createEncoderPool needs a modelDir or a model.');
  const serialized = source instanceof tf.LayersModel ? await serializeForWorkers(source) : source;
  const outputShape = (source instanceof tf.LayersModel ? source : null)?.outputs[0].shape;
  const count = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  const workers = startModelWorkers(count);
  try {
    // Each worker gets its own copy of the weights (structured clone), so nothing is transferred here.
    await Promise.all(workers.map((w) => w.request({ op: 'load-model', model: serialized })));
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }
  let embeddingSize = typeof outputShape?.[1] === 'number' ? outputShape[1] : 0;

  return {
    workers: count,
    async embed(windows, n) {
      if (!(n >= 0) || windows.length < n * WINDOW_SIZE) {
        throw new SonotypeError('INVALID_ARGUMENT', `embed() got ${windows.length} values for ${n} windows of ${WINDOW_SIZE}.`);
      }
      const shares = splitShares(n, workers.length).filter((s) => s.count > 0);
      const parts = await Promise.all(shares.map((s, i) => {
        // slice() copies the share into its own buffer, which then moves to the worker without another copy.
        const share = windows.slice(s.start * WINDOW_SIZE, (s.start + s.count) * WINDOW_SIZE);
        return workers[i].request({ op: 'embed', windows: share, count: s.count }, [share.buffer as ArrayBuffer]);
      }));
      if (!embeddingSize && parts.length) embeddingSize = parts[0].embeddings.length / shares[0].count;
      const out = new Float32Array(n * embeddingSize);
      parts.forEach((p, i) => out.set(p.embeddings, shares[i].start * embeddingSize));
      return out;
    },
    async embedBatches(batches) {
      // One queue per worker, each worked through in order; the queues run side by side.
      const queues = workers.map(() => [] as number[]);
      batches.forEach((_, i) => queues[i % workers.length].push(i));
      const results: Float32Array[] = new Array(batches.length);
      await Promise.all(queues.map(async (queue, w) => {
        for (const i of queue) {
          const { windows, count } = batches[i];
          if (windows.length < count * WINDOW_SIZE) {
            throw new SonotypeError('INVALID_ARGUMENT', `embedBatches() got ${windows.length} values for ${count} windows of ${WINDOW_SIZE}.`);
          }
          const copy = windows.slice(0, count * WINDOW_SIZE);
          const part = await workers[w].request({ op: 'embed', windows: copy, count }, [copy.buffer as ArrayBuffer]);
          results[i] = part.embeddings;
        }
      }));
      return results;
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
