/**
 * The next-frame predictor shipped beside the default encoder
 * (resources/default-model/predictor-v3), so the app's "what the encoder makes
 * of a window" figure has something to show out of the box: the predicted
 * frame after a window next to the real one.
 *
 * A full `npm run train:default` trains it jointly with the encoder (LSTM V3
 * learns as a next-frame predictor). For an encoder already shipped without it
 * (`--predictor-only`), the Dense head is fitted again on the frozen encoder's
 * embeddings: a linear least-squares problem, solved by full-batch Adam from
 * zero (no shuffling, so the same inputs give the same weights).
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingWindows } from '../../src-main/engine/models/training-windows';
import { buildLstmV3 } from '../../src-main/engine/models/lstm-v3';

const EMBEDDING = 128;

/** The encoder's embeddings of each window's first `frames − 1` frames, and each window's last frame (the target). */
async function embedAndTargets(encoder: tf.LayersModel, windows: TrainingWindows): Promise<{ x: Float32Array; y: Float32Array }> {
  const inFrames = windows.frames - 1;
  const size = windows.frames * windows.bins;
  const x = new Float32Array(windows.count * EMBEDDING);
  const y = new Float32Array(windows.count * windows.bins);
  for (let i = 0; i < windows.count; i += 32) {
    const n = Math.min(32, windows.count - i);
    const batch = new Float32Array(n * inFrames * windows.bins);
    for (let j = 0; j < n; j++) {
      const row = windows.data.subarray((i + j) * size, (i + j + 1) * size);
      batch.set(row.subarray(0, inFrames * windows.bins), j * inFrames * windows.bins);
      y.set(row.subarray(inFrames * windows.bins), (i + j) * windows.bins);
    }
    const out = tf.tidy(() => encoder.predict(tf.tensor4d(batch, [n, inFrames, windows.bins, 1])) as tf.Tensor);
    try {
      x.set(await out.data(), i * EMBEDDING);
    } finally {
      out.dispose();
    }
  }
  return { x, y };
}

/**
 * A predictor made of `encoder`'s weights and a Dense head fitted to predict each window's next frame from its
 * embedding (windows carry one extra frame: the target, normalised with the window as in training).
 */
export async function fitPredictor(
  encoder: tf.LayersModel, windows: TrainingWindows, options: { steps?: number; learningRate?: number } = {},
): Promise<{ predictor: tf.LayersModel; trainLoss: number }> {
  const { steps = 600, learningRate = 0.01 } = options;
  const { x, y } = await embedAndTargets(encoder, windows);
  const bins = windows.bins;
  const kernel = tf.variable(tf.zeros([EMBEDDING, bins]));
  const bias = tf.variable(tf.zeros([bins]));
  const optimizer = tf.train.adam(learningRate);
  const xs = tf.tensor2d(x, [windows.count, EMBEDDING]);
  const ys = tf.tensor2d(y, [windows.count, bins]);
  let trainLoss = Number.NaN;
  try {
    for (let step = 0; step < steps; step++) {
      const loss = optimizer.minimize(() => tf.losses.meanSquaredError(ys, tf.add(tf.matMul(xs, kernel), bias)), true, [kernel, bias]);
      if (step === steps - 1) trainLoss = (await loss!.data())[0];
      loss?.dispose();
    }
    const { encoder: shell, predictor } = buildLstmV3({ predictFrames: 1, seed: 1 });
    shell.setWeights(encoder.getWeights());
    predictor.getLayer('next_frames').setWeights([kernel, bias]);
    predictor.optimizer?.dispose();
    return { predictor, trainLoss };
  } finally {
    xs.dispose();
    ys.dispose();
    kernel.dispose();
    bias.dispose();
    optimizer.dispose();
  }
}

export interface NextFrameScores {
  windows: number;
  /** Mean squared error of the predicted next frame (normalised units, as the figure shows them). */
  mse: number;
  /** The same for predicting zeros (every window is normalised to mean 0): the floor a predictor must beat. */
  zeroMse: number;
  /** The same for repeating the window's last frame. */
  lastFrameMse: number;
}

/** How well `predictor` predicts each window's next frame, beside two trivial predictions. */
export async function scoreNextFrame(predictor: tf.LayersModel, windows: TrainingWindows): Promise<NextFrameScores> {
  const inFrames = windows.frames - 1;
  const bins = windows.bins;
  const size = windows.frames * bins;
  let se = 0;
  let zero = 0;
  let last = 0;
  for (let i = 0; i < windows.count; i += 32) {
    const n = Math.min(32, windows.count - i);
    const batch = new Float32Array(n * inFrames * bins);
    for (let j = 0; j < n; j++) batch.set(windows.data.subarray((i + j) * size, (i + j) * size + inFrames * bins), j * inFrames * bins);
    const out = tf.tidy(() => predictor.predict(tf.tensor4d(batch, [n, inFrames, bins, 1])) as tf.Tensor);
    let predicted: Float32Array;
    try {
      predicted = (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
    for (let j = 0; j < n; j++) {
      const row = windows.data.subarray((i + j) * size, (i + j + 1) * size);
      for (let b = 0; b < bins; b++) {
        const real = row[inFrames * bins + b];
        se += (predicted[j * bins + b] - real) ** 2;
        zero += real ** 2;
        last += (row[(inFrames - 1) * bins + b] - real) ** 2;
      }
    }
  }
  const values = windows.count * bins;
  return { windows: windows.count, mse: se / values, zeroMse: zero / values, lastFrameMse: last / values };
}
