import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLstmV3 } from './lstm-v3';
import { FastOrthogonal, orthonormalColumns } from './orthogonal';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('FastOrthogonal', () => {
  it.each([[[12, 40]], [[40, 12]], [[2, 3, 10]], [[16, 16]]])('equals tfjs\'s Orthogonal (same seed, gain) for shape %j', (shape) => {
    const ours = new FastOrthogonal({ seed: 7, gain: 1.5 }).apply(shape);
    const theirs = tf.initializers.orthogonal({ seed: 7, gain: 1.5 }).apply(shape);
    try {
      expect(ours.shape).toEqual(shape);
      const a = ours.dataSync();
      const b = theirs.dataSync();
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      expect(worst).toBeLessThan(1e-4);
    } finally {
      tf.dispose([ours, theirs]);
    }
  });

  it('gives orthonormal rows for V3\'s 128 × 512 recurrent kernel, leaking no tensor', () => {
    const before = tf.memory().numTensors;
    const kernel = new FastOrthogonal({ seed: 1 }).apply([128, 512]);
    const q = kernel.dataSync();
    kernel.dispose();
    expect(tf.memory().numTensors).toBe(before);
    let worst = 0;
    for (let i = 0; i < 128; i += 7) {
      for (let j = 0; j < 128; j += 5) {
        let dot = 0;
        for (let k = 0; k < 512; k++) dot += q[i * 512 + k] * q[j * 512 + k];
        worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('takes R\'s diagonal positive: a matrix with orthonormal columns comes back unchanged, whatever their signs', () => {
    // Its QR is itself with R = I; without the sign step Householder returns −a for a first entry > 0.
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    for (const columns of [[c, -s, s, c, 0, 0], [-c, -s, -s, c, 0, 0], [c, s, s, -c, 0, 0]]) {
      const q = orthonormalColumns(Float64Array.from(columns), 3, 2);
      expect([...q].map((v) => +v.toFixed(12))).toEqual(columns.map((v) => +v.toFixed(12) + 0));
    }
  });

  it('is saved as tfjs\'s Orthogonal, and makes LSTM V3 the same for the same seed', () => {
    expect(new FastOrthogonal({ seed: 3 }).getClassName()).toBe('Orthogonal');
    const first = buildLstmV3({ seed: 4 });
    const second = buildLstmV3({ seed: 4 });
    try {
      const json = JSON.stringify(first.encoder.toJSON(null, false));
      expect(json).toContain('"recurrent_initializer":{"class_name":"Orthogonal","config":{"gain":1,"seed":10}}');
      const a = first.encoder.getLayer('lstm_1').getWeights()[1].dataSync();
      const b = second.encoder.getLayer('lstm_1').getWeights()[1].dataSync();
      expect(a.length).toBe(128 * 512);
      expect(Array.from(a)).toEqual(Array.from(b));
    } finally {
      for (const m of [first, second]) {
        m.predictor.optimizer?.dispose();
        m.predictor.dispose();
      }
    }
  });
});
