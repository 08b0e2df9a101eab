/**
 * A run's distance matrix on disk, next to the project database
 * (`sonotype-clusters/run-<id>.f32`, float32 condensed, little-endian), so the
 * app can score cluster cohesion after edits without recomputing distances,
 * and its summary vectors (`run-<id>.summary.f32`) for the type head. Only
 * the current run's files are kept.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CLUSTER_FILES_FOLDER = 'sonotype-clusters';

export function runMatrixPath(projectDir: string, runId: number): string {
  return path.join(projectDir, CLUSTER_FILES_FOLDER, `run-${runId}.f32`);
}

/** The run's summary vectors (mean and std of each region's frames, n × dims), for the type head. */
export function runSummaryPath(projectDir: string, runId: number): string {
  return path.join(projectDir, CLUSTER_FILES_FOLDER, `run-${runId}.summary.f32`);
}

function writeAtomically(file: string, values: Float32Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  writeFileSync(partial, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  renameSync(partial, file);
}

/**
 * Writes the run's matrix and summary vectors (atomically: temporary files
 * renamed into place) and removes older runs' files.
 */
export function saveRunFiles(projectDir: string, runId: number, condensed: Float32Array, summaries: Float32Array | null): void {
  writeAtomically(runMatrixPath(projectDir, runId), condensed);
  if (summaries) writeAtomically(runSummaryPath(projectDir, runId), summaries);
  const folder = path.join(projectDir, CLUSTER_FILES_FOLDER);
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(`run-${runId}.`)) rmSync(path.join(folder, name), { force: true });
  }
}

/** The stored summary vectors of a run, or null. */
export function loadRunSummaries(projectDir: string, runId: number): Float32Array | null {
  return readFloats(runSummaryPath(projectDir, runId));
}

/** The stored matrix of a run, or null when it is missing (an older run, or removed). */
export function loadRunMatrix(projectDir: string, runId: number): Float32Array | null {
  return readFloats(runMatrixPath(projectDir, runId));
}

function readFloats(file: string): Float32Array | null {
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
