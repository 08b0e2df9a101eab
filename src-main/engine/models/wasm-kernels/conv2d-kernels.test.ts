import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { setIm2colChunkFloats } from './conv-geometry';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case { name: string; x: [number, number, number, number]; w: [number, number, number, number]; stride: number | [number, number]; pad: Pad }

const CASES: Case[] = [
  { name: '3×3 stride 2 same, odd sizes', x: [2, 9, 11, 3], w: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { name: '4×2 strides [2,3] valid', x: [1, 7, 8, 2], w: [4, 2, 2, 3], stride: [2, 3], pad: 'valid' },
  { name: '8×8 stride 1 same (V3 conv2d, narrow)', x: [2, 16, 24, 1], w: [8, 8, 1, 4], stride: 1, pad: 'same' },
  { name: 'explicit asymmetric padding', x: [1, 6, 6, 2], w: [3, 3, 2, 2], stride: 1, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { name: 'V1 conv2d_0 (8×8 s2 same, 1→128)', x: [1, 32, 256, 1], w: [8, 8, 1, 128], stride: 2, pad: 'same' },
  // Full-width conv2d_1 costs ~50 s on the cpu reference; its channels, kernel and stride are
  // checked at a quarter of the width unless SONOTYPE_FULL_GRADCHECK=1.
  process.env.SONOTYPE_FULL_GRADCHECK === '1'
    ? { name: 'V1 conv2d_1 (128→64)', x: [1, 16, 128, 128], w: [8, 8, 128, 64], stride: 2, pad: 'same' }
    : { name: 'V1 conv2d_1 (128→64, width 32)', x: [1, 16, 32, 128], w: [8, 8, 128, 64], stride: 2, pad: 'same' },
  { name: 'V1 decoder conv2d_transpose_2 / reconstruction (128→1)', x: [1, 32, 64, 1], w: [8, 8, 1, 128], stride: 2, pad: 'same' },
  { name: 'V1 conv2d_2 (64→32)', x: [1, 8, 64, 64], w: [8, 8, 64, 32], stride: 2, pad: 'same' },
  { name: 'V1 conv2d_3 (32→16)', x: [2, 4, 32, 32], w: [8, 8, 32, 16], stride: 2, pad: 'same' },
];

interface Results { y: Float32Array; dx: Float32Array; dw: Float32Array; transposed: Float32Array }

/** conv2d, its gradients w.r.t. input and filter, and conv2dTranspose, on the active backend. */
function evaluate(c: Case, xv: Float32Array, wv: Float32Array, upstream: Float32Array): Results {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.x);
    const w = tf.tensor4d(wv, c.w);
    const y = tf.conv2d(x, w, c.stride, c.pad);
    const dy = tf.tensor(upstream, y.shape);
    // The gradient of Σ(conv·dy) is exactly (Conv2DBackpropInput, Conv2DBackpropFilter) applied to dy.
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad).mul(dy).sum())([x, w]);
    const transposed = tf.conv2dTranspose(dy as tf.Tensor4D, w, c.x, c.stride, c.pad);
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array, transposed: transposed.dataSync() as Float32Array } as never;
  }) as unknown as Results;
}

function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Largest error relative to the reference's scale, so long float32 sums are judged fairly. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-6;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst / scale;
}

describe('WASM im2col convolution kernels match the cpu backend', () => {
  beforeAll(async () => {
    const active = await initBackend('wasm');
    expect(active.name).toBe('wasm');
  });
  afterAll(async () => {
    setIm2colChunkFloats();
    await tf.setBackend('wasm');
  });

  for (const chunked of [false, true]) {
    for (const c of CASES) {
      // The big V1 layers take seconds on the cpu reference; check them once, unchunked.
      if (chunked && (c.name.startsWith('V1 conv2d_0') || c.x[3] * c.w[0] * c.w[1] > 2048)) continue;
      it(`${c.name}${chunked ? ' (forced into small chunks)' : ''}`, async () => {
        const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
        const xv = random(size(c.x), 1);
        const wv = random(size(c.w), 2);
        await tf.setBackend('cpu');
        const probe = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.w) as tf.Tensor4D, c.stride, c.pad);
        const upstream = random(size(probe.shape), 3);
        probe.dispose();
        const expected = evaluate(c, xv, wv, upstream);
        await tf.setBackend('wasm');
        setIm2colChunkFloats(chunked ? 7 * c.w[0] * c.w[1] * Math.max(c.w[2], c.w[3]) : undefined);
        const before = tf.memory().numTensors;
        const actual = evaluate(c, xv, wv, upstream);
        expect(tf.memory().numTensors).toBe(before);
        expect(relativeError(actual.y, expected.y)).toBeLessThan(1e-5);
        expect(relativeError(actual.dx, expected.dx)).toBeLessThan(1e-5);
        expect(relativeError(actual.dw, expected.dw)).toBeLessThan(1e-5);
        expect(relativeError(actual.transposed, expected.transposed)).toBeLessThan(1e-5);
      });
    }
  }

  it('registers a Conv2DBackpropFilter kernel for wasm (missing from tfjs-backend-wasm 4.22)', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
});
