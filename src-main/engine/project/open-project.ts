/**
 * A project is a folder the user chose plus `sonotype.db` inside it. The
 * recordings may live in that folder (default) or elsewhere (`audioRoot`);
 * paths in the database are relative to the audio root so a whole project can
 * be moved.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { openProjectDb, projectDbPath, PROJECT_DB_FILENAME, type ProjectDb } from '../store/database';
import { getSetting, setSetting } from '../store/settings';
import { defaultFeatureConfig } from '../features';

export interface Project {
  /** Absolute project folder. */
  readonly dir: string;
  /** Absolute folder the recordings are scanned from. */
  readonly audioRoot: string;
  readonly db: ProjectDb;
  /** The feature configuration of this project, or null before the first scan decided the analysis rate. */
  featureConfig(): FeatureConfig | null;
  /** Absolute path of a recording stored under `relPath`. */
  resolveRecordingPath(relPath: string): string;
  close(): void;
}

export interface OpenProjectOptions {
  /** Folder of recordings; stored in the project. Defaults to the stored one, else the project folder. */
  audioRoot?: string;
  /** Channel to analyse in multi-channel files; stored in the project (default 0). */
  channel?: number;
  /** Analysis rate in Hz; stored in the project. Default: chosen from the recordings at the first scan. */
  analysisSampleRate?: number;
  /**
   * Mark jobs left 'running' as interrupted (default true). Job workers pass
   * false: their own job is running, it did not crash.
   */
  recoverInterruptedJobs?: boolean;
}

/** Opens (creating if needed) the project in `dir`. */
export async function openProject(dir: string, options: OpenProjectOptions = {}): Promise<Project> {
  const projectDir = resolve(dir);
  if (existsSync(projectDir) && !statSync(projectDir).isDirectory()) {
    throw new SonotypeError('INVALID_ARGUMENT', `${projectDir} is a file, not a folder.`);
  }
  if (!existsSync(projectDir)) {
    if (!options.audioRoot) throw new SonotypeError('NOT_FOUND', `Folder not found: ${projectDir}`);
    // `scan <folder> --project <new dir>` creates the project folder.
    mkdirSync(projectDir, { recursive: true });
  }
  const db = openProjectDb(projectDbPath(projectDir), { recoverInterruptedJobs: options.recoverInterruptedJobs ?? true });
  try {
    if (options.audioRoot) setSetting(db, 'audioRoot', storedRootPath(projectDir, resolve(options.audioRoot)));
    if (options.channel !== undefined) setSetting(db, 'channel', options.channel);
    if (options.analysisSampleRate !== undefined) setSetting(db, 'analysisSampleRate', options.analysisSampleRate);
    const storedRoot = getSetting(db, 'audioRoot') ?? '.';
    const audioRoot = isAbsolute(storedRoot) ? storedRoot : resolve(projectDir, storedRoot);
    return {
      dir: projectDir,
      audioRoot,
      db,
      featureConfig: () => projectFeatureConfig(db),
      resolveRecordingPath: (relPath) => join(audioRoot, ...relPath.split('/')),
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The project's feature config: defaults at its analysis rate, with its channel. */
export function projectFeatureConfig(db: ProjectDb): FeatureConfig | null {
  const rate = getSetting(db, 'analysisSampleRate');
  if (!rate) return null;
  return defaultFeatureConfig(rate, { channel: getSetting(db, 'channel') ?? 0 });
}

/** Keeps the audio root relative when it is inside the project, so the project can be moved as a whole. */
function storedRootPath(projectDir: string, audioRoot: string): string {
  const rel = relative(projectDir, audioRoot);
  const inside = rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  return inside ? (rel === '' ? '.' : rel.split(sep).join('/')) : audioRoot;
}

/** The nearest folder at or above `file` holding a sonotype.db, or null. */
export async function findProjectFor(file: string): Promise<string | null> {
  let dir = dirname(resolve(file));
  for (;;) {
    if (existsSync(join(dir, PROJECT_DB_FILENAME))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
