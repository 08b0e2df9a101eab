/**
 * Saving a model so that a crash at any moment leaves either the whole model
 * (record + files) or nothing: the files are written and flushed into a
 * staging folder first, then renamed to their version folder and recorded in
 * one immediate transaction. A kill before the commit leaves an unrecorded
 * folder, which the next save of that version replaces; it never leaves a
 * record pointing at missing weights (which used to break `detect` for good).
 * Projects damaged by older versions are repaired when they are opened
 * (store/model-folders.ts repairModelRecords).
 */
import { writeFileDurably } from '../util/durable-write';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import type { ProjectDb } from '../store/database';
import { ensureFeatureConfig } from '../store/feature-configs';
import { createModel, nextModelVersion, type NewModel, type StoredModel } from '../store/models';
import { MODEL_JSON, serializeLayersModel, WEIGHTS_BIN, type ModelMetadata } from './model-io';
import { modelFilesPath, newStagingFolder } from '../store/model-folders';

/** The database row's fields (its feature config given whole, stored on save) and what is saved beside the weights. */
export interface StoreModelInfo extends Pick<NewModel, 'kind' | 'normalisation' | 'metrics' | 'parentModelId'> {
  featureConfig: FeatureConfig;
  /** Extra files saved next to the weights (e.g. training.json). */
  extraFiles?: Record<string, string | Uint8Array>;
  /** Extra models saved in sub-folders (e.g. V1's whole auto-encoder under 'autoencoder'). */
  extraModels?: Record<string, { model: tf.LayersModel; metadata?: ModelMetadata }>;
}

/** Saves a trained model as a new version of `info.kind` and returns its record. */
export async function storeModel(projectDir: string, db: ProjectDb, model: tf.LayersModel, info: StoreModelInfo): Promise<StoredModel> {
  const staging = newStagingFolder(projectDir);
  try {
    await writeModelFiles(staging, model, { kind: info.kind, featureConfig: info.featureConfig });
    for (const [name, contents] of Object.entries(info.extraFiles ?? {})) writeFileDurably(join(staging, name), contents);
    for (const [name, extra] of Object.entries(info.extraModels ?? {})) {
      mkdirSync(join(staging, name));
      await writeModelFiles(join(staging, name), extra.model, extra.metadata ?? {});
    }
    return commitModelFolder(projectDir, db, staging, info);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Installs a model folder shipped with the app (copied, then committed like a saved one). */
export async function installModelFolder(
  projectDir: string, db: ProjectDb, source: string, info: Omit<StoreModelInfo, 'extraFiles' | 'extraModels'>,
): Promise<StoredModel> {
  const staging = newStagingFolder(projectDir);
  try {
    await cp(source, staging, { recursive: true });
    return commitModelFolder(projectDir, db, staging, info);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Renames the staged files into the next version's folder and records them, in one transaction. */
function commitModelFolder(projectDir: string, db: ProjectDb, staging: string, info: Omit<StoreModelInfo, 'extraFiles' | 'extraModels'>): StoredModel {
  const featureConfigId = ensureFeatureConfig(db, info.featureConfig);
  return db.transaction(() => {
    const version = nextModelVersion(db, info.kind);
    const filesPath = modelFilesPath(info.kind, version);
    const target = join(projectDir, filesPath);
    // A folder without a record: a save of this version that was killed before its commit.
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    try {
      return createModel(db, {
        kind: info.kind, version, featureConfigId, normalisation: info.normalisation, metrics: info.metrics ?? {},
        parentModelId: info.parentModelId ?? null, filesPath,
      });
    } catch (error) {
      rmSync(target, { recursive: true, force: true });
      throw error;
    }
  });
}

async function writeModelFiles(dir: string, model: tf.LayersModel, metadata: ModelMetadata): Promise<void> {
  const files = await serializeLayersModel(model, metadata);
  writeFileDurably(join(dir, WEIGHTS_BIN), files[WEIGHTS_BIN]);
  writeFileDurably(join(dir, MODEL_JSON), files[MODEL_JSON]);
}
