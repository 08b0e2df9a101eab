/**
 * The type head: a small classifier from a region's summary vector (mean and
 * standard deviation of its MFCC frames, standardised) to a sound type —
 * multinomial logistic regression with L2, trained full-batch with Adam in
 * plain TypeScript (a few thousand regions train in well under a second).
 * It predicts a type and a confidence (the winning probability) for every
 * region a person has not typed; the least confident ones form the type
 * review queue.
 */
import { SonotypeError } from '../../../src-shared/errors';

export interface TypeHeadModel {
  types: string[];
  /** Standardisation of the inputs. */
  mean: number[];
  scale: number[];
  /** types × dims weights and one bias per type. */
  weights: number[][];
  bias: number[];
}

export interface TypeHeadTraining {
  epochs?: number;
  learningRate?: number;
  l2?: number;
}

/** Cross-entropy loss and its gradients for standardised inputs (also used by the gradient test). */
export function lossAndGradients(
  x: readonly Float64Array[], y: readonly number[], weights: Float64Array[], bias: Float64Array, l2: number,
): { loss: number; gw: Float64Array[]; gb: Float64Array } {
  const k = bias.length;
  const dims = weights[0].length;
  const gw = weights.map(() => new Float64Array(dims));
  const gb = new Float64Array(k);
  const logits = new Float64Array(k);
  let loss = 0;
  for (let i = 0; i < x.length; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let z = bias[c];
      const w = weights[c];
      for (let d = 0; d < dims; d++) z += w[d] * x[i][d];
      logits[c] = z;
      if (z > max) max = z;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(logits[c] - max);
    loss -= logits[y[i]] - max - Math.log(sum);
    for (let c = 0; c < k; c++) {
      const p = Math.exp(logits[c] - max) / sum - (c === y[i] ? 1 : 0);
      gb[c] += p;
      const g = gw[c];
      for (let d = 0; d < dims; d++) g[d] += p * x[i][d];
    }
  }
  const n = x.length;
  loss /= n;
  for (let c = 0; c < k; c++) {
    gb[c] /= n;
    for (let d = 0; d < dims; d++) {
      loss += 0.5 * l2 * weights[c][d] ** 2;
      gw[c][d] = gw[c][d] / n + l2 * weights[c][d];
    }
  }
  return { loss, gw, gb };
}

/** Trains the type head on vectors with type names. Needs at least two types. */
export function trainTypeHead(vectors: readonly Float32Array[], typeNames: readonly string[], options: TypeHeadTraining = {}): { model: TypeHeadModel; loss: number } {
  const types = [...new Set(typeNames)].sort();
  if (types.length < 2) throw new SonotypeError('INVALID_CONFIG', 'The type head needs regions of at least two sound types: give a type to examples of two or more types first.');
  const dims = vectors[0].length;
  const mean = new Array<number>(dims).fill(0);
  const scale = new Array<number>(dims).fill(0);
  for (const v of vectors) for (let d = 0; d < dims; d++) mean[d] += v[d] / vectors.length;
  for (const v of vectors) for (let d = 0; d < dims; d++) scale[d] += (v[d] - mean[d]) ** 2 / vectors.length;
  for (let d = 0; d < dims; d++) scale[d] = 1 / (Math.sqrt(scale[d]) + 1e-6);
  const x = vectors.map((v) => Float64Array.from(v, (value, d) => (value - mean[d]) * scale[d]));
  const y = typeNames.map((t) => types.indexOf(t));
  const weights = types.map(() => new Float64Array(dims));
  const bias = new Float64Array(types.length);
  const epochs = options.epochs ?? 300;
  const lr = options.learningRate ?? 0.05;
  const l2 = options.l2 ?? 1e-3;
  // Adam moments.
  const mw = types.map(() => new Float64Array(dims));
  const vw = types.map(() => new Float64Array(dims));
  const mb = new Float64Array(types.length);
  const vb = new Float64Array(types.length);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let loss = Infinity;
  for (let t = 1; t <= epochs; t++) {
    const g = lossAndGradients(x, y, weights, bias, l2);
    loss = g.loss;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (let c = 0; c < types.length; c++) {
      for (let d = 0; d < dims; d++) {
        mw[c][d] = b1 * mw[c][d] + (1 - b1) * g.gw[c][d];
        vw[c][d] = b2 * vw[c][d] + (1 - b2) * g.gw[c][d] ** 2;
        weights[c][d] -= (lr * (mw[c][d] / c1)) / (Math.sqrt(vw[c][d] / c2) + eps);
      }
      mb[c] = b1 * mb[c] + (1 - b1) * g.gb[c];
      vb[c] = b2 * vb[c] + (1 - b2) * g.gb[c] ** 2;
      bias[c] -= (lr * (mb[c] / c1)) / (Math.sqrt(vb[c] / c2) + eps);
    }
  }
  return { model: { types, mean, scale, weights: weights.map((w) => Array.from(w)), bias: Array.from(bias) }, loss };
}

/** Type probabilities of one vector. */
export function typeProbabilities(model: TypeHeadModel, vector: Float32Array): Float64Array {
  const k = model.types.length;
  const logits = new Float64Array(k);
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    let z = model.bias[c];
    for (let d = 0; d < vector.length; d++) z += model.weights[c][d] * (vector[d] - model.mean[d]) * model.scale[d];
    logits[c] = z;
    max = Math.max(max, z);
  }
  let sum = 0;
  for (let c = 0; c < k; c++) sum += (logits[c] = Math.exp(logits[c] - max));
  for (let c = 0; c < k; c++) logits[c] /= sum;
  return logits;
}

/** The predicted type and its probability. */
export function predictType(model: TypeHeadModel, vector: Float32Array): { type: string; confidence: number } {
  const p = typeProbabilities(model, vector);
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  return { type: model.types[best], confidence: p[best] };
}
