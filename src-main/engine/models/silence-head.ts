/**
 * The silence detector: a small classifier on top of a frozen encoder's 128-d
 * embedding (v3.2 design). It always trains from cached embeddings, so retraining
 * after the user corrects labels takes seconds and never re-runs the encoder.
 */
import * as tf from '@tensorflow/tfjs';
import { SonotypeError } from '../../../src-shared/errors';
import { EMBEDDING_SIZE } from './convnet-v1';

export interface SilenceHeadOptions {
  /** Hidden Dense sizes (ReLU). */
  hidden?: number[];
  /** Dropout rate before the sigmoid output. */
  dropout?: number;
  learningRate?: number;
  embeddingSize?: number;
  seed?: number;
}

/** BatchNorm → Dense 64 → Dense 32 → Dropout 0.5 → sigmoid (p = probability of silence). */
export function buildSilenceHead(options: SilenceHeadOptions = {}): tf.LayersModel {
  const { hidden = [64, 32], dropout = 0.5, learningRate = 1e-3, embeddingSize = EMBEDDING_SIZE, seed } = options;
  const init = (i: number) => (seed === undefined ? 'glorotUniform' : tf.initializers.glorotUniform({ seed: seed + i }));
  const input = tf.input({ shape: [embeddingSize], name: 'embedding' });
  let x = tf.layers.batchNormalization({ name: 'head_batch_normalization' }).apply(input) as tf.SymbolicTensor;
  hidden.forEach((units, i) => {
    x = tf.layers.dense({ units, activation: 'relu', name: `head_dense_${i}`, kernelInitializer: init(i) })
      .apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.dropout({ rate: dropout, name: 'head_dropout' }).apply(x) as tf.SymbolicTensor;
  const p = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'silence', kernelInitializer: init(99) })
    .apply(x) as tf.SymbolicTensor;
  const head = tf.model({ inputs: input, outputs: p, name: 'silence_head' });
  head.compile({ optimizer: tf.train.adam(learningRate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return head;
}

/** Balanced class weights n / (2·n_c), so a rare class counts as much as a common one. */
export function computeClassWeights(labels: ArrayLike<number>): { 0: number; 1: number } {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] ? 1 : 0;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new SonotypeError('INVALID_ARGUMENT', 'The silence detector needs labelled examples of both silence and sound.');
  }
  return { 0: labels.length / (2 * negatives), 1: labels.length / (2 * positives) };
}

export interface TrainHeadOptions {
  epochs?: number;
  batchSize?: number;
  /** Weight classes inversely to their frequency (default true). */
  classWeighting?: boolean;
}

/**
 * Trains the head on cached embeddings ([n × 128], row-major) and 0/1 labels
 * (1 = silence). Returns the final training loss and accuracy.
 */
export async function trainSilenceHead(
  head: tf.LayersModel, embeddings: Float32Array, labels: ArrayLike<number>, options: TrainHeadOptions = {},
): Promise<{ loss: number; accuracy: number }> {
  const { epochs = 20, batchSize = 32, classWeighting = true } = options;
  const width = head.inputs[0].shape[1] as number;
  if (embeddings.length !== labels.length * width) {
    throw new SonotypeError('INVALID_ARGUMENT', `Expected ${labels.length} embeddings of ${width} values, got ${embeddings.length} values.`);
  }
  const x = tf.tensor2d(embeddings, [labels.length, width]);
  const y = tf.tensor2d(Float32Array.from(labels, (v) => (v ? 1 : 0)), [labels.length, 1]);
  try {
    const history = await head.fit(x, y, {
      epochs, batchSize, shuffle: true, verbose: 0,
      classWeight: classWeighting ? computeClassWeights(labels) : undefined,
    });
    calibrateInputBatchNorm(head, embeddings, width);
    const last = (key: string) => Number((history.history[key] as number[] | undefined)?.at(-1));
    return { loss: last('loss'), accuracy: last('acc') || last('accuracy') };
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** Probability of silence for each cached embedding. */
export function predictSilence(head: tf.LayersModel, embeddings: Float32Array): Float32Array {
  const width = head.inputs[0].shape[1] as number;
  const p = tf.tidy(() => head.predict(tf.tensor2d(embeddings, [embeddings.length / width, width])) as tf.Tensor);
  try {
    return Float32Array.from(p.dataSync());
  } finally {
    p.dispose();
  }
}

/**
 * Sets the moving mean/variance of the head's input BatchNormalization to
 * the exact statistics of the training embeddings. Training normalises with
 * each batch's statistics, but inference uses the moving averages, which
 * after a few hundred steps (momentum 0.99) still remember their initial
 * 0/1 — with embeddings on another scale the trained head then sees shifted
 * inputs and its predictions collapse. The layer's input is the embedding
 * itself, so its population statistics are known exactly.
 */
export function calibrateInputBatchNorm(head: tf.LayersModel, x: Float32Array, dims: number): void {
  const layer = head.layers.find((l) => l.getClassName() === 'BatchNormalization');
  if (!layer) return;
  const n = x.length / dims;
  const mean = new Float64Array(dims);
  const sq = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dims; d++) {
      const v = x[i * dims + d];
      mean[d] += v;
      sq[d] += v * v;
    }
  }
  for (let d = 0; d < dims; d++) {
    mean[d] /= n;
    sq[d] = Math.max(0, sq[d] / n - mean[d] * mean[d]);
  }
  tf.tidy(() => {
    for (const w of layer.weights) {
      if (w.name.includes('moving_mean')) w.write(tf.tensor1d(Float32Array.from(mean)));
      else if (w.name.includes('moving_variance')) w.write(tf.tensor1d(Float32Array.from(sq)));
    }
  });
}
