import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';

describe('initBackend', () => {
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it("'auto' picks tfjs-node when it loads, otherwise WASM, and says why", async () => {
    const active = await initBackend('auto');
    expect(tf.getBackend()).toBe(active.name);
    if (active.name === 'tensorflow') {
      expect(active.reason).toMatch(/tfjs-node/);
    } else {
      expect(active.name).toBe('wasm');
      expect(active.reason).toMatch(/tfjs-node is not available/);
      expect(active.reason).toMatch(/WASM backend, (SIMD|no SIMD)/);
    }
  });

  it("'wasm' installs the training kernels, including the missing Conv2DBackpropFilter", async () => {
    const active = await initBackend('wasm');
    expect(active.name).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it("'cpu' is honoured and labelled as slow", async () => {
    const active = await initBackend('cpu');
    expect(active).toEqual({ name: 'cpu', reason: expect.stringMatching(/CPU backend as requested/) });
    expect(tf.getBackend()).toBe('cpu');
  });
});
