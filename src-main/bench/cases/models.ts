/**
 * Encoder throughput on this machine's backend, using every core: inference
 * through a worker-thread encoder pool, training data-parallel over worker
 * replicas. The in-run baseline is a 512³ matMul on one thread; each figure's
 * `gflops_fraction` is achieved FLOP/s ÷ (matMul FLOP/s × workers). Because the
 * machine may be shared, every line also reports windows per CPU-second of
 * this process (all its threads), × workers = what a quiet machine would give.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { BenchLine, BenchSuite } from '../types';
import { initBackend } from '../../engine/models/backend';
import { forwardFlopsPerWindow } from '../../engine/models/model-flops';
import { createEncoderPool } from '../../engine/models/parallel/encoder-pool';
import { createEncoderTrainer, disposeTrainer, trainEncoder } from '../../engine/models/train-encoder';
import type { EncoderKind } from '../../engine/models/encoder-registry';

const BATCH = 32;
const INFERENCE_BATCHES = 4; // even: whole batches alternate between the 2 workers
const TRAINING_BATCHES = 2;

interface Rate { windowsPerSecond: number; windowsPerCpuSecond: number }

/** Wall and CPU time of `run` (after one untimed warm-up), in windows per second. */
async function measure(windows: number, run: () => Promise<void>, warmUp = true): Promise<Rate> {
  if (warmUp) await run();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { windowsPerSecond: windows / seconds, windowsPerCpuSecond: windows / ((cpu.user + cpu.system) / 1e6) };
}

function matMulGflops(size = 512): number {
  const a = tf.randomNormal([size, size]);
  const b = tf.randomNormal([size, size]);
  try {
    tf.tidy(() => { tf.matMul(a, b).dataSync(); });
    const repeats = 10;
    const t0 = performance.now();
    for (let i = 0; i < repeats; i++) tf.tidy(() => { tf.matMul(a, b).dataSync(); });
    return (2 * size ** 3 * repeats) / ((performance.now() - t0) / 1000) / 1e9;
  } finally {
    tf.dispose([a, b]);
  }
}

function syntheticWindows(count: number, frames: number): Float32Array {
  const data = new Float32Array(count * frames * 256);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * Math.cos(i * 0.0011);
  return data;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export const modelsSuite: BenchSuite = {
  names: [
    'backend', 'matmul_512_gflops', 'v1_inference_windows_per_s', 'v3_inference_windows_per_s',
    'v1_training_windows_per_s', 'v3_training_windows_per_s',
  ],
  async run(ctx, emit) {
    const backend = await initBackend('auto');
    emit({ name: 'backend', value: 1, unit: backend.name, better: 'higher', detail: { reason: backend.reason } });
    const gflops = matMulGflops();
    emit({ name: 'matmul_512_gflops', value: round(gflops), unit: 'GFLOP/s', better: 'higher', detail: { threads: 1 } });
    const workers = availableParallelism();
    const line = (name: string, target: number | undefined, rate: Rate, flopsPerWindow: number): BenchLine => ({
      name, value: round(rate.windowsPerSecond, 1), unit: 'windows/s', better: 'higher', ...(target ? { target } : {}),
      detail: {
        batch: BATCH, workers, backend: backend.name,
        gflops_fraction: round((rate.windowsPerSecond * flopsPerWindow) / (gflops * 1e9 * workers), 3),
        windows_per_cpu_second: round(rate.windowsPerCpuSecond, 1),
        quiet_machine_estimate: round(rate.windowsPerCpuSecond * workers, 1),
        mflops_per_window: round(flopsPerWindow / 1e6, 1),
      },
    });

    const models: { kind: EncoderKind; tag: string; inferTarget: number; trainTarget?: number }[] = [
      { kind: 'encoder-v1', tag: 'v1', inferTarget: 60, trainTarget: 5 },
      { kind: 'encoder-v3', tag: 'v3', inferTarget: 200 },
    ];
    for (const m of models) {
      const trainer = createEncoderTrainer(m.kind, { seed: 1 });
      try {
        ctx.log(`${m.tag}: inference with ${workers} workers`);
        const pool = await createEncoderPool({ model: trainer.encoder, workers });
        const windows = syntheticWindows(BATCH, 32);
        try {
          // Batches of 32 windows per model call, one batch per worker at a time (as detection feeds them).
          const batches = Array.from({ length: INFERENCE_BATCHES }, () => ({ windows, count: BATCH }));
          const rate = await measure(BATCH * INFERENCE_BATCHES, async () => {
            await pool.embedBatches(batches);
          });
          emit(line(`${m.tag}_inference_windows_per_s`, m.inferTarget, rate, forwardFlopsPerWindow(trainer.encoder)));
        } finally {
          await pool.close();
        }

        ctx.log(`${m.tag}: training with ${workers} threads`);
        const frames = 32 + trainer.targetFrames;
        const count = BATCH * (TRAINING_BATCHES + 1);
        const data = { data: syntheticWindows(count, frames), count, frames, bins: 256, seen: count };
        // Time from the end of the first batch (replica start-up and warm-up) to the end of the last.
        let cpu0 = process.cpuUsage();
        let t0 = 0;
        await trainEncoder(trainer, data, {
          epochs: 1, batchSize: BATCH, workers,
          onBatch: (p) => { if (p.batch === 1) { cpu0 = process.cpuUsage(); t0 = performance.now(); } },
        });
        const seconds = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        const trained = BATCH * TRAINING_BATCHES;
        // Training ≈ 3 forward passes of the trained model (forward, input gradients, weight gradients).
        const rate = { windowsPerSecond: trained / seconds, windowsPerCpuSecond: trained / ((cpu.user + cpu.system) / 1e6) };
        emit(line(`${m.tag}_training_windows_per_s`, m.trainTarget, rate, 3 * forwardFlopsPerWindow(trainer.trainer)));
      } finally {
        disposeTrainer(trainer);
      }
    }
  },
};
