/**
 * Which encoder a project uses, and where its weights live.
 *
 * Every model a project uses is a row in `models` plus a folder under
 * `<project>/sonotype-models/`, saved atomically by model-store.ts. The newest trained encoder wins. A project
 * that has trained none gets a copy of the default model shipped in
 * resources/default-model (trained by `npm run train:default`), so detections
 * exist on day one; if even that is missing, a freshly initialised LSTM V3
 * (fixed seed) is used and said so, rather than failing.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from '../store/database';
import { listModels, type StoredModel } from '../store/models';
import { loadLayersModel } from './model-io';
import { installModelFolder, storeModel } from './model-store';
import { buildConvnetV1 } from './convnet-v1';
import { buildLstmV3 } from './lstm-v3';
import { keptBins } from '../features';
import { DEFAULT_ENCODER_FOLDER, defaultModelDir } from './default-model-dir';

export { storeModel } from './model-store';
export { defaultModelDir } from './default-model-dir';
export { MODELS_FOLDER, modelFilesPath } from '../store/model-folders';

export type EncoderKind = 'encoder-v1' | 'encoder-v3';
export const ENCODER_KINDS: readonly EncoderKind[] = ['encoder-v1', 'encoder-v3'];

export interface LoadedEncoder {
  model: tf.LayersModel;
  stored: StoredModel;
  /** Human-readable name for logs and JSON output, e.g. "encoder-v3 v2 (trained on this project)". */
  description: string;
}

/** Loads the weights of a stored model. */
export async function loadStoredModel(projectDir: string, stored: StoredModel): Promise<tf.LayersModel> {
  if (!stored.filesPath) throw new SonotypeError('NOT_FOUND', `Model ${stored.kind} v${stored.version} has no saved weights.`);
  return (await loadLayersModel(join(projectDir, stored.filesPath))).model;
}

/** The newest encoder of the project, installing the default model first when there is none. */
export async function loadProjectEncoder(projectDir: string, db: ProjectDb, featureConfig: FeatureConfig): Promise<LoadedEncoder> {
  assertModelInput(featureConfig);
  const newest = ENCODER_KINDS.flatMap((k) => listModels(db, k)).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)[0];
  if (newest) {
    const origin = typeof newest.metrics.origin === 'string' ? newest.metrics.origin : 'trained on this project';
    return { model: await loadStoredModel(projectDir, newest), stored: newest, description: `${newest.kind} v${newest.version} (${origin})` };
  }
  return installDefaultEncoder(projectDir, db, featureConfig);
}

async function installDefaultEncoder(projectDir: string, db: ProjectDb, featureConfig: FeatureConfig): Promise<LoadedEncoder> {
  const source = join(defaultModelDir(), DEFAULT_ENCODER_FOLDER);
  if (existsSync(join(source, 'model.json'))) {
    // Carry the shipped training figures (loss curve…) so the app's training plot has something to show.
    const shipped = await readFile(join(defaultModelDir(), 'metadata.json'), 'utf8').then((t) => JSON.parse(t) as { encoder?: Record<string, unknown> }, () => ({}) as { encoder?: Record<string, unknown> });
    const lossCurve = Array.isArray(shipped.encoder?.lossCurve) ? shipped.encoder.lossCurve : undefined;
    const installed = await installModelFolder(projectDir, db, source, {
      kind: 'encoder-v3', featureConfig, normalisation: { mode: featureConfig.normalisation },
      metrics: { origin: 'default model', ...(lossCurve ? { lossCurve } : {}) },
    });
    return { model: await loadStoredModel(projectDir, installed), stored: installed, description: `encoder-v3 v${installed.version} (default model)` };
  }
  // No shipped model (e.g. a checkout before `npm run train:default`): an untrained encoder with a fixed seed.
  const { encoder, predictor } = buildLstmV3({ seed: 1 });
  predictor.optimizer?.dispose();
  const stored = await storeModel(projectDir, db, encoder, {
    kind: 'encoder-v3', featureConfig, normalisation: { mode: featureConfig.normalisation }, metrics: { origin: 'untrained, seed 1' },
  });
  return { model: encoder, stored, description: `encoder-v3 v${stored.version} (untrained: no default model installed)` };
}

/** The seeds' encoders take 32 × 256 windows; say so clearly when a project's config differs. */
export function assertModelInput(config: FeatureConfig): void {
  const bins = keptBins(config).binCount;
  if (config.windowFrames !== 32 || bins !== 256) {
    throw new SonotypeError(
      'INVALID_CONFIG',
      `The encoders take windows of 32 frames × 256 frequency bins, but this project's features give ${config.windowFrames} × ${bins}. Use the default band and window length for model work.`,
    );
  }
}
