import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { buildConvnetV1 } from './convnet-v1';
import { buildLstmV3 } from './lstm-v3';
import { formatModelSummary } from './model-summary';

/** Parameter counts printed by Keras in the 2019 notes (shared/seeds/*.md). */
const SEED = {
  v1: { total: 762_736, trainable: 762_480, nonTrainable: 256 },
  v3: { total: 275_328, trainable: 275_328, nonTrainable: 0 },
};

function totalsFromSummary(text: string): { total: number; trainable: number; nonTrainable: number } {
  const read = (label: string) => Number(new RegExp(`^${label}: ([\\d,]+)$`, 'm').exec(text)?.[1].replaceAll(',', ''));
  return { total: read('Total params'), trainable: read('Trainable params'), nonTrainable: read('Non-trainable params') };
}

function syntheticWindows(batch: number, seed: number): tf.Tensor4D {
  // Smooth, learnable structure: a few horizontal "whistles" plus noise.
  return tf.tidy(() => {
    const rows = tf.linspace(0, 1, 256).reshape([1, 1, 256, 1]);
    const centres = tf.randomUniform([batch, 1, 1, 1], 0.2, 0.8, 'float32', seed);
    const tone = tf.exp(rows.sub(centres).square().mul(-200));
    return tone.tile([1, 32, 1, 1]).add(tf.randomNormal([batch, 32, 256, 1], 0, 0.05, 'float32', seed + 1)) as tf.Tensor4D;
  });
}

describe('models on the portable WASM backend', () => {
  beforeAll(async () => {
    expect((await initBackend('wasm')).name).toBe('wasm');
  });

  it('Convnet V1 encoder has the seed parameter counts, in the model and in the summary text', () => {
    const { encoder, decoder, autoencoder } = buildConvnetV1();
    expect(encoder.countParams()).toBe(SEED.v1.total);
    expect(totalsFromSummary(formatModelSummary(encoder))).toEqual(SEED.v1);
    expect(formatModelSummary(encoder)).toMatch(/conv2d_1 \(Conv2D\)\s+\(None, 8, 64, 64\)\s+524352/);
    tf.dispose([...encoder.weights, ...decoder.weights, ...autoencoder.weights].map((w) => w.read()));
  });

  it('LSTM V3 encoder has the seed parameter counts and a branching summary', () => {
    const { encoder } = buildLstmV3();
    expect(encoder.countParams()).toBe(SEED.v3.total);
    const text = formatModelSummary(encoder);
    expect(totalsFromSummary(text)).toEqual(SEED.v3);
    expect(text).toMatch(/bidirectional \(Bidirectional\)\s+\(None, 32, 64\)\s+41216\s+concatenate\[0\]\[0\]/);
  });

  it('forward shapes: encoders → 128, decoder → window, predictor → 256 or 2560', () => {
    const v1 = buildConvnetV1({ seed: 3 });
    const v3 = buildLstmV3({ seed: 3 });
    const v3ten = buildLstmV3({ predictFrames: 10, seed: 3 });
    const shapes = tf.tidy(() => {
      const x = syntheticWindows(2, 5);
      return [
        (v1.encoder.predict(x) as tf.Tensor).shape,
        (v1.decoder.predict(tf.zeros([2, 128])) as tf.Tensor).shape,
        (v1.autoencoder.predict(x) as tf.Tensor).shape,
        (v3.encoder.predict(x) as tf.Tensor).shape,
        (v3.predictor.predict(x) as tf.Tensor).shape,
        (v3ten.predictor.predict(x) as tf.Tensor).shape,
      ];
    });
    expect(shapes).toEqual([[2, 128], [2, 32, 256, 1], [2, 32, 256, 1], [2, 128], [2, 256], [2, 2560]]);
  });

  it('Convnet V1 auto-encoder training steps reduce the reconstruction loss, without leaking tensors', async () => {
    const { encoder, autoencoder } = buildConvnetV1({ seed: 7, learningRate: 1e-3 });
    const x = syntheticWindows(4, 11);
    try {
      const first = Number(await autoencoder.trainOnBatch(x, x)); // creates optimizer slots
      const before = tf.memory().numTensors;
      let last = first;
      for (let i = 0; i < 8; i++) last = Number(await autoencoder.trainOnBatch(x, x));
      tf.tidy(() => { (encoder.predict(x) as tf.Tensor).dataSync(); });
      expect(tf.memory().numTensors).toBe(before);
      expect(last).toBeLessThan(first * 0.9);
    } finally {
      x.dispose();
    }
  });

  it('LSTM V3 next-frame training steps reduce the loss, without leaking tensors', async () => {
    const { encoder, predictor } = buildLstmV3({ seed: 7, learningRate: 3e-3, dropout: 0 });
    const x = syntheticWindows(4, 13);
    const nextFrame = tf.tidy(() => x.slice([0, 31, 0, 0], [4, 1, 256, 1]).reshape([4, 256]));
    try {
      const first = Number(await predictor.trainOnBatch(x, nextFrame));
      const before = tf.memory().numTensors;
      let last = first;
      for (let i = 0; i < 4; i++) last = Number(await predictor.trainOnBatch(x, nextFrame));
      tf.tidy(() => { (encoder.predict(x) as tf.Tensor).dataSync(); });
      expect(tf.memory().numTensors).toBe(before);
      expect(last).toBeLessThan(first * 0.9);
    } finally {
      tf.dispose([x, nextFrame]);
    }
  });
});
