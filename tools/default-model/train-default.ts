/**
 * `npm run train:default [-- --epochs N --windows N]`: trains the default
 * model shipped in resources/default-model, reproducibly (fixed seeds), on
 * redistributable recordings from ../shared/data/recordings plus synthetic
 * scenes (corpus.ts):
 *   1. LSTM V3 encoder, next-frame prediction, on sampled windows;
 *   2. silence head on its embeddings, with heuristic labels (no human labels
 *      exist for this corpus);
 *   3. evaluation on a held-out, human-annotated recording;
 * then writes encoder-v3/, predictor-v3/ (the encoder with its next-frame
 * head, for the app's figure), silence-head/ and metadata.json.
 * `--predictor-only` keeps the shipped encoder and head and writes only
 * predictor-v3/ (its Dense head fitted again on the frozen encoder; see
 * predictor-head.ts) and its entry in metadata.json.
 */
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { FeatureConfig } from '../../src-shared/feature-types';
import { probeAudio, readAudioBlocks } from '../../src-main/engine/audio';
import { defaultFeatureConfig, streamFeatureWindows } from '../../src-main/engine/features';
import { detectHeuristicSilence, readTruthTable, windowTruthSilence, confusionMatrix, summariseConfusion, formatConfusionMatrix } from '../../src-main/engine/detection';
import { initBackend } from '../../src-main/engine/models/backend';
import { collectTrainingWindows, type TrainingSource, type TrainingWindows } from '../../src-main/engine/models/training-windows';
import { createEncoderTrainer, trainEncoder } from '../../src-main/engine/models/train-encoder';
import { buildSilenceHead, predictSilence, trainSilenceHead } from '../../src-main/engine/models/silence-head';
import { loadLayersModel, saveLayersModel } from '../../src-main/engine/models/model-io';
import { EVALUATION_FILE, REDISTRIBUTABLE_TRAINING_FILES, writeSyntheticScenes } from './corpus';
import { fitPredictor, scoreNextFrame, type NextFrameScores } from './predictor-head';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
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

/** Every window of the held-out file with one frame more (the next-frame target), for scoring a predictor. */
async function heldOutNextFrames(config: FeatureConfig): Promise<TrainingWindows> {
  return collectTrainingWindows([await source(join(sharedDir, EVALUATION_FILE.audio))], config, { maxWindows: 4000, extraFrames: 1, seed: SEED });
}

function predictorEntry(fitted: string, scores: NextFrameScores): Record<string, unknown> {
  console.log(`next-frame predictor on held-out ${EVALUATION_FILE.audio}: MSE ${scores.mse.toFixed(4)} (zeros ${scores.zeroMse.toFixed(4)}, last frame repeated ${scores.lastFrameMse.toFixed(4)})`);
  return { kind: 'predictor-v3', predictFrames: 1, fitted, heldOut: { file: EVALUATION_FILE.audio, ...scores } };
}

