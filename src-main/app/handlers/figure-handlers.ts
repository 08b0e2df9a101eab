/**
 * Figures of the trained models: the encoder's training loss, its first-layer
 * filters and Convnet V1 reconstructions. tfjs is imported on first use only,
 * so opening the app does not pay for loading it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import type { ApiCalls } from '../../../src-shared/contract';
import type { Project } from '../../engine/project/open-project';
import { listModels, type StoredModel } from '../../engine/store/models';
import { readAudioBlocks } from '../../engine/audio';
import { keptBins, streamFeatureWindows } from '../../engine/features';
import { requireProject, type AppState } from '../app-state';
import { requireRecordingRecord } from '../views';
import type { HandlersFor } from './handler-types';

type FigureCalls = 'figures:trainingLoss' | 'figures:filters' | 'figures:reconstruction';

const ENCODER_KINDS = ['encoder-v1', 'encoder-v3'] as const;
/**
 * Sub-folder of an encoder-v1 model holding the whole auto-encoder (encoder +
 * decoder), written by the 'train' task (jobs/tasks/train-encoder-task.ts).
 * The encoder alone cannot reconstruct anything.
 */
export const AUTOENCODER_SUBFOLDER = 'autoencoder';

/** Encoders of the project, newest first (the first one is the active encoder, as in loadProjectEncoder). */
function encodersNewestFirst(project: Project): StoredModel[] {
  return ENCODER_KINDS.flatMap((k) => listModels(project.db, k)).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}

const modelLabel = (m: StoredModel) => `${m.kind} v${m.version}`;

/** Per-epoch losses from metrics.lossCurve ({epoch, loss}[] or number[]), or null. */
function lossesOf(curve: unknown): number[] | null {
  if (!Array.isArray(curve) || curve.length === 0) return null;
  const losses = curve.map((v) => (typeof v === 'number' ? v : (v as { loss?: unknown } | null)?.loss));
  return losses.every((v): v is number => typeof v === 'number' && Number.isFinite(v)) ? losses : null;
}

async function trainingLoss(project: Project): Promise<ApiCalls['figures:trainingLoss']['result']> {
  for (const model of encodersNewestFirst(project)) {
    let loss = lossesOf(model.metrics.lossCurve);
    if (!loss && model.filesPath) {
      const file = join(project.dir, model.filesPath, 'training.json');
      if (existsSync(file)) {
        try {
          loss = lossesOf((JSON.parse(await readFile(file, 'utf8')) as { lossCurve?: unknown }).lossCurve);
        } catch {
          // An unreadable training.json just means no curve for this model.
        }
      }
    }
    if (loss) return { modelLabel: modelLabel(model), loss };
  }
  return null;
}

async function firstLayerFilters(project: Project): Promise<ApiCalls['figures:filters']['result']> {
  const active = encodersNewestFirst(project)[0];
  if (!active?.filesPath) return null;
  const { loadStoredModel } = await import('../../engine/models/encoder-registry');
  const model = await loadStoredModel(project.dir, active);
  try {
    const conv = model.layers.find((layer) => layer.getClassName() === 'Conv2D');
    if (!conv) return null;
    // [kh, kw, inChannels, filters]. The tensor is the layer's own variable: model.dispose() below frees it.
    const [kernel] = conv.getWeights();
    const [kh, kw, inChannels, count] = kernel.shape as [number, number, number, number];
    const values = await kernel.data();
    // Input channel 0: the encoders read one spectrogram channel.
    const filters = Array.from({ length: count }, (_, f) => {
      const filter = new Array<number>(kh * kw);
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) filter[i * kw + j] = values[((i * kw + j) * inChannels) * count + f];
      return filter;
    });
    return { modelLabel: modelLabel(active), kernelHeight: kh, kernelWidth: kw, filters };
  } finally {
    model.dispose();
  }
}

/** The normalised feature window `windowIndex` of a recording, as the encoders see it. */
async function featureWindow(project: Project, recordingId: number, windowIndex: number): Promise<{ data: Float32Array; frames: number; bins: number }> {
  const recording = requireRecordingRecord(project.db, recordingId);
  if (recording.status !== 'ok' || !recording.sampleRate || !recording.channels) {
    throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} cannot be analysed: ${recording.error?.message ?? 'it failed to scan'}.`);
  }
  const config = project.featureConfigFor(recording.sampleRate);
  const absPath = project.resolveRecordingPath(recording.path);
  const channel = Math.min(config.channel, recording.channels - 1);
  const windows = streamFeatureWindows(() => readAudioBlocks(absPath, { channel }), recording.sampleRate, recording.frames ?? 0, config);
  let count = 0;
  for await (const w of windows) {
    if (w.span.index === windowIndex) return { data: w.data, frames: config.windowFrames, bins: keptBins(config).binCount };
    count++;
  }
  throw new SonotypeError('NOT_FOUND', `${recording.path} has ${count} windows; there is no window ${windowIndex}.`);
}

async function reconstruction(project: Project, recordingId: number, windowIndex: number): Promise<ApiCalls['figures:reconstruction']['result']> {
  const recording = requireRecordingRecord(project.db, recordingId);
  const v1 = listModels(project.db, 'encoder-v1').find((m) => m.filesPath && existsSync(join(project.dir, m.filesPath, AUTOENCODER_SUBFOLDER, 'model.json')));
  if (!v1) return null; // no Convnet V1 trained (or trained before its decoder was saved)
  const { assertModelInput } = await import('../../engine/models/encoder-registry');
  // The model takes 32 × 256 windows: say so readably when the project's differ.
  if (recording.sampleRate) assertModelInput(project.featureConfigFor(recording.sampleRate));
  const window = await featureWindow(project, recordingId, windowIndex);
  const tf = await import('@tensorflow/tfjs');
  const { loadLayersModel } = await import('../../engine/models/model-io');
  const { model } = await loadLayersModel(join(project.dir, v1.filesPath!, AUTOENCODER_SUBFOLDER));
  try {
    const output = tf.tidy(() => model.predict(tf.tensor4d(window.data, [1, window.frames, window.bins, 1])) as import('@tensorflow/tfjs').Tensor);
    const values = await output.data();
    output.dispose();
    return { frames: window.frames, bins: window.bins, input: Array.from(window.data), output: Array.from(values) };
  } finally {
    model.dispose();
  }
}

export function figureHandlers(state: AppState): HandlersFor<FigureCalls> {
  return {
    'figures:trainingLoss': async () => trainingLoss(requireProject(state)),
    'figures:filters': async () => firstLayerFilters(requireProject(state)),
    'figures:reconstruction': async (recordingId, windowIndex) => reconstruction(requireProject(state), recordingId, windowIndex),
  };
}
