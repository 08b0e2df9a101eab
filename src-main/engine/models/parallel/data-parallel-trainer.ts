/**
 * Synchronous data-parallel training: the calling thread and N helper worker
 * threads each hold an identical replica of the training model. Every step,
 * each computes gradients on its share of the batch; the caller averages them
 * (weighted by share size) together with the BatchNorm moving statistics and
 * every replica applies the same average with its own, identical Adam — so the
 * replicas stay bit-identical without ever shipping weights after the start.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncoderTrainer } from '../train-encoder';
import { applyFlatGradients, computeShareGradients, readStatistics, weightedAverage, writeStatistics } from './gradient-step';
import { splitShares, startModelWorkers, type ModelWorker } from './model-worker-client';
import type { TrainerRecipe } from './model-worker-protocol';

/** One batch as plain arrays: inputs (count × 32 × bins) and targets (count × targetSize; same array for auto-encoders). */
export interface BatchArrays {
  x: Float32Array;
  y: Float32Array;
  count: number;
  /** Values per window in x and in y. */
  inSize: number;
  outSize: number;
  bins: number;
}

export interface TrainingReplicas {
  /** Threads taking part, the caller included. */
  readonly threads: number;
  /** One optimisation step over the whole batch; returns its mean loss. */
  step(batch: BatchArrays): Promise<number>;
  /** A helper replica's current weights (all of them, in getWeights order), for checks. */
  readWeights(helper: number): Promise<Float32Array[]>;
  /** Stops the helper threads. */
  close(): Promise<void>;
}

function shareTensors(t: EncoderTrainer, b: BatchArrays, start: number, count: number): { x: tf.Tensor; y: tf.Tensor } {
  const x = tf.tensor4d(b.x.subarray(start * b.inSize, (start + count) * b.inSize), [count, b.inSize / b.bins, b.bins, 1]);
  const y = t.targetFrames > 0 ? tf.tensor2d(b.y.subarray(start * b.outSize, (start + count) * b.outSize), [count, b.outSize]) : x;
  return { x, y };
}

/**
 * Starts `helpers` worker replicas of `t` (rebuilt from `recipe`, then given
 * t's current weights) for data-parallel steps.
 */
export async function startTrainingReplicas(t: EncoderTrainer, recipe: TrainerRecipe, helpers: number): Promise<TrainingReplicas> {
  const workers: ModelWorker[] = startModelWorkers(helpers);
  const weights = t.trainer.getWeights().map((w) => w.dataSync() as Float32Array);
  try {
    await Promise.all(workers.map((w) => w.request({ op: 'create-trainer', recipe, weights })));
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }
  let applying: Promise<unknown>[] = [];

  return {
    threads: helpers + 1,
    async step(b) {
      await Promise.all(applying);
      const shares = splitShares(b.count, helpers + 1).filter((s) => s.count > 0);
      // Helpers first, so they compute while this thread does its own share.
      const remote = shares.slice(1).map((s, i) => {
        const x = b.x.slice(s.start * b.inSize, (s.start + s.count) * b.inSize);
        const y = t.targetFrames > 0 ? b.y.slice(s.start * b.outSize, (s.start + s.count) * b.outSize) : new Float32Array(0);
        return workers[i].request({ op: 'gradients', x, y, count: s.count }, [x.buffer as ArrayBuffer, y.buffer as ArrayBuffer]);
      });
      const { x, y } = shareTensors(t, b, shares[0].start, shares[0].count);
      let own: { loss: number; gradients: Float32Array };
      try {
        own = computeShareGradients(t.trainer, x, y);
      } finally {
        tf.dispose(y === x ? [x] : [x, y]);
      }
      const ownStatistics = readStatistics(t.trainer);
      const others = await Promise.all(remote);
      const counts = shares.map((s) => s.count);
      const gradients = weightedAverage([own.gradients, ...others.map((o) => o.gradients)], counts);
      const statistics = weightedAverage([ownStatistics, ...others.map((o) => o.statistics)], counts);
      // Every helper applies the update, including any that had no share of a short batch.
      applying = workers.map((w) => {
        const g = gradients.slice();
        const s = statistics.slice();
        return w.request({ op: 'apply', gradients: g, statistics: s }, [g.buffer, s.buffer]);
      });
      applyFlatGradients(t.trainer, gradients);
      writeStatistics(t.trainer, statistics);
      return [own.loss, ...others.map((o) => o.loss)].reduce((sum, loss, i) => sum + loss * counts[i], 0) / b.count;
    },
    async readWeights(helper) {
      await Promise.all(applying);
      return (await workers[helper].request({ op: 'read-weights' })).weights;
    },
    async close() {
      await Promise.allSettled(applying);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
