import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { buildSilenceHead, computeClassWeights, predictSilence, trainSilenceHead } from './silence-head';

/** Two Gaussian clouds in 128-d, 1 in 5 windows silent (like real recordings, classes unbalanced). */
function separableEmbeddings(n: number, seed: number): { embeddings: Float32Array; labels: Uint8Array } {
  let s = seed;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const embeddings = new Float32Array(n * 128);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 5 === 0 ? 1 : 0;
    for (let j = 0; j < 128; j++) embeddings[i * 128 + j] = gauss() + (labels[i] ? 0.6 : -0.2) * (j < 32 ? 1 : 0);
  }
  return { embeddings, labels };
}

describe('silence head', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('has the v3.2 layer stack: BatchNorm → 64 → 32 → Dropout → sigmoid', () => {
    const head = buildSilenceHead();
    expect(head.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'BatchNormalization', 'Dense', 'Dense', 'Dropout', 'Dense']);
    expect(head.outputs[0].shape).toEqual([null, 1]);
    expect(buildSilenceHead({ hidden: [16], dropout: 0.2 }).layers.length).toBe(5);
  });

  it('weights classes inversely to their frequency', () => {
    expect(computeClassWeights([1, 0, 0, 0])).toEqual({ 0: 4 / 6, 1: 2 });
    expect(() => computeClassWeights([0, 0])).toThrow(/both silence and sound/);
  });

  it('learns separable synthetic embeddings to ≥ 0.95 held-out accuracy without leaking tensors', async () => {
    const train = separableEmbeddings(600, 1);
    const test = separableEmbeddings(300, 2);
    const head = buildSilenceHead({ seed: 1 });
    await trainSilenceHead(head, train.embeddings, train.labels, { epochs: 2, batchSize: 32 });
    const before = tf.memory().numTensors;
    await trainSilenceHead(head, train.embeddings, train.labels, { epochs: 20, batchSize: 32 });
    const p = predictSilence(head, test.embeddings);
    expect(tf.memory().numTensors).toBe(before);
    let correct = 0;
    test.labels.forEach((label, i) => { correct += (p[i] >= 0.5 ? 1 : 0) === label ? 1 : 0; });
    expect(correct / test.labels.length).toBeGreaterThanOrEqual(0.95);
  });

  it('rejects embeddings whose size does not match the labels', async () => {
    await expect(trainSilenceHead(buildSilenceHead(), new Float32Array(100), [0, 1])).rejects.toThrow(/Expected 2 embeddings of 128 values/);
  });
});
