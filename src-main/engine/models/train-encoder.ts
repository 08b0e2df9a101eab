/**
 * Unsupervised training of an encoder on sampled windows of the user's own
 * recordings: Convnet V1 as an auto-encoder (reconstruct the window, MSE),
 * LSTM V3 as a next-frame predictor (predict the normalised frame(s) after
 * the window, MSE). A plain batch loop (not model.fit) so every batch can
 * report progress, check for cancellation and keep memory flat.
 */
import * as tf from '@tensorflow/tfjs';
import { SonotypeError } from '../../../src-shared/errors';
import { createRng } from '../util/random';
import type { TrainingWindows } from './training-windows';
import type { EncoderKind } from './encoder-registry';
import { buildConvnetV1 } from './convnet-v1';
import { buildLstmV3 } from './lstm-v3';
import { startTrainingReplicas, type BatchArrays, type TrainingReplicas } from './parallel/data-parallel-trainer';
import type { TrainerRecipe } from './parallel/model-worker-protocol';

export interface EncoderTrainer {
  kind: EncoderKind;
  /** The model whose output is the 128-d embedding. */
  encoder: tf.LayersModel;
  /** The model actually optimised (auto-encoder or predictor); shares the encoder's layers. */
  trainer: tf.LayersModel;
  /** Frames after each window used as the prediction target (0 for the auto-encoder). */
  targetFrames: number;
  /** How to rebuild it in a worker thread (set by createEncoderTrainer); needed for `workers` > 1. */
  recipe?: TrainerRecipe;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  windowsPerSecond: number;
}

export interface TrainEncoderOptions {
  epochs: number;
  batchSize: number;
  /** First epoch to run (resume); epochs before it are considered done. */
  startEpoch?: number;
  seed?: number;
  signal?: AbortSignal;
  isCancelled?: () => boolean;
  onBatch?: (p: TrainProgress) => void;
  /** Called after each epoch (e.g. to save a checkpoint); awaited before the next. */
  onEpochEnd?: (epoch: number, meanLoss: number) => Promise<void> | void;
  /**
   * Threads to train with (this one plus workers - 1 replicas in worker threads,
   * data-parallel). Default 1: the plain trainOnBatch loop.
   */
  workers?: number;
}

export interface TrainEncoderResult {
  /** Mean training loss per epoch run by this call. */
  lossCurve: { epoch: number; loss: number }[];
  windowsPerSecond: number;
  seconds: number;
}

/** Gathers one batch's model inputs and targets from the stored windows. */
function batchArrays(t: EncoderTrainer, windows: TrainingWindows, indices: Int32Array): BatchArrays {
  const inFrames = windows.frames - t.targetFrames;
  const inSize = inFrames * windows.bins;
  const outSize = t.targetFrames > 0 ? t.targetFrames * windows.bins : inSize;
  const size = windows.frames * windows.bins;
  const x = new Float32Array(indices.length * inSize);
  const y = t.targetFrames > 0 ? new Float32Array(indices.length * outSize) : x;
  indices.forEach((w, i) => {
    const row = windows.data.subarray(w * size, (w + 1) * size);
    x.set(row.subarray(0, inSize), i * inSize);
    if (t.targetFrames > 0) y.set(row.subarray(inSize), i * outSize);
  });
  return { x, y, count: indices.length, inSize, outSize, bins: windows.bins };
}

/** One trainOnBatch step on this thread. */
async function trainOnBatchArrays(t: EncoderTrainer, b: BatchArrays): Promise<number> {
  const x = tf.tensor4d(b.x, [b.count, b.inSize / b.bins, b.bins, 1]);
  const y = t.targetFrames > 0 ? tf.tensor2d(b.y, [b.count, b.outSize]) : x.clone();
  try {
    const out = await t.trainer.trainOnBatch(x, y);
    return Array.isArray(out) ? out[0] : out;
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** Runs the training loop; the trainer's weights are updated in place. */
export async function trainEncoder(
  t: EncoderTrainer, windows: TrainingWindows, options: TrainEncoderOptions,
): Promise<TrainEncoderResult> {
  if (windows.frames - t.targetFrames !== 32) {
    throw new SonotypeError('INVALID_ARGUMENT', `Training windows have ${windows.frames} frames; ${32 + t.targetFrames} are needed.`);
  }
  const rng = createRng(options.seed ?? 7);
  const batches = Math.ceil(windows.count / options.batchSize);
  const lossCurve: { epoch: number; loss: number }[] = [];
  const started = performance.now();
  let trained = 0;
  const cancelled = () => options.signal?.aborted || options.isCancelled?.();
  const threads = Math.max(1, Math.floor(options.workers ?? 1));
  if (threads > 1 && !t.recipe) throw new SonotypeError('INVALID_ARGUMENT', 'Parallel training needs a trainer made by createEncoderTrainer.');
  const replicas: TrainingReplicas | null = threads > 1 ? await startTrainingReplicas(t, t.recipe!, threads - 1) : null;
  try {
    for (let epoch = options.startEpoch ?? 0; epoch < options.epochs; epoch++) {
      // Fisher–Yates shuffle with a seeded RNG: reproducible runs.
      const order = Int32Array.from({ length: windows.count }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        if (cancelled()) throw new SonotypeError('CANCELLED', 'Training was cancelled.');
        const batch = batchArrays(t, windows, order.subarray(b * options.batchSize, (b + 1) * options.batchSize));
        const loss = replicas ? await replicas.step(batch) : await trainOnBatchArrays(t, batch);
        if (!Number.isFinite(loss)) throw new SonotypeError('INTERNAL', `Training diverged (loss ${loss}) in epoch ${epoch + 1}. Try a smaller learning rate.`);
        lossSum += loss;
        trained += Math.min(options.batchSize, windows.count - b * options.batchSize);
        const seconds = (performance.now() - started) / 1000;
        options.onBatch?.({ epoch, epochs: options.epochs, batch: b + 1, batches, loss, windowsPerSecond: trained / Math.max(seconds, 1e-6) });
        // Let the event loop breathe so cancel messages and progress get through.
        await new Promise((r) => setImmediate(r));
      }
      lossCurve.push({ epoch, loss: lossSum / batches });
      await options.onEpochEnd?.(epoch, lossSum / batches);
    }
    const seconds = (performance.now() - started) / 1000;
    return { lossCurve, windowsPerSecond: trained / Math.max(seconds, 1e-6), seconds };
  } finally {
    await replicas?.close();
  }
}

/** A fresh encoder of `kind` with the model that trains it. */
export function createEncoderTrainer(
  kind: EncoderKind, options: { predictFrames?: 1 | 10; seed?: number; learningRate?: number; dropout?: number } = {},
): EncoderTrainer {
  const recipe: TrainerRecipe = { kind, ...options };
  if (kind === 'encoder-v1') {
    const m = buildConvnetV1({ seed: options.seed, learningRate: options.learningRate });
    // The standalone decoder shares the auto-encoder's layers; only the auto-encoder is trained.
    return { kind, encoder: m.encoder, trainer: m.autoencoder, targetFrames: 0, recipe };
  }
  const predictFrames = options.predictFrames ?? 1;
  const m = buildLstmV3({ predictFrames, seed: options.seed, learningRate: options.learningRate, dropout: options.dropout });
  return { kind, encoder: m.encoder, trainer: m.predictor, targetFrames: predictFrames, recipe };
}

/** Frees every tensor of a trainer (its encoder shares the weights, so it is unusable afterwards). */
export function disposeTrainer(t: EncoderTrainer): void {
  t.trainer.optimizer?.dispose();
  t.trainer.dispose();
}
