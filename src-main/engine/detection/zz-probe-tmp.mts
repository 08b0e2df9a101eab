import { initBackend, buildSilenceHead, trainSilenceHead, predictSilence } from '../models/index.ts';
const b = await initBackend((process.argv[2] ?? 'wasm') as any);
console.log(b.name);
const n = 100000;
const emb = new Float32Array(n * 128); for (let i = 0; i < emb.length; i++) emb[i] = Math.random();
const lab = new Uint8Array(n); for (let i = 0; i < n; i++) lab[i] = i % 3 === 0 ? 1 : 0;
const head = buildSilenceHead({ seed: 1 });
let t = performance.now();
console.log(await trainSilenceHead(head, emb.subarray(0, 20000*128), lab.subarray(0, 20000), { epochs: 2, batchSize: 256 }), (performance.now() - t).toFixed(0));
t = performance.now();
try { const p = predictSilence(head, emb); console.log('predict', (performance.now() - t).toFixed(0), p.length); } catch (e) { console.log('ERR', e); }
