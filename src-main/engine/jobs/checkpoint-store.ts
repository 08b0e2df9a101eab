/**
 * Job checkpoints on disk: one folder per checkpoint holding `state.json`
 * and the task's extra files, under `sonotype-checkpoints/job-<id>/` next to
 * the project database. A checkpoint is written into a `.partial` folder and
 * renamed into place, so a crash mid-write never leaves a half checkpoint
 * that the database points to.
 */
import { writeFileDurably } from '../util/durable-write';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from '../store/database';
import { setJobCheckpointColumn } from '../store/jobs';
import type { CheckpointFiles, JsonValue, ResumePoint } from './task-context';

/** Folder (next to sonotype.db) that holds every job's checkpoints. */
export const CHECKPOINTS_FOLDER = 'sonotype-checkpoints';
const STATE_FILE = 'state.json';
const PARTIAL_SUFFIX = '.partial';

/** The folder where job `jobId` of the project at `dbPath` keeps its checkpoints. */
export function jobCheckpointDir(dbPath: string, jobId: number): string {
  return path.join(path.dirname(path.resolve(dbPath)), CHECKPOINTS_FOLDER, `job-${jobId}`);
}

/**
 * Writes checkpoint number `seq` into `jobDir` and returns its folder.
 * Files are flushed to disk before the folder is renamed into place.
 */
export function writeCheckpoint(jobDir: string, seq: number, state: JsonValue, files: CheckpointFiles = {}): string {
  const finalDir = path.join(jobDir, `checkpoint-${String(seq).padStart(6, '0')}`);
  const partialDir = finalDir + PARTIAL_SUFFIX;
  rmSync(partialDir, { recursive: true, force: true });
  mkdirSync(partialDir, { recursive: true });
  for (const name of Object.keys(files)) {
    if (name === STATE_FILE || name !== path.basename(name) || name.startsWith('.')) {
      throw new SonotypeError('INVALID_ARGUMENT', `Checkpoint file name "${name}" must be a plain file name other than ${STATE_FILE}.`);
    }
    writeFileDurably(path.join(partialDir, name), files[name]);
  }
  writeFileDurably(path.join(partialDir, STATE_FILE), JSON.stringify(state));
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(partialDir, finalDir);
  return finalDir;
}

/** Reads the checkpoint in `dir` written by job `jobId`. */
export function readCheckpoint(dir: string, jobId: number): ResumePoint {
  const stateFile = path.join(dir, STATE_FILE);
  if (!existsSync(stateFile)) {
    throw new SonotypeError('NOT_FOUND', `The checkpoint of job ${jobId} is missing (${dir}); the job cannot be resumed.`);
  }
  let state: JsonValue;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as JsonValue;
  } catch (cause) {
    throw new SonotypeError('INTERNAL', `The checkpoint of job ${jobId} is damaged (${stateFile}).`, { cause });
  }
  const files = readdirSync(dir).filter((name) => name !== STATE_FILE).sort();
  return { jobId, state, dir, files };
}

/** Removes every checkpoint of the job folder except `keepDir` (and unfinished writes). */
export function pruneCheckpoints(jobDir: string, keepDir: string | null): void {
  if (!existsSync(jobDir)) return;
  for (const name of readdirSync(jobDir)) {
    const full = path.join(jobDir, name);
    if (keepDir === null || path.resolve(full) !== path.resolve(keepDir)) rmSync(full, { recursive: true, force: true });
  }
  if (keepDir === null) rmSync(jobDir, { recursive: true, force: true });
}

/**
 * Records the job's latest checkpoint folder (or none). Stored relative to
 * the project folder so a moved project keeps its checkpoints. Unlike
 * store/jobs.ts updateJobProgress this does not change the job's state, so
 * it also works on queued and ended jobs.
 */
export function setJobCheckpointPath(db: ProjectDb, jobId: number, dir: string | null): void {
  setJobCheckpointColumn(db, jobId, dir === null ? null : toStoredPath(db.path, dir));
}

/** Absolute folder of a `checkpoint_path` column value. */
export function resolveCheckpointPath(dbPath: string, stored: string): string {
  return path.resolve(path.dirname(path.resolve(dbPath)), stored);
}

function toStoredPath(dbPath: string, dir: string): string {
  const projectDir = path.dirname(path.resolve(dbPath));
  const relative = path.relative(projectDir, path.resolve(dir));
  return relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(dir) : relative;
}
