/**
 * `npm run train:default [-- --epochs N --windows N]`: trains the default
 * model shipped in resources/default-model, reproducibly (fixed seeds), on
 * redistributable recordings from ../shared/data/recordings plus synthetic
 * scenes (corpus.ts):
 *   1. LSTM V3 encoder, next-frame prediction, on sampled windows;
 *   2. silence head on its embeddings, with heuristic labels (no human labels
 *      exist for this corpus);
 *   3. evaluation on a held-out, human-annotated recording;
 * then writes encoder-v3/, silence-head/ and metadata.json.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { FeatureConfig } from '../../../../src-shared/feature-types';
import { probeAudio, readAudioBlocks } from '../../audio';
import { defaultFeatureConfig, streamFeatureWindows } from '../../features';
import { detectHeuristicSilence, readTruthTable, windowTruthSilence, confusionMatrix, summariseConfusion, formatConfusionMatrix } from '../../detection';
import { initBackend } from '../backend';
import { collectTrainingWindows, type TrainingSource } from '../training-windows';
import { createEncoderTrainer, trainEncoder } from '../train-encoder';
import { buildSilenceHead, predictSilence, trainSilenceHead } from '../silence-head';
import { saveLayersModel } from '../model-io';
import { EVALUATION_FILE, REDISTRIBUTABLE_TRAINING_FILES, writeSyntheticScenes } from './corpus';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const sharedDir = resolve(repoRoot, '../shared/data/recordings');
const outDir = join(repoRoot, 'resources', 'default-model');
const ANALYSIS_RATE = 48_000;
const SEED = 20_191_028; // the date of the v3.1 experiment note

async function source(path: string): Promise<TrainingSource> {
  const info = await probeAudio(path);
  return { absPath: path, sampleRate: info.sampleRate, frames: info.frames, channels: info.channels };
}

/** Embeddings of every window of a file, in window order. */
async function embedFile(encoder: tf.LayersModel, s: TrainingSource, config: FeatureConfig): Promise<{ embeddings: Float32Array; spans: { startSeconds: number; endSeconds: number }[] }> {
  const windows: Float32Array[] = [];
  const spans: { startSeconds: number; endSeconds: number }[] = [];
  for await (const w of streamFeatureWindows(() => readAudioBlocks(s.absPath, { channel: 0 }), s.sampleRate, s.frames, config)) {
    windows.push(w.data);
    spans.push({ startSeconds: w.span.startSeconds, endSeconds: w.span.endSeconds });
  }
  const out = new Float32Array(windows.length * 128);
  for (let i = 0; i < windows.length; i += 32) {
    const batch = windows.slice(i, i + 32);
    const x = new Float32Array(batch.length * 32 * 256);
    batch.forEach((w, j) => x.set(w, j * 32 * 256));
    const y = tf.tidy(() => encoder.predict(tf.tensor4d(x, [batch.length, 32, 256, 1])) as tf.Tensor);
    try {
      out.set(await y.data(), i * 128);
    } finally {
      y.dispose();
    }
  }
  return { embeddings: out, spans };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { epochs: { type: 'string' }, windows: { type: 'string' } } });
  const epochs = Number(values.epochs ?? 4);
  const maxWindows = Number(values.windows ?? 1200);
  if (!existsSync(sharedDir)) throw new Error(`The training corpus is missing: ${sharedDir} (see README, "Test data").`);
  const work = await mkdtemp(join(tmpdir(), 'sonotype-default-model-'));
  const started = performance.now();
  try {
    const files = REDISTRIBUTABLE_TRAINING_FILES.map((f) => join(sharedDir, f));
    for (const f of files) await copyFile(f, join(work, f.split('/').pop()!));
    const synthetic = await writeSyntheticScenes(work);
    const sources = await Promise.all([...files.map((f) => join(work, f.split('/').pop()!)), ...synthetic.map((n) => join(work, n))].map(source));
    const config = defaultFeatureConfig(ANALYSIS_RATE);
    const backend = await initBackend();
    console.log(`backend: ${backend.name} (${backend.reason})`);

    // 1. Encoder.
    const trainer = createEncoderTrainer('encoder-v3', { seed: SEED });
    const windows = await collectTrainingWindows(sources, config, { maxWindows, extraFrames: trainer.targetFrames, seed: SEED });
    console.log(`training LSTM V3 on ${windows.count} of ${windows.seen} windows, ${epochs} epochs`);
    const trained = await trainEncoder(trainer, windows, {
      epochs, batchSize: 32, seed: SEED,
      onEpochEnd: (epoch, loss) => console.log(`epoch ${epoch + 1}/${epochs}: loss ${loss.toFixed(4)}`),
    });

    // 2. Head on heuristic labels of the training corpus.
    const embeddings: Float32Array[] = [];
    const labels: number[] = [];
    for (const s of sources) {
      const { embeddings: e } = await embedFile(trainer.encoder, s, config);
      const heuristic = await detectHeuristicSilence(() => readAudioBlocks(s.absPath, { channel: 0 }), s.sampleRate, s.frames, config);
      const n = Math.min(e.length / 128, heuristic.windows.length);
      embeddings.push(e.subarray(0, n * 128));
      for (let i = 0; i < n; i++) labels.push(heuristic.windows[i].silent ? 1 : 0);
    }
    const all = new Float32Array(labels.length * 128);
    let o = 0;
    for (const e of embeddings) {
      all.set(e, o);
      o += e.length;
    }
    const head = buildSilenceHead({ seed: SEED });
    const headFit = await trainSilenceHead(head, all, labels, { epochs: 30, batchSize: 64 });

    // 3. Held-out evaluation against human annotations.
    const evalSource = await source(join(sharedDir, EVALUATION_FILE.audio));
    const { embeddings: evalEmb, spans } = await embedFile(trainer.encoder, evalSource, config);
    const p = predictSilence(head, evalEmb);
    const events = (await readTruthTable(join(sharedDir, EVALUATION_FILE.truth))).map((e) => ({ startSeconds: e.startSeconds, endSeconds: e.endSeconds }));
    const truth = windowTruthSilence(spans, events);
    const matrix = confusionMatrix(truth, Array.from(p, (v) => v >= 0.5));
    const summary = summariseConfusion(matrix);
    console.log(formatConfusionMatrix(matrix, `held-out ${EVALUATION_FILE.audio} (human labels)`));

    // 4. Write the shipped files.
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    await saveLayersModel(trainer.encoder, join(outDir, 'encoder-v3'), { kind: 'encoder-v3', featureConfig: config });
    await saveLayersModel(head, join(outDir, 'silence-head'), { kind: 'silence-head', featureConfig: config });
    const metadata = {
      trainedAt: new Date().toISOString(),
      script: 'npm run train:default',
      seed: SEED,
      backend: backend.name,
      featureConfig: config,
      corpus: { files: REDISTRIBUTABLE_TRAINING_FILES, synthetic: synthetic.length, windowsSeen: windows.seen, windowsSampled: windows.count },
      encoder: { kind: 'encoder-v3', epochs, lossCurve: trained.lossCurve, windowsPerSecond: trained.windowsPerSecond },
      head: { trainWindows: labels.length, labelSource: 'heuristic', trainLoss: headFit.loss, trainAccuracy: headFit.accuracy },
      evaluation: { file: EVALUATION_FILE.audio, truth: 'human (Audacity labels)', confusion: matrix, ...summary },
      seconds: (performance.now() - started) / 1000,
    };
    await writeFile(join(outDir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
    console.log(`default model written to ${outDir} in ${metadata.seconds.toFixed(0)} s`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`train:default failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
