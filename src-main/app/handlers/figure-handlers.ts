/**
 * Figures of the trained models: the encoder's training loss, its first-layer
 * filters and what its network makes of a window (computed in a 'reconstruction' job,
 * engine/models/reconstruction.ts). tfjs is imported on first use only, so
 * opening the app does not pay for loading it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import type { ApiCalls } from '../../../src-shared/contract';
import type { Project } from '../../engine/project/open-project';
import { listModels, type StoredModel } from '../../engine/store/models';
import { requireProject, requireSession, type AppState } from '../app-state';
import { runJobToEnd } from '../run-job';
import { reconstructionModel } from '../../engine/models/autoencoder-files';
import { DEFAULT_ENCODER_FOLDER, defaultModelDir } from '../../engine/models/default-model-dir';
import { requireRecording } from '../../engine/store/recordings';
import type { HandlersFor } from './handler-types';

type FigureCalls = 'figures:trainingLoss' | 'figures:filters' | 'figures:reconstruction';

const ENCODER_KINDS = ['encoder-v1', 'encoder-v3'] as const;
/** Encoders of the project, newest first (the first one is the active encoder, as in loadProjectEncoder). */
function encodersNewestFirst(project: Project): StoredModel[] {
  return ENCODER_KINDS.flatMap((k) => listModels(project.db, k)).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}

const modelLabel = (m: StoredModel) => `${m.kind} v${m.version}`;
/** How the figures name the shipped default encoder while the project has not installed it. */
const DEFAULT_MODEL_LABEL = 'encoder-v3 (default model)';

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
  if (encodersNewestFirst(project).length > 0) return null;
  // No encoder installed yet: the default model's own curve, as its next-frame figure is shown.
  try {
    const shipped = JSON.parse(await readFile(join(defaultModelDir(), 'metadata.json'), 'utf8')) as { encoder?: { lossCurve?: unknown } };
    const loss = lossesOf(shipped.encoder?.lossCurve);
    return loss ? { modelLabel: DEFAULT_MODEL_LABEL, loss } : null;
  } catch {
    return null;
  }
}

let backendReady: Promise<unknown> | undefined;

async function firstLayerFilters(project: Project): Promise<ApiCalls['figures:filters']['result']> {
  const active = encodersNewestFirst(project)[0];
  // No encoder installed yet: the default model's, which the project would use.
  const shipped = join(defaultModelDir(), DEFAULT_ENCODER_FOLDER);
  const folder = active ? (active.filesPath ? join(project.dir, active.filesPath) : null) : existsSync(join(shipped, 'model.json')) ? shipped : null;
  if (!folder) return null;
  // Loading a model needs a tfjs backend, which nothing else in this process starts (the heavy work runs in jobs).
  backendReady ??= import('../../engine/models/backend').then((m) => m.initBackend());
  await backendReady;
  const { loadLayersModel } = await import('../../engine/models/model-io');
  const { model } = await loadLayersModel(folder);
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
    return { modelLabel: active ? modelLabel(active) : DEFAULT_MODEL_LABEL, kernelHeight: kh, kernelWidth: kw, filters };
  } finally {
    model.dispose();
  }
}

export function figureHandlers(state: AppState): HandlersFor<FigureCalls> {
  return {
    'figures:trainingLoss': async () => trainingLoss(requireProject(state)),
    'figures:filters': async () => firstLayerFilters(requireProject(state)),
    'figures:reconstruction': async (recordingId, windowIndex) => {
      const session = requireSession(state);
      requireRecording(session.project.db, recordingId);
      // Without a network to run (no kept auto-encoder or predictor, no default predictor) there is nothing to compute: answer at once, without a job.
      if (!reconstructionModel(session.project)) return null;
      return runJobToEnd(session.runner, 'reconstruction', { recordingId, windowIndex });
    },
  };
}
