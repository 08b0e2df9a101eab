import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
await tf.setBackend('wasm'); await tf.ready();
function bench(name, f, flops, reps=5){ tf.tidy(()=>f().dataSync()); const s=performance.now(); for(let i=0;i<reps;i++) tf.tidy(()=>f().dataSync()); const dt=(performance.now()-s)/reps; console.log(name, dt.toFixed(1),'ms', (flops/dt/1e6).toFixed(1),'GFLOP/s'); }
const A=tf.randomNormal([16384,512]), B=tf.randomNormal([16384,64]);
bench('AtB 512x16384x64', ()=>tf.matMul(A,B,true,false), 2*512*16384*64);
const At=tf.randomNormal([512,16384]);
bench('AB 512x16384x64', ()=>tf.matMul(At,B,false,false), 2*512*16384*64);
const Bt=tf.randomNormal([64,16384]);
bench('ABt 512x16384x64', ()=>tf.matMul(At,Bt,false,true), 2*512*16384*64);
const a=tf.randomNormal([512,512]), b=tf.randomNormal([512,512]);
bench('512^3', ()=>tf.matMul(a,b), 2*512**3, 10);
bench('512^3 tB', ()=>tf.matMul(a,b,false,true), 2*512**3, 10);
bench('512^3 tA', ()=>tf.matMul(a,b,true,false), 2*512**3, 10);
// conv forward for V1 layers batch 32
const x1=tf.randomNormal([32,32,256,1]), w1=tf.randomNormal([8,8,1,128]);
bench('conv1', ()=>tf.conv2d(x1,w1,2,'same'), 32*16*128*128*64*2, 2);
const x2=tf.randomNormal([32,16,128,128]), w2=tf.randomNormal([8,8,128,64]);
bench('conv2', ()=>tf.conv2d(x2,w2,2,'same'), 32*8*64*64*8192*2, 2);
const w2s=tf.randomNormal([4,4,64,128]); const y2=tf.randomNormal([32,8,64,64]);
bench('conv phase s1 4x4 64->128 on 8x64', ()=>tf.conv2d(tf.pad(y2,[[0,0],[1,2],[1,2],[0,0]]),w2s,1,'valid'), 32*8*64*16*64*128*2, 2);
const x3=tf.randomNormal([32,32,256,1]), w3=tf.randomNormal([8,8,1,64]);
bench('v3 conv', ()=>tf.conv2d(x3,w3,1,'same'), 32*32*256*64*64*2, 2);
const s=performance.now(); tf.conv2dTranspose(tf.randomNormal([2,8,64,64]), tf.randomNormal([8,8,128,64]), [2,16,128,128], 2, 'same').dataSync(); console.log('slow convT batch2', performance.now()-s);
