/**
 * Throughput of the models on the active backend (not a unit test; numbers depend
 * on the machine and its load). Run: `npx tsx src-main/engine/models/measure-throughput.ts [wasm|cpu|auto] [batches]`
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendPreference } from './backend';
import { buildConvnetV1 } from './convnet-v1';
import { buildLstmV3 } from './lstm-v3';

function seconds(run: () => void, repeats: number): number {
  run(); // warm-up: operator creation, weight packing, heap growth
  const start = performance.now();
  for (let i = 0; i < repeats; i++) run();
  return (performance.now() - start) / 1000 / repeats;
}

/** GFLOP/s of one square matMul, as a yardstick for what the hardware/backend can do. */
function matMulGflops(size = 512): number {
  const a = tf.randomNormal([size, size]);
  const b = tf.randomNormal([size, size]);
  try {
    const s = seconds(() => tf.tidy(() => { tf.matMul(a, b).dataSync(); }), 10);
    return (2 * size ** 3) / s / 1e9;
  } finally {
    tf.dispose([a, b]);
  }
}

async function trainSeconds(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, repeats: number): Promise<number> {
  await model.trainOnBatch(x, y);
  const start = performance.now();
  for (let i = 0; i < repeats; i++) await model.trainOnBatch(x, y);
  return (performance.now() - start) / 1000 / repeats;
}

async function main(): Promise<void> {
  const preference = (process.argv[2] ?? 'wasm') as BackendPreference;
  const repeats = Number(process.argv[3] ?? 3);
  const batch = 32;
  const backend = await initBackend(preference);
  console.log(`backend: ${backend.name} — ${backend.reason}`);
  console.log(`matMul 512×512×512: ${matMulGflops().toFixed(1)} GFLOP/s`);

  const windows = tf.randomNormal([batch, 32, 256, 1]);
  const v1 = buildConvnetV1({ seed: 1 });
  const v1Infer = seconds(() => tf.tidy(() => { (v1.encoder.predict(windows, { batchSize: batch }) as tf.Tensor).dataSync(); }), repeats);
  console.log(`V1 encoder inference: ${(batch / v1Infer).toFixed(1)} windows/s`);
  const v1Train = await trainSeconds(v1.autoencoder, windows, windows, repeats);
  console.log(`V1 auto-encoder training (batch ${batch}): ${(batch / v1Train).toFixed(1)} windows/s`);

  const v3 = buildLstmV3({ seed: 1 });
  const next = tf.randomNormal([batch, 256]);
  const v3Infer = seconds(() => tf.tidy(() => { (v3.encoder.predict(windows, { batchSize: batch }) as tf.Tensor).dataSync(); }), repeats);
  console.log(`V3 encoder inference: ${(batch / v3Infer).toFixed(1)} windows/s`);
  const v3Train = await trainSeconds(v3.predictor, windows, next, repeats);
  console.log(`V3 next-frame training (batch ${batch}): ${(batch / v3Train).toFixed(1)} windows/s`);
  tf.dispose([windows, next]);
}

await main();
