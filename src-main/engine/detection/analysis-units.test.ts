/**
 * A window shard with the encoder worker pool (detect --embed): batches go to
 * the pool side by side, yet every window's embedding and the order of the
 * batches are those of the encoder run in this thread.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFeatureConfig, type OpenRange } from '../features';
import { asyncBlocks, splitBlocks } from '../features/test-helpers';
import { initBackend } from '../models/backend';
import { whiteNoise } from '../testing/synth';
import { analyseWindowShard, type BatchEncoder, type ShardBatch } from './analysis-units';

const RATE = 48_000;
const config = defaultFeatureConfig(RATE);
const samples = whiteNoise(RATE, 4, 0.05, 21);
const open: OpenRange = (start, end) => asyncBlocks(splitBlocks(samples.subarray(start, Math.min(end, samples.length)), [5000]));
let model: tf.LayersModel;

beforeAll(async () => {
  await initBackend('wasm');
  // A small stand-in encoder with fixed weights: what matters is that every window gives its own vector.
  model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [config.windowFrames, 256, 1] }), tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.randomNormal({ seed: 4 }) })] });
});
afterAll(() => model.dispose());

/** Runs a shard and collects its batches in the order onBatch saw them. */
async function run(encoder: tf.LayersModel | BatchEncoder, limit?: number): Promise<ShardBatch[]> {
  const batches: ShardBatch[] = [];
  await analyseWindowShard(open, RATE, samples.length, config, { first: 0, end: Infinity }, { encoder }, { batchSize: 4, limit, onBatch: (b) => void batches.push(b) });
  return batches;
}

describe('analyseWindowShard with an encoder worker pool', () => {
  it('embeds as many batches at once as the pool has workers and hands them on in window order, as in this thread', async () => {
    const groups: number[][] = [];
    const pool: BatchEncoder = {
      workers: 3,
      async embedBatches(batches) {
        groups.push(batches.map((b) => b.count));
        // The workers answer in any order; the shard must not depend on it.
        const out = await Promise.all(batches.map(async (b, i) => {
          await new Promise((r) => setTimeout(r, (batches.length - i) * 2));
          const y = tf.tidy(() => model.predict(tf.tensor4d(b.windows.subarray(0, b.count * config.windowFrames * 256), [b.count, config.windowFrames, 256, 1])) as tf.Tensor);
          try {
            return (await y.data()) as Float32Array;
          } finally {
            y.dispose();
          }
        }));
        return out;
      },
    };
    const here = await run(model);
    const pooled = await run(pool);
    expect(here.length).toBeGreaterThan(3);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups[0]).toEqual([4, 4, 4]);
    expect(groups.flat().reduce((s, n) => s + n, 0)).toBe(here.reduce((s, b) => s + b.spans.length, 0));
    expect(pooled.map((b) => b.spans.map((s) => s.index))).toEqual(here.map((b) => b.spans.map((s) => s.index)));
    pooled.forEach((b, i) => expect(Array.from(b.embeddings)).toEqual(Array.from(here[i].embeddings)));
    // A limit still stops at the same window.
    const limited = await run(pool, 6);
    expect(limited.flatMap((b) => b.spans.map((s) => s.index))).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
