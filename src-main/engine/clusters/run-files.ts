/**
 * A run's distance matrix on disk, next to the project database
 * (`sonotype-clusters/run-<id>.f32`, float32 condensed, little-endian), so the
 * app can score cluster cohesion and split clusters after edits without
 * recomputing distances. Only the current run's matrix is kept.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CLUSTER_FILES_FOLDER = 'sonotype-clusters';

export function runMatrixPath(projectDir: string, runId: number): string {
  return path.join(projectDir, CLUSTER_FILES_FOLDER, `run-${runId}.f32`);
}

/** Writes the matrix (atomically: a temporary file renamed into place) and removes older runs' matrices. */
export function saveRunMatrix(projectDir: string, runId: number, condensed: Float32Array): void {
  const file = runMatrixPath(projectDir, runId);
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  writeFileSync(partial, new Uint8Array(condensed.buffer, condensed.byteOffset, condensed.byteLength));
  renameSync(partial, file);
  for (const name of readdirSync(path.dirname(file))) {
    if (name !== path.basename(file)) rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

/** The stored matrix of a run, or null when it is missing (an older run, or removed). */
export function loadRunMatrix(projectDir: string, runId: number): Float32Array | null {
  const file = runMatrixPath(projectDir, runId);
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
