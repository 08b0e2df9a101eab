/**
 * One data-parallel training step, split in the two halves every replica runs:
 * gradients of the MSE loss on this replica's share of the batch, then the
 * optimiser update with gradients averaged over all replicas. Gradients and
 * BatchNorm statistics travel as one flat Float32Array in the trainer's weight
 * order (variable *names* differ between threads, the order does not).
 */
import * as tf from '@tensorflow/tfjs';

/** The loss `trainOnBatch` minimises for both encoders' training heads: mean squared error over everything. */
function mseLoss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  const prediction = model.apply(x, { training: true }) as tf.Tensor;
  return tf.mean(tf.squaredDifference(prediction, y)) as tf.Scalar;
}

function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Total number of floats in the given weights. */
export function floatCount(weights: readonly { shape: readonly number[] }[]): number {
  return weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
}

/** Reads tensors into one flat array, in order. */
export function flatten(tensors: readonly tf.Tensor[], into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(floatCount(tensors));
  let o = 0;
  for (const t of tensors) {
    const v = t.dataSync() as Float32Array;
    out.set(v, o);
    o += v.length;
  }
  return out;
}

/** The current values of the model's non-trainable weights (BatchNorm moving statistics), flat. */
export function readStatistics(model: tf.LayersModel): Float32Array {
  return flatten(model.nonTrainableWeights.map((w) => w.read()));
}

/** Overwrites the non-trainable weights from a flat array made by readStatistics. */
export function writeStatistics(model: tf.LayersModel, flat: Float32Array): void {
  let o = 0;
  for (const w of model.nonTrainableWeights) {
    const current = w.read();
    const n = current.size;
    w.write(tf.tensor(flat.subarray(o, o + n), current.shape));
    o += n;
  }
}

/**
 * Forward + backward on this replica's share: returns the share's mean loss and
 * the gradients of it, flat. BatchNorm moving statistics are updated as a side
 * effect (as in trainOnBatch); replicas reconcile them with writeStatistics.
 */
export function computeShareGradients(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): { loss: number; gradients: Float32Array } {
  const variables = trainableVariables(model);
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => mseLoss(model, x, y), variables);
    const loss = value.dataSync()[0];
    // variableGrads keys by variable name; read them back in weight order.
    return { loss, gradients: flatten(variables.map((v) => grads[v.name])) };
  });
}

/** Applies flat gradients (already averaged over replicas) with the model's own optimiser. */
export function applyFlatGradients(model: tf.LayersModel, gradients: Float32Array): void {
  const optimizer = model.optimizer;
  if (!optimizer) throw new Error('The training model has no optimiser: compile it first.');
  tf.tidy(() => {
    const named: tf.NamedTensorMap = {};
    let o = 0;
    for (const v of trainableVariables(model)) {
      const n = v.size;
      named[v.name] = tf.tensor(gradients.subarray(o, o + n), v.shape);
      o += n;
    }
    optimizer.applyGradients(named);
  });
}

/** Σ wᵢ·partsᵢ / Σ wᵢ, element-wise, with one fixed summation order (so every replica gets the same bits). */
export function weightedAverage(parts: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float32Array(parts[0].length);
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    const w = weights[p] / total;
    for (let i = 0; i < out.length; i++) out[i] += w * part[i];
  }
  return out;
}
