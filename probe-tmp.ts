import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
import { buildConvnetV1 } from './src-main/engine/models/convnet-v1';
import { buildLstmV3 } from './src-main/engine/models/lstm-v3';
setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
await tf.setBackend('wasm'); await tf.ready();
const missing = new Set<string>();
async function tryStep(name: string, f: () => Promise<unknown>) {
  for (let i = 0; i < 10; i++) {
    try { await f(); console.log(name, 'OK'); return; } catch (e) {
      const m = /'(\w+)' not registered/.exec(String((e as Error).message));
      console.log(name, 'error:', String((e as Error).message).slice(0, 150));
      if (!m) return;
      missing.add(m[1]);
      // register a cpu-fallback stub so we can discover the next one
      const cpu = tf.getKernel(m[1], 'cpu');
      if (!cpu) return;
      tf.registerKernel({ kernelName: m[1], backendName: 'wasm', kernelFunc: (a: any) => {
        const { inputs, attrs, backend } = a; const cpuB = tf.findBackend('cpu') as any;
        const ins: any = {}; for (const k in inputs) { const t = inputs[k]; ins[k] = { dataId: cpuB.write(backend.readSync(t.dataId), t.shape, t.dtype), shape: t.shape, dtype: t.dtype }; }
        const out = cpu.kernelFunc({ inputs: ins, attrs, backend: cpuB }) as any;
        const o = Array.isArray(out) ? out[0] : out; const vals = cpuB.readSync(o.dataId);
        return backend.makeOutput(o.shape, o.dtype, undefined, vals);
      } });
    }
  }
}
const v1 = buildConvnetV1();
v1.autoencoder.summary();
const x = tf.randomNormal([2, 32, 256, 1]);
await tryStep('v1', () => v1.autoencoder.fit(x, x, { batchSize: 2, epochs: 1, verbose: 0 }));
const v3 = buildLstmV3();
const y = tf.randomNormal([2, 256]);
await tryStep('v3', () => v3.predictor.fit(x, y, { batchSize: 2, epochs: 1, verbose: 0 }));
console.log('MISSING', [...missing]);
