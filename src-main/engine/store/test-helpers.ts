/**
 * Temporary project databases for the store's tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openProjectDb, projectDbPath, type ProjectDb } from './database';
import type { ScannedRecordingInput } from './recordings';

export interface TempProject {
  dir: string;
  dbPath: string;
  db: ProjectDb;
  /** Closes and opens the database again (simulates an app restart). */
  reopen(): ProjectDb;
  cleanup(): void;
}

/** A fresh project folder with an opened database. */
export function createTempProject(prefix = 'sonotype-store-'): TempProject {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const dbPath = projectDbPath(dir);
  const project: TempProject = {
    dir,
    dbPath,
    db: openProjectDb(dbPath),
    reopen() {
      project.db.close();
      project.db = openProjectDb(dbPath);
      return project.db;
    },
    cleanup() {
      project.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return project;
}

/** A plausible scanned WAV file; override any field. */
export function scannedWav(relPath: string, overrides: Partial<ScannedRecordingInput> = {}): ScannedRecordingInput {
  return {
    relPath,
    sizeBytes: 1_000_044,
    mtimeMs: 1_700_000_000_000.5,
    hash: `hash-of-${relPath}`,
    status: 'ok',
    info: { sampleRate: 48_000, channels: 1, frames: 500_000, durationSeconds: 500_000 / 48_000, codec: 'pcm_s16le', container: 'wav', bitsPerSample: 16 },
    ...overrides,
  };
}
