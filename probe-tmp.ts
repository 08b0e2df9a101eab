import * as tf from '@tensorflow/tfjs';
import { initBackend, buildConvnetV1, buildLstmV3 } from './src-main/engine/models';
await initBackend('wasm');
const which = process.argv[2];
const x = tf.randomNormal([32, 32, 256, 1]);
const m = which === 'v1' ? buildConvnetV1({ seed: 1 }).autoencoder : buildLstmV3({ seed: 1 }).predictor;
const y = which === 'v1' ? x : tf.randomNormal([32, 256]);
await m.trainOnBatch(x, y);
const s = performance.now();
const info = await tf.profile(async () => { await m.trainOnBatch(x, y); });
console.log('total', performance.now() - s);
const agg = new Map<string, number>();
for (const k of info.kernels) { const key = k.name + ' ' + JSON.stringify(k.inputShapes); agg.set(key, (agg.get(key) ?? 0) + (k.kernelTimeMs as number)); }
const byName = new Map<string, number>(); for (const k of info.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + (k.kernelTimeMs as number));
console.log([...byName].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${k}: ${v.toFixed(0)}`).join('\n'));
console.log([...agg].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0)} ${k}`).join('\n'));
