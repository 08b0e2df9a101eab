import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLayersModel, saveLayersModel } from './model-io';
import { buildSilenceHead } from './silence-head';

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe('model files', () => {
  it('round-trips weights, predictions and metadata exactly, atomically, without leaking tensors', async () => {
    await tf.setBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'sonotype-model-io-'));
    const before = tf.memory().numTensors;
    const head = buildSilenceHead();
    const x = tf.randomNormal([7, 128], 0, 1, 'float32', 42);
    const target = join(dir, 'silence-v1');
    try {
      await saveLayersModel(head, target, { featureConfigKey: 'abc', metrics: { accuracy: 0.9 } });
      // Saving again replaces the folder; no temporary folders remain.
      await saveLayersModel(head, target, { featureConfigKey: 'abc', metrics: { accuracy: 0.91 } });
      expect((await readdir(dir)).sort()).toEqual(['silence-v1']);
      const { model, metadata } = await loadLayersModel(target);
      expect(metadata).toEqual({ featureConfigKey: 'abc', metrics: { accuracy: 0.91 } });
      const a = head.predict(x) as tf.Tensor;
      const b = model.predict(x) as tf.Tensor;
      expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
      const wa = head.getWeights();
      const wb = model.getWeights();
      expect(wb.length).toBe(wa.length);
      for (let i = 0; i < wa.length; i++) expect(Array.from(wb[i].dataSync())).toEqual(Array.from(wa[i].dataSync()));
      tf.dispose([a, b]);
      model.dispose();
    } finally {
      x.dispose();
      // compile() was given an optimizer instance, which model.dispose() does not own.
      head.optimizer?.dispose();
      head.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says clearly when there is no model', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sonotype-model-io-'));
    await expect(loadLayersModel(join(dir, 'nothing'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
