import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { setIm2colChunkFloats } from './conv-geometry';

type Activation = 'linear' | 'relu' | 'relu6' | 'leakyrelu' | 'elu' | 'sigmoid' | 'prelu';
interface Case {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
  activation: Activation;
  bias: boolean;
}

const CASES: Case[] = [
  { name: 'V3 conv2d (1→64 8×8 stride 1 same, bias, linear)', x: [1, 16, 64, 1], w: [8, 8, 1, 64], stride: 1, pad: 'same', activation: 'linear', bias: true },
  { name: 'V1 conv2d_0 (1→128 8×8 stride 2 same, bias, linear; width 128)', x: [1, 32, 128, 1], w: [8, 8, 1, 128], stride: 2, pad: 'same', activation: 'linear', bias: true },
  { name: '1 channel, valid, relu, odd sizes', x: [3, 9, 13, 1], w: [3, 4, 1, 5], stride: 2, pad: 'valid', activation: 'relu', bias: true },
  { name: '1 channel, leakyrelu, no bias', x: [2, 10, 12, 1], w: [5, 5, 1, 6], stride: 1, pad: 'same', activation: 'leakyrelu', bias: false },
  { name: '1 channel, relu6', x: [1, 7, 9, 1], w: [3, 3, 1, 4], stride: 1, pad: 'same', activation: 'relu6', bias: true },
  { name: '1 channel, elu', x: [1, 7, 9, 1], w: [3, 3, 1, 4], stride: 1, pad: 'same', activation: 'elu', bias: true },
  { name: '1 channel, sigmoid', x: [1, 7, 9, 1], w: [3, 3, 1, 4], stride: 1, pad: 'same', activation: 'sigmoid', bias: true },
  // Configurations left to the stock kernel: they must still be right through the fallback.
  { name: 'deep input (stock XNNPACK path, V1 conv2d_3 shape)', x: [2, 4, 32, 32], w: [8, 8, 32, 16], stride: 2, pad: 'same', activation: 'linear', bias: true },
  { name: 'prelu activation (stock path)', x: [1, 8, 8, 1], w: [3, 3, 1, 4], stride: 1, pad: 'same', activation: 'prelu', bias: true },
];

function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

interface Results { y: Float32Array; dx: Float32Array; dw: Float32Array; db: Float32Array }

/** Fused conv forward, and (for linear activation, where tfjs keeps it fused under gradients) its gradients. */
function evaluate(c: Case, upstream?: Float32Array): Results {
  // tidy() is typed for tensor containers; plain arrays of numbers pass through it unchanged.
  return tf.tidy((): never => {
    const x = tf.tensor4d(random(size(c.x), 1), c.x);
    const w = tf.tensor4d(random(size(c.w), 2), c.w);
    const bias = tf.tensor1d(random(c.w[3], 4));
    const alpha = tf.tensor1d(random(c.w[3], 5));
    const conv = (a: tf.Tensor, f: tf.Tensor, b?: tf.Tensor) => tf.fused.conv2d({
      x: a as tf.Tensor4D, filter: f as tf.Tensor4D, strides: c.stride, pad: c.pad,
      bias: b, activation: c.activation, leakyreluAlpha: 0.3,
      preluActivationWeights: c.activation === 'prelu' ? alpha : undefined,
    });
    const y = conv(x, w, c.bias ? bias : undefined);
    const empty = new Float32Array(0);
    if (!upstream || c.activation !== 'linear' || !c.bias) return { y: y.dataSync() as Float32Array, dx: empty, dw: empty, db: empty } as never;
    const dy = tf.tensor(upstream, y.shape);
    const [dx, dw, db] = tf.grads((a: tf.Tensor, f: tf.Tensor, b: tf.Tensor) => conv(a, f, b).mul(dy).sum())([x, w, bias]);
    return { y: y.dataSync(), dx: dx.dataSync(), dw: dw.dataSync(), db: db.dataSync() } as never;
  }) as Results;
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-6;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst / scale;
}

describe('WASM FusedConv2D (im2col + fused matMul) matches the cpu backend', () => {
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
      if (chunked && c.name.startsWith('V1')) continue;
      it(`${c.name}${chunked ? ' (forced into small chunks)' : ''}`, async () => {
        await tf.setBackend('cpu');
        const probe = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.w) as tf.Tensor4D, c.stride, c.pad);
        const upstream = random(size(probe.shape), 3);
        probe.dispose();
        const expected = evaluate(c, upstream);
        await tf.setBackend('wasm');
        setIm2colChunkFloats(chunked ? 7 * c.w[0] * c.w[1] * c.w[2] : undefined);
        const before = tf.memory().numTensors;
        const actual = evaluate(c, upstream);
        expect(tf.memory().numTensors).toBe(before);
        expect(relativeError(actual.y, expected.y)).toBeLessThan(1e-5);
        expect(relativeError(actual.dx, expected.dx)).toBeLessThan(1e-5);
        expect(relativeError(actual.dw, expected.dw)).toBeLessThan(1e-5);
        expect(relativeError(actual.db, expected.db)).toBeLessThan(1e-5);
      });
    }
  }

  it('serves FusedConv2D on wasm from this module', async () => {
    const { fusedConv2dIm2col } = await import('./fused-conv2d-kernel');
    expect(tf.getKernel('FusedConv2D', 'wasm')?.kernelFunc).toBe(fusedConv2dIm2col);
  });
});