/** --predictor-only: the shipped encoder's next-frame predictor, its Dense head fitted on the frozen encoder. */
async function shipPredictorOnly(sources: TrainingSource[], config: FeatureConfig, maxWindows: number): Promise<void> {
  const { model: encoder } = await loadLayersModel(join(outDir, 'encoder-v3'));
  const sampled = await collectTrainingWindows(sources, config, { maxWindows, extraFrames: 1, seed: SEED });
  console.log(`fitting the next-frame head on ${sampled.count} of ${sampled.seen} windows (encoder frozen)`);
  const { predictor, trainLoss } = await fitPredictor(encoder, sampled);
  const fitted = `Dense head fitted on the frozen shipped encoder (${sampled.count} windows, train MSE ${trainLoss.toFixed(4)})`;
  const entry = predictorEntry(fitted, await scoreNextFrame(predictor, await heldOutNextFrames(config)));
  await saveLayersModel(predictor, join(outDir, 'predictor-v3'), { kind: 'predictor-v3', predictFrames: 1, featureConfig: config });
  const metadataPath = join(outDir, 'metadata.json');
  const metadata = JSON.parse(await readFile(metadataPath, 'utf8'));
  await writeFile(`${metadataPath}.tmp`, `${JSON.stringify({ ...metadata, predictor: entry }, null, 2)}\n`);
  await rename(`${metadataPath}.tmp`, metadataPath);
  console.log(`predictor written to ${join(outDir, 'predictor-v3')}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { epochs: { type: 'string' }, windows: { type: 'string' }, 'reuse-encoder': { type: 'boolean', default: false }, 'predictor-only': { type: 'boolean', default: false } },
  });
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
    if (values['predictor-only']) {
      await shipPredictorOnly(sources, config, maxWindows);
      return;
    }

    // 1. Encoder (or, with --reuse-encoder, the one already shipped: for iterating on the head only).
    const trainer = createEncoderTrainer('encoder-v3', { seed: SEED });
    let windows = { count: 0, seen: 0 };
    let trained: { lossCurve: { epoch: number; loss: number }[]; windowsPerSecond: number };
    let encoderEpochs = epochs;
    let encoderTrainedAt = new Date().toISOString();
    if (values['reuse-encoder']) {
      const previous = JSON.parse(await readFile(join(outDir, 'metadata.json'), 'utf8'));
      const { model } = await loadLayersModel(join(outDir, 'encoder-v3'));
      trainer.encoder.setWeights(model.getWeights());
      model.dispose();
      trained = previous.encoder;
      windows = { count: previous.corpus.windowsSampled, seen: previous.corpus.windowsSeen };
      encoderEpochs = previous.encoder.epochs;
      encoderTrainedAt = previous.encoder.trainedAt ?? previous.trainedAt;
      console.log(`reusing the shipped encoder (trained ${previous.encoder.trainedAt ?? previous.trainedAt})`);
    } else {
      const sampled = await collectTrainingWindows(sources, config, { maxWindows, extraFrames: trainer.targetFrames, seed: SEED });
      windows = sampled;
      console.log(`training LSTM V3 on ${sampled.count} of ${sampled.seen} windows, ${epochs} epochs`);
      trained = await trainEncoder(trainer, sampled, {
        epochs, batchSize: 32, seed: SEED,
        onEpochEnd: (epoch, loss) => console.log(`epoch ${epoch + 1}/${epochs}: loss ${loss.toFixed(4)}`),
      });
    }

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

    // 3. Held-out evaluation against human annotations, three ways: the heuristic alone, the shipped head as is
    //    (transfer), and a head trained on the file's own heuristic labels — what `sonotype detect` does on day one.
    const evalSource = await source(join(sharedDir, EVALUATION_FILE.audio));
    const { embeddings: evalEmb, spans } = await embedFile(trainer.encoder, evalSource, config);
    const events = (await readTruthTable(join(sharedDir, EVALUATION_FILE.truth))).map((e) => ({ startSeconds: e.startSeconds, endSeconds: e.endSeconds }));
    const truth = windowTruthSilence(spans, events);
    const evalHeuristic = await detectHeuristicSilence(() => readAudioBlocks(evalSource.absPath, { channel: 0 }), evalSource.sampleRate, evalSource.frames, config);
    const heuristicPred = spans.map((_, i) => evalHeuristic.windows[i]?.silent ?? true);
    const ownHead = buildSilenceHead({ seed: SEED });
    await trainSilenceHead(ownHead, evalEmb, heuristicPred.map((v) => (v ? 1 : 0)), { epochs: 30, batchSize: 64 });
    const evaluations: Record<string, ReturnType<typeof summariseConfusion> & { confusion: ReturnType<typeof confusionMatrix> }> = {};
    for (const [name, predicted] of [
      ['heuristic', heuristicPred],
      ['shippedHead', Array.from(predictSilence(head, evalEmb), (v) => v >= 0.5)],
      ['headOnOwnHeuristicLabels', Array.from(predictSilence(ownHead, evalEmb), (v) => v >= 0.5)],
    ] as const) {
      const matrix = confusionMatrix(truth, [...predicted]);
      evaluations[name] = { confusion: matrix, ...summariseConfusion(matrix) };
      console.log(formatConfusionMatrix(matrix, `held-out ${EVALUATION_FILE.audio} (human labels): ${name}`));
    }
    ownHead.optimizer?.dispose();
    ownHead.dispose();

    // 4. Write the shipped files.
    // The encoder may have been loaded from outDir: write to a fresh folder, then swap.
    const staging = `${outDir}.staging`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await saveLayersModel(trainer.encoder, join(staging, 'encoder-v3'), { kind: 'encoder-v3', featureConfig: config });
    // With --reuse-encoder the trainer's head was never trained: fit it on the frozen encoder instead.
    const predictor = values['reuse-encoder'] ? (await fitPredictor(trainer.encoder, await collectTrainingWindows(sources, config, { maxWindows, extraFrames: 1, seed: SEED }))).predictor : trainer.trainer;
    const predictorScores = predictorEntry(values['reuse-encoder'] ? 'Dense head fitted on the frozen encoder' : 'trained jointly with the encoder', await scoreNextFrame(predictor, await heldOutNextFrames(config)));
    await saveLayersModel(predictor, join(staging, 'predictor-v3'), { kind: 'predictor-v3', predictFrames: 1, featureConfig: config });
    await saveLayersModel(head, join(staging, 'silence-head'), { kind: 'silence-head', featureConfig: config });
    const metadata = {
      trainedAt: new Date().toISOString(),
      script: 'npm run train:default',
      seed: SEED,
      backend: backend.name,
      featureConfig: config,
      corpus: { files: REDISTRIBUTABLE_TRAINING_FILES, synthetic: synthetic.length, windowsSeen: windows.seen, windowsSampled: windows.count },
      encoder: { kind: 'encoder-v3', trainedAt: encoderTrainedAt, epochs: encoderEpochs, lossCurve: trained!.lossCurve, windowsPerSecond: trained!.windowsPerSecond },
      predictor: predictorScores,
      head: { trainWindows: labels.length, labelSource: 'heuristic', trainLoss: headFit.loss, trainAccuracy: headFit.accuracy },
      evaluation: { file: EVALUATION_FILE.audio, truth: 'human (Audacity labels)', windows: truth.length, ...evaluations },
      seconds: (performance.now() - started) / 1000,
    };
    await writeFile(join(staging, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
    console.log(`default model written to ${outDir} in ${metadata.seconds.toFixed(0)} s`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`train:default failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
