/**
 * Convnet V1 (2019): a convolutional auto-encoder over 32×256 spectrogram windows.
 * The encoder's 128-d output is the embedding; the decoder mirrors it and only
 * exists to train the encoder (MSE reconstruction).
 */
import * as tf from '@tensorflow/tfjs';

/** Spectrogram window fed to every model: 32 frames × 256 frequency bins × 1 channel. */
export const WINDOW_SHAPE = [32, 256, 1] as const;
/** Size of the embedding both encoders produce. */
export const EMBEDDING_SIZE = 128;

export interface ConvnetV1 {
  /** Window → 128-d embedding (762,736 parameters, 256 of them BatchNorm statistics). */
  encoder: tf.LayersModel;
  /** 128-d embedding → reconstructed window. */
  decoder: tf.LayersModel;
  /** encoder ∘ decoder, compiled with Adam + MSE. */
  autoencoder: tf.LayersModel;
}

export interface ConvnetV1Options {
  /** Adam learning rate; the original used Keras' default 1e-3. */
  learningRate?: number;
  /** Seed for the kernel initialisers, for reproducible tests. */
  seed?: number;
}

const ENCODER_FILTERS = [128, 64, 32, 16];
const DECODER_FILTERS = [32, 64, 128];
const KERNEL = 8;

function glorot(seed: number | undefined, offset: number): ReturnType<typeof tf.initializers.glorotUniform> | 'glorotUniform' {
  return seed === undefined ? 'glorotUniform' : tf.initializers.glorotUniform({ seed: seed + offset });
}

/** Builds the Convnet V1 encoder, decoder and the compiled auto-encoder. */
export function buildConvnetV1(options: ConvnetV1Options = {}): ConvnetV1 {
  const { learningRate = 1e-3, seed } = options;
  const input = tf.input({ shape: [...WINDOW_SHAPE], name: 'window' });
  let x: tf.SymbolicTensor = input;
  ENCODER_FILTERS.forEach((filters, i) => {
    x = tf.layers.conv2d({
      filters, kernelSize: KERNEL, strides: 2, padding: 'same', name: `conv2d_${i}`,
      kernelInitializer: glorot(seed, i),
    }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ name: `leaky_re_lu_${i}` }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: EMBEDDING_SIZE, name: 'dense', kernelInitializer: glorot(seed, 10) })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'batch_normalization' }).apply(x) as tf.SymbolicTensor;
  const embedding = tf.layers.leakyReLU({ name: 'embedding' }).apply(x) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: input, outputs: embedding, name: 'convnet_v1_encoder' });

  // Mirror image: 128 → 512 → 2×16×16, three stride-2 transposed convs, then a
  // linear 1-filter transposed conv that restores 32×256.
  const code = tf.input({ shape: [EMBEDDING_SIZE], name: 'code' });
  let y = tf.layers.dense({ units: 512, name: 'decoder_dense', kernelInitializer: glorot(seed, 20) })
    .apply(code) as tf.SymbolicTensor;
  y = tf.layers.leakyReLU({ name: 'decoder_leaky_re_lu' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.reshape({ targetShape: [2, 16, 16], name: 'decoder_reshape' }).apply(y) as tf.SymbolicTensor;
  DECODER_FILTERS.forEach((filters, i) => {
    y = tf.layers.conv2dTranspose({
      filters, kernelSize: KERNEL, strides: 2, padding: 'same', name: `conv2d_transpose_${i}`,
      kernelInitializer: glorot(seed, 30 + i),
    }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.leakyReLU({ name: `decoder_leaky_re_lu_${i}` }).apply(y) as tf.SymbolicTensor;
  });
  const reconstruction = tf.layers.conv2dTranspose({
    filters: 1, kernelSize: KERNEL, strides: 2, padding: 'same', activation: 'linear',
    name: 'reconstruction', kernelInitializer: glorot(seed, 40),
  }).apply(y) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: code, outputs: reconstruction, name: 'convnet_v1_decoder' });

  const autoencoder = tf.model({
    inputs: input,
    outputs: decoder.apply(encoder.apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor,
    name: 'convnet_v1_autoencoder',
  });
  autoencoder.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
  return { encoder, decoder, autoencoder };
}
