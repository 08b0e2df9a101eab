import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { buildConvnetV1 } from '../convnet-v1';
import { buildLstmV3 } from '../lstm-v3';
import { saveLayersModel } from '../model-io';
import { createEncoderTrainer, disposeTrainer, trainEncoder } from '../train-encoder';
import type { TrainingWindows } from '../training-windows';
import { createEncoderPool } from './encoder-pool';
import { startTrainingReplicas } from './data-parallel-trainer';
import { splitShares } from './model-worker-client';

/** Smooth "whistle" windows plus noise, `frames` × 256 each, from a fixed LCG. */
function syntheticWindows(count: number, frames: number, seed: number): TrainingWindows {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const data = new Float32Array(count * frames * 256);
  for (let w = 0; w < count; w++) {
    const centre = 40 + rand() * 170;
    const slope = (rand() - 0.5) * 2;
    for (let f = 0; f < frames; f++) {
      for (let b = 0; b < 256; b++) {
        const d = b - centre - slope * f;
        data[(w * frames + f) * 256 + b] = Math.exp(-(d * d) / 50) + 0.05 * (rand() - 0.5);
      }
    }
  }
  return { data, count, frames, bins: 256, seen: count };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('data-parallel models over worker threads (WASM backend in every thread)', () => {
  let dir: string;
  beforeAll(async () => {
    expect((await initBackend('wasm')).name).toBe('wasm');
    dir = await mkdtemp(join(tmpdir(), 'sonotype-pool-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('splitShares covers every item once, in order, sizes differing by at most one', () => {
    for (const [count, parts] of [[7, 2], [2, 3], [32, 2], [0, 2], [5, 5]]) {
      const shares = splitShares(count, parts);
      expect(shares).toHaveLength(parts);
      expect(shares.reduce((s, p) => s + p.count, 0)).toBe(count);
      shares.forEach((p, i) => expect(p.start).toBe(i === 0 ? 0 : shares[i - 1].start + shares[i - 1].count));
      const sizes = shares.map((p) => p.count);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  const WINDOW = 32 * 256;
  it('encoder pool gives the same embeddings as the single-thread encoder, in order (V1 from a folder, V3 from memory)', async () => {
    const windows = syntheticWindows(5, 32, 3).data;
    const x = tf.tensor4d(windows, [5, 32, 256, 1]);
    const v1 = buildConvnetV1({ seed: 4 });
    const v3 = buildLstmV3({ seed: 4 });
    const expected1 = (v1.encoder.predict(x) as tf.Tensor).dataSync() as Float32Array;
    const expected3 = (v3.encoder.predict(x) as tf.Tensor).dataSync() as Float32Array;
    x.dispose();
    await saveLayersModel(v1.encoder, join(dir, 'v1'));
    const pools = await Promise.all([createEncoderPool({ modelDir: join(dir, 'v1'), workers: 2 }), createEncoderPool({ model: v3.encoder, workers: 2 })]);
    try {
      const [got1, got3] = await Promise.all([pools[0].embed(windows, 5), pools[1].embed(windows, 5)]);
      expect(windows.length).toBe(5 * 32 * 256); // the caller's array is copied, not transferred away
      expect(got1).toHaveLength(5 * 128);
      expect(got3).toHaveLength(5 * 128);
      // Same backend, same kernels, rows computed independently: identical up to float32 rounding.
      expect(maxAbsDiff(got1, expected1)).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(got3, expected3)).toBeLessThanOrEqual(1e-6);
      // Order matters: a swapped share would move rows.
      expect(maxAbsDiff(got1.subarray(0, 128), expected1.subarray(128, 256))).toBeGreaterThan(1e-3);
      expect(await pools[0].embed(windows, 1)).toHaveLength(128);
      // Whole batches alternate between the workers and come back in order.
      const batches = [5, 2, 3].map((n, i) => ({ windows: windows.slice(i * WINDOW, (i + n) * WINDOW), count: n }));
      const results = await pools[1].embedBatches(batches);
      batches.forEach((b, i) => {
        expect(results[i]).toHaveLength(b.count * 128);
        expect(maxAbsDiff(results[i], expected3.subarray(i * 128, (i + b.count) * 128))).toBeLessThanOrEqual(1e-6);
      });
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    await expect(pools[0].embed(windows, 2)).rejects.toThrow(/closed/);
  }, 60_000);

  it('training replicas stay bit-identical across steps, BatchNorm statistics included (V1, 2 threads)', async () => {
    const t = createEncoderTrainer('encoder-v1', { seed: 5 });
    const w = syntheticWindows(5, 32, 9);
    const replicas = await startTrainingReplicas(t, t.recipe!, 1);
    try {
      for (let step = 0; step < 2; step++) {
        const loss = await replicas.step({ x: w.data, y: w.data, count: 5, inSize: 32 * 256, outSize: 32 * 256, bins: 256 });
        expect(Number.isFinite(loss)).toBe(true);
      }
      const remote = await replicas.readWeights(0);
      const local = t.trainer.getWeights().map((v) => v.dataSync());
      expect(remote).toHaveLength(local.length);
      remote.forEach((r, i) => expect(maxAbsDiff(r, local[i])).toBeLessThanOrEqual(1e-6));
      // The moving statistics moved (the check above covers them too).
      const movingMean = t.trainer.nonTrainableWeights[0].read().dataSync();
      expect(Math.max(...Array.from(movingMean, Math.abs))).toBeGreaterThan(0);
    } finally {
      await replicas.close();
      disposeTrainer(t);
    }
  }, 60_000);

  it('2-thread training follows the 1-thread trainOnBatch loss trajectory (V3, no dropout)', async () => {
    const windows = syntheticWindows(12, 33, 21);
    // The recurrent kernels' orthogonal initialiser takes no seed: both runs start from one set of weights.
    let initial: tf.Tensor[] | null = null;
    const run = async (workers: number) => {
      const t = createEncoderTrainer('encoder-v3', { seed: 6, dropout: 0, learningRate: 3e-3 });
      const losses: number[] = [];
      if (initial) t.trainer.setWeights(initial);
      else initial = t.trainer.getWeights().map((v) => v.clone());
      try {
        await trainEncoder(t, windows, { epochs: 1, batchSize: 6, seed: 2, workers, onBatch: (p) => losses.push(p.loss) });
        return { losses, weights: t.trainer.getWeights().map((v) => v.dataSync()) };
      } finally {
        disposeTrainer(t);
      }
    };
    const single = await run(1);
    const parallel = await run(2);
    expect(parallel.losses).toHaveLength(2);
    // The weights must actually move, or matching them would prove nothing.
    const moved = Math.max(...single.weights.map((w, i) => maxAbsDiff(w, initial![i].dataSync())));
    expect(moved).toBeGreaterThan(1e-3);
    parallel.losses.forEach((l, i) => expect(Math.abs(l - single.losses[i]) / single.losses[i]).toBeLessThan(1e-4));
    parallel.weights.forEach((w, i) => expect(maxAbsDiff(w, single.weights[i])).toBeLessThan(1e-4));
    tf.dispose(initial!);
  }, 60_000);
});
