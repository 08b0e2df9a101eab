/**
 * LSTM V3 (2019): two convolutional branches (local 8×8 patches max-pooled over
 * all frequencies, and a global Conv1D over time with the 256 bins as channels),
 * concatenated and fed to BiLSTM → LSTM. The LSTM's final state is the 128-d
 * embedding; it is trained by predicting the next normalised spectrogram frame(s).
 */
import * as tf from '@tensorflow/tfjs';
import { EMBEDDING_SIZE, WINDOW_SHAPE } from './convnet-v1';
import { FastOrthogonal, registerFastOrthogonal } from './orthogonal';

export interface LstmV3 {
  /** Window → 128-d embedding (275,328 parameters). */
  encoder: tf.LayersModel;
  /** Window → next frame(s) (256 × predictFrames values), compiled with Adam + MSE. */
  predictor: tf.LayersModel;
}

export interface LstmV3Options {
  /** 1: predict the next frame (v3.1); 10: the next 10 frames flattened (from v3.4). */
  predictFrames?: 1 | 10;
  /** Adam learning rate. */
  learningRate?: number;
  /** Dropout before the output Dense. */
  dropout?: number;
  /** Seed for the kernel initialisers, for reproducible tests. */
  seed?: number;
}

const [FRAMES, BINS] = WINDOW_SHAPE;

/** The LSTMs' recurrent kernels: orthogonal as in Keras, seeded with the rest (tfjs's default ignores the model's seed). */
function orthogonal(seed: number | undefined, offset: number): FastOrthogonal {
  return new FastOrthogonal({ seed: seed === undefined ? undefined : seed + offset });
}

function glorot(seed: number | undefined, offset: number): ReturnType<typeof tf.initializers.glorotUniform> | 'glorotUniform' {
  return seed === undefined ? 'glorotUniform' : tf.initializers.glorotUniform({ seed: seed + offset });
}

/** Builds the LSTM V3 encoder and its compiled next-frame predictor. */
export function buildLstmV3(options: LstmV3Options = {}): LstmV3 {
  const { predictFrames = 1, learningRate = 1e-3, dropout = 0.5, seed } = options;
  registerFastOrthogonal(); // Bidirectional builds its backward LSTM from the forward one's config
  const input = tf.input({ shape: [...WINDOW_SHAPE], name: 'window' });

  // Local branch: 8×8 patches, then the strongest response over all frequencies per frame.
  let local = tf.layers.conv2d({
    filters: 64, kernelSize: 8, padding: 'same', name: 'conv2d', kernelInitializer: glorot(seed, 0),
  }).apply(input) as tf.SymbolicTensor;
  local = tf.layers.maxPooling2d({ poolSize: [1, BINS], strides: [1, BINS], name: 'max_pooling2d' })
    .apply(local) as tf.SymbolicTensor;
  local = tf.layers.reshape({ targetShape: [FRAMES, 64], name: 'reshape' }).apply(local) as tf.SymbolicTensor;

  // Global branch: the whole spectrum of 8 consecutive frames at once.
  let global = tf.layers.reshape({ targetShape: [FRAMES, BINS], name: 'reshape_1' })
    .apply(input) as tf.SymbolicTensor;
  global = tf.layers.conv1d({
    filters: 64, kernelSize: 8, padding: 'same', name: 'conv1d', kernelInitializer: glorot(seed, 1),
  }).apply(global) as tf.SymbolicTensor;

  let x = tf.layers.concatenate({ name: 'concatenate' }).apply([local, global]) as tf.SymbolicTensor;
  x = tf.layers.bidirectional({
    layer: tf.layers.lstm({ units: 32, returnSequences: true, kernelInitializer: glorot(seed, 2), recurrentInitializer: orthogonal(seed, 5) }) as tf.RNN,
    name: 'bidirectional',
  }).apply(x) as tf.SymbolicTensor;
  const embedding = tf.layers.lstm({
    units: EMBEDDING_SIZE, name: 'lstm_1', kernelInitializer: glorot(seed, 3), recurrentInitializer: orthogonal(seed, 6),
  }).apply(x) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: input, outputs: embedding, name: 'lstm_v3_encoder' });

  let head = tf.layers.dropout({ rate: dropout, name: 'predictor_dropout' }).apply(embedding) as tf.SymbolicTensor;
  head = tf.layers.dense({
    units: BINS * predictFrames, name: 'next_frames', kernelInitializer: glorot(seed, 4),
  }).apply(head) as tf.SymbolicTensor;
  const predictor = tf.model({ inputs: input, outputs: head, name: 'lstm_v3_predictor' });
  predictor.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
  return { encoder, predictor };
}
