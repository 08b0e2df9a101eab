import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createModel } from '../engine/store/models';
import { ensureFeatureConfig } from '../engine/store/feature-configs';
import { getRecording } from '../engine/store/recordings';
import { buildConvnetV1 } from '../engine/models/convnet-v1';
import { loadProjectEncoder, storeModel } from '../engine/models/encoder-registry';
import { featureWindow } from '../engine/models/reconstruction';
import { loadLayersModel, saveLayersModel } from '../engine/models/model-io';
import { DEFAULT_PREDICTOR_FOLDER, defaultModelDir } from '../engine/models/default-model-dir';
import { readAudioBlocks } from '../engine/audio';
import { streamFeatureWindows } from '../engine/features';
import { AUTOENCODER_SUBFOLDER } from '../engine/models/autoencoder-files';
import { createTestApp, openAndScan, valueOf, type TestApp } from './test-helpers';

let app: TestApp;
beforeAll(async () => {
  app = createTestApp();
  await openAndScan(app);
});
afterAll(async () => {
  await app.close();
});

describe('figures', () => {
  it('without an encoder in the project are the default model\'s (none where no default model is shipped)', async () => {
    // A checkout without the shipped default model: nothing to show.
    const empty = mkdtempSync(join(tmpdir(), 'sonotype-no-default-model-'));
    process.env.SONOTYPE_DEFAULT_MODEL_DIR = empty;
    try {
      expect(valueOf(await app.call('figures:trainingLoss'))).toBeNull();
      expect(valueOf(await app.call('figures:filters'))).toBeNull();
      expect(valueOf(await app.call('figures:reconstruction', 1, 0))).toBeNull();
    } finally {
      delete process.env.SONOTYPE_DEFAULT_MODEL_DIR;
      rmSync(empty, { recursive: true });
    }

    // Out of the box, every figure is the default model's: its training curve, its first-layer filters, …
    const shippedMetadata = JSON.parse(readFileSync(join(defaultModelDir(), 'metadata.json'), 'utf8')) as { encoder: { lossCurve: { loss: number }[] } };
    expect(valueOf(await app.call('figures:trainingLoss'))).toEqual({ modelLabel: 'encoder-v3 (default model)', loss: shippedMetadata.encoder.lossCurve.map((p) => p.loss) });
    const filters = valueOf(await app.call('figures:filters'))!;
    expect([filters.modelLabel, filters.kernelHeight, filters.kernelWidth, filters.filters.length]).toEqual(['encoder-v3 (default model)', 8, 8, 64]);
    // … and the shipped predictor's next frame after window 3, next to the real one.
    const project = app.state.project!;
    const recordingId = getRecording(project.db, 'a.wav')!.id;
    const figure = valueOf(await app.call('figures:reconstruction', recordingId, 3))!;
    expect(figure).toMatchObject({ kind: 'next-frame', modelLabel: 'encoder-v3 (default model)', frames: 1, bins: 256 });
    const window = await featureWindow(project, recordingId, 3, undefined, 1);
    expect(figure.input).toEqual(Array.from(window.data.subarray(32 * 256)));
    expect(figure.lastFrame).toEqual(Array.from(window.data.subarray(31 * 256, 32 * 256)));
    // Reference: the shipped predictor itself on the window's first 32 frames.
    const { model: shipped } = await loadLayersModel(join(defaultModelDir(), DEFAULT_PREDICTOR_FOLDER));
    const expected = tf.tidy(() => (shipped.predict(tf.tensor4d(window.data.subarray(0, 32 * 256), [1, 32, 256, 1])) as tf.Tensor).dataSync());
    shipped.dispose();
    expect(figure.output).toHaveLength(256);
    figure.output.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));

    // Once the project has installed the default encoder, the figure names that copy; a copy with other weights
    // (an older release's) is not the shipped predictor's encoder, so nothing is claimed for it.
    const installed = await loadProjectEncoder(project.dir, project.db, project.featureConfig()!);
    installed.model.dispose();
    expect(valueOf(await app.call('figures:reconstruction', recordingId, 3))!.modelLabel).toBe(`encoder-v3 v${installed.stored.version} (default model)`);
    const weights = join(project.dir, installed.stored.filesPath!, 'weights.bin');
    const original = readFileSync(weights);
    writeFileSync(weights, Buffer.concat([original.subarray(0, 100), Buffer.from([original[100] ^ 1]), original.subarray(101)]));
    try {
      expect(valueOf(await app.call('figures:reconstruction', recordingId, 3))).toBeNull();
    } finally {
      writeFileSync(weights, original);
    }
  });

  it("reads the newest encoder's loss curve from its metrics or its training.json", async () => {
    const { db } = app.state.project!;
    const featureConfigId = ensureFeatureConfig(db, app.state.project!.featureConfig()!);
    await new Promise((r) => setTimeout(r, 5));
    const v3 = createModel(db, { kind: 'encoder-v3', featureConfigId, normalisation: {}, metrics: { lossCurve: [{ epoch: 0, loss: 1.5 }, { epoch: 1, loss: 0.75 }] } });
    expect(valueOf(await app.call('figures:trainingLoss'))).toEqual({ modelLabel: `encoder-v3 v${v3.version}`, loss: [1.5, 0.75] });
    await new Promise((r) => setTimeout(r, 5));
    const newer = createModel(db, { kind: 'encoder-v1', featureConfigId, normalisation: {}, filesPath: 'sonotype-models/encoder-v1-test' });
    mkdirSync(join(app.projectDir, newer.filesPath!), { recursive: true });
    writeFileSync(join(app.projectDir, newer.filesPath!, 'training.json'), JSON.stringify({ lossCurve: [{ epoch: 0, loss: 2 }, { epoch: 1, loss: 1 }, { epoch: 2, loss: 0.5 }] }));
    expect(valueOf(await app.call('figures:trainingLoss'))).toEqual({ modelLabel: 'encoder-v1 v1', loss: [2, 1, 0.5] });
  });

  it('shows the first Conv2D kernel of the active encoder and Convnet V1 reconstructions', async () => {
    const project = app.state.project!;
    const v1 = buildConvnetV1({ seed: 5 });
    try {
      await new Promise((r) => setTimeout(r, 5));
      const stored = await storeModel(project.dir, project.db, v1.encoder, {
        kind: 'encoder-v1', featureConfig: project.featureConfig()!, normalisation: { mode: project.featureConfig()!.normalisation },
      });
      const filters = valueOf(await app.call('figures:filters'))!;
      // Reference: the kernel indexed as a nested array, [kh][kw][in][filter].
      const kernel = v1.encoder.getLayer('conv2d_0').getWeights()[0].arraySync() as number[][][][];
      expect(filters.modelLabel).toBe(`encoder-v1 v${stored.version}`);
      expect([filters.kernelHeight, filters.kernelWidth, filters.filters.length]).toEqual([8, 8, 128]);
      for (const f of [0, 17, 127]) {
        for (const [i, j] of [[0, 0], [3, 5], [7, 7]]) expect(filters.filters[f][i * 8 + j]).toBeCloseTo(kernel[i][j][0][f], 6);
      }

      // No auto-encoder saved yet: no reconstruction.
      const recordingId = getRecording(project.db, 'a.wav')!.id;
      expect(valueOf(await app.call('figures:reconstruction', recordingId, 1))).toBeNull();
      await saveLayersModel(v1.autoencoder, join(project.dir, stored.filesPath!, AUTOENCODER_SUBFOLDER));
      const figure = valueOf(await app.call('figures:reconstruction', recordingId, 1))!;
      // Reference: the same window straight from the feature pipeline through the in-memory auto-encoder.
      const config = project.featureConfig()!;
      const path = project.resolveRecordingPath('a.wav');
      const rec = getRecording(project.db, 'a.wav')!;
      let input: Float32Array | null = null;
      for await (const w of streamFeatureWindows(() => readAudioBlocks(path, { channel: 0 }), rec.sampleRate!, rec.frames!, config)) {
        if (w.span.index === 1) input = w.data;
      }
      const expected = tf.tidy(() => (v1.autoencoder.predict(tf.tensor4d(input!, [1, 32, 256, 1])) as tf.Tensor).dataSync());
      expect([figure.frames, figure.bins]).toEqual([32, 256]);
      expect(figure.input).toEqual(Array.from(input!));
      expect(figure.output.length).toBe(expected.length);
      let maxDiff = 0;
      for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(figure.output[i] - expected[i]));
      expect(maxDiff).toBeLessThan(1e-4);

      const tooFar = await app.call('figures:reconstruction', recordingId, 10_000);
      expect(tooFar).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/no window 10000/) } });
    } finally {
      v1.autoencoder.optimizer?.dispose();
      v1.autoencoder.dispose();
    }
  });
});
