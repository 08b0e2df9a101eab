/**
 * Model weights travel by content hash: the coordinator publishes a model
 * folder (model.json + weight files) into the storage's work area under
 * `.sonotype-work/models/<sha256>/`; a job names only the hash, and each
 * worker loads it once, after checking the bytes hash to that name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { SonotypeError } from '../../../src-shared/errors';
import { loadLayersModel, MODEL_JSON } from '../models/model-io';
import { MODELS_DIR, type StorageRoot } from './storage-root';

/** Hex SHA-256 over model.json and its weight files (in manifest order). */
export async function modelFolderHash(dir: string): Promise<string> {
  const json = await readFile(join(dir, MODEL_JSON));
  let manifest: { weightsManifest?: { paths?: string[] }[] };
  try {
    manifest = JSON.parse(json.toString('utf8'));
  } catch (cause) {
    throw new SonotypeError('CORRUPT_DATA', `Model ${dir} has an unreadable ${MODEL_JSON}.`, { cause });
  }
  const hash = createHash('sha256').update(json);
  for (const path of (manifest.weightsManifest ?? []).flatMap((g) => g.paths ?? [])) {
    if (path.includes('/') || path.includes('\\') || path.startsWith('.')) throw new SonotypeError('CORRUPT_DATA', `Model ${dir} names an unexpected weights file '${path}'.`);
    hash.update(path).update(await readFile(join(dir, path)));
  }
  return hash.digest('hex');
}

/** Storage path (relative) of a published model. */
export function publishedModelPath(hash: string): string {
  return `${MODELS_DIR}/${hash}`;
}

/** Copies a model folder into the storage's work area (once per content) and returns its hash. */
export async function publishModel(root: StorageRoot, dir: string): Promise<string> {
  const hash = await modelFolderHash(dir);
  const target = join(root.dir, publishedModelPath(hash));
  if (existsSync(target) && (await modelFolderHash(target).catch(() => null)) === hash) return hash;
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await cp(dir, tmp, { recursive: true });
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return hash;
}

/**
 * Loads published models by hash, each at most once per process (thread),
 * verifying the files hash to the name they are published under.
 */
export class ModelCache {
  private readonly models = new Map<string, Promise<tf.LayersModel>>();

  constructor(private readonly root: StorageRoot) {}

  get(hash: string): Promise<tf.LayersModel> {
    let model = this.models.get(hash);
    if (!model) {
      model = this.load(hash);
      this.models.set(hash, model);
      // A failed load (not yet published, damaged) is retried by the next job.
      model.catch(() => this.models.delete(hash));
    }
    return model;
  }

  get size(): number {
    return this.models.size;
  }

  private async load(hash: string): Promise<tf.LayersModel> {
    const dir = await this.root.resolveExisting(publishedModelPath(hash));
    const actual = await modelFolderHash(dir);
    if (actual !== hash) throw new SonotypeError('CORRUPT_DATA', `Published model ${hash.slice(0, 12)}… does not match its hash (files hash to ${actual.slice(0, 12)}…).`);
    return (await loadLayersModel(dir)).model;
  }
}
