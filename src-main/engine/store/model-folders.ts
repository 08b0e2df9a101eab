/**
 * Where a project's model files live, and the repair of records whose files
 * are missing. No tfjs here: the project opens (and repairs) without loading it.
 *
 * Projects damaged by older Sonotype versions (a kill between the record and
 * its files) are repaired when they are opened: records whose files are
 * missing are removed with everything computed from them, so the next run
 * trains or installs the model again instead of failing for good.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ProjectDb } from './database';
import { deleteModels, listModels, type StoredModel } from './models';
import { modelIdsWithPayload } from './frame-data';
import { processAlive } from '../util/process-alive';

export const MODELS_FOLDER = 'sonotype-models';
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
const STAGING_PREFIX = '.staging-';

/** Folder (relative to the project) for a model's files. */
export function modelFilesPath(kind: string, version: number): string {
  return `${MODELS_FOLDER}/${kind}-v${version}`;
}

/** Whether a model record's files are all there (model.json and its weights). */
export function hasModelFiles(projectDir: string, model: Pick<StoredModel, 'filesPath'>): boolean {
  if (!model.filesPath) return false;
  const dir = join(projectDir, model.filesPath);
  return existsSync(join(dir, MODEL_JSON)) && existsSync(join(dir, WEIGHTS_BIN));
}

/**
 * Removes model records whose files are missing (left by a crash in an older
 * Sonotype, or a folder deleted by hand) together with the models trained on
 * top of them and everything computed from them, and staging folders of
 * processes that are gone. Returns the removed records. Safe while other
 * processes save models: a record only ever appears after its files.
 */
export function repairModelRecords(projectDir: string, db: ProjectDb): StoredModel[] {
  removeStaleStagingFolders(projectDir);
  const all = listModels(db);
  // Small models (detection heads) live in the database itself: they have no files to lose.
  const inDatabase = modelIdsWithPayload(db);
  const doomed = new Set(all.filter((m) => !inDatabase.has(m.id) && !hasModelFiles(projectDir, m)).map((m) => m.id));
  if (doomed.size === 0) return [];
  // A head trained on a lost encoder cannot be used either.
  for (let grew = true; grew; ) {
    grew = false;
    for (const m of all) {
      if (!doomed.has(m.id) && m.parentModelId !== null && doomed.has(m.parentModelId)) {
        doomed.add(m.id);
        grew = true;
      }
    }
  }
  deleteModels(db, [...doomed]);
  return all.filter((m) => doomed.has(m.id));
}

/** A new, empty staging folder of this process under the project's models folder. */
export function newStagingFolder(projectDir: string): string {
  const root = join(projectDir, MODELS_FOLDER);
  mkdirSync(root, { recursive: true });
  const dir = join(root, `${STAGING_PREFIX}${hostname()}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir);
  return dir;
}

/** Staging folders of this host whose process is gone, or older than a day. */
function removeStaleStagingFolders(projectDir: string): void {
  const root = join(projectDir, MODELS_FOLDER);
  if (!existsSync(root)) return;
  const host = hostname();
  for (const name of readdirSync(root)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const full = join(root, name);
    const match = /^\.staging-(.+)-(\d+)-\d+-[a-z0-9]+$/.exec(name);
    const ownerGone = match !== null && match[1] === host && !processAlive(Number(match[2]));
    const old = Date.now() - statSync(full).mtimeMs > 24 * 3600_000;
    if (ownerGone || old) rmSync(full, { recursive: true, force: true });
  }
}
