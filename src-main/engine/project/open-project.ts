/**
 * A project is a folder the user chose plus `sonotype.db` inside it. The
 * recordings may live in that folder (default) or elsewhere (`audioRoot`);
 * paths in the database are relative to the audio root so a whole project can
 * be moved.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FeatureConfig, RateGroup } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { repairModelRecords } from '../store/model-folders';
import { openProjectDb, projectDbPath, PROJECT_DB_FILENAME, type ProjectDb } from '../store/database';
import { clearSetting, getSetting, setSetting } from '../store/settings';
import { listNativeRates } from '../store/recordings';
import { defaultFeatureConfig } from '../features';
import { analysisRateFor } from '../features/rate-groups';

export interface Project {
  /** Absolute project folder. */
  readonly dir: string;
  /** Absolute folder the recordings are scanned from. */
  readonly audioRoot: string;
  readonly db: ProjectDb;
  /**
   * The feature configuration of the project's main rate group (the one holding most recordings), or null
   * before the first scan. A mixed-rate folder has several: analyse a recording with `featureConfigFor`.
   */
  featureConfig(): FeatureConfig | null;
  /**
   * The feature configuration a recording at `nativeRate` is analysed with: the defaults at its rate
   * group's analysis rate (features/rate-groups.ts), or at the forced project rate when one is set.
   */
  featureConfigFor(nativeRate: number): FeatureConfig;
  /** Native rates → analysis rate ([] before the first scan; one group when a single rate is forced). */
  rateGroups(): RateGroup[];
  /** Absolute path of a recording stored under `relPath`. */
  resolveRecordingPath(relPath: string): string;
  close(): void;
}

export interface OpenProjectOptions {
  /** Folder of recordings; stored in the project. Defaults to the stored one, else the project folder. */
  audioRoot?: string;
  /** Channel to analyse in multi-channel files; stored in the project (default 0). */
  channel?: number;
  /**
   * One analysis rate in Hz for every recording; stored in the project. 'auto' removes a stored one.
   * Default: rate groups chosen from the recordings at each scan (a 2 kHz file is not upsampled to 48 kHz).
   */
  analysisSampleRate?: number | 'auto';
  /**
   * Mark jobs left 'running' as interrupted (default true). Job workers pass
   * false: their own job is running, it did not crash.
   */
  recoverInterruptedJobs?: boolean;
}

/**
 * Drops model records left without files by a crash in an older version (see
 * store/model-folders.ts). A repair that cannot run (read-only project…) must not
 * stop the project from opening: detection then reports the missing model.
 */
function repairModelsQuietly(projectDir: string, db: ProjectDb): void {
  try {
    repairModelRecords(projectDir, db);
  } catch {
    // Opening matters more; the next open tries again.
  }
}

/**
 * The project around an open connection to its database: paths resolved from
 * the stored audio root, feature settings read from the database on each call.
 * Job workers build theirs on their own connection (jobs/tasks/task-project.ts).
 */
export function projectOn(projectDir: string, db: ProjectDb): Omit<Project, 'close'> {
  const storedRoot = getSetting(db, 'audioRoot') ?? '.';
  const audioRoot = isAbsolute(storedRoot) ? storedRoot : resolve(projectDir, storedRoot);
  return {
    dir: projectDir,
    audioRoot,
    db,
    featureConfig: () => projectFeatureConfig(db),
    featureConfigFor: (nativeRate) => projectFeatureConfigFor(db, nativeRate),
    rateGroups: () => projectRateGroups(db),
    resolveRecordingPath: (relPath) => join(audioRoot, ...relPath.split('/')),
  };
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
    if (options.analysisSampleRate === 'auto') clearSetting(db, 'analysisSampleRate');
    else if (options.analysisSampleRate !== undefined) setSetting(db, 'analysisSampleRate', options.analysisSampleRate);
    repairModelsQuietly(projectDir, db);
    return { ...projectOn(projectDir, db), close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The project's rate groups: the forced rate as one group, else the stored groups ([] before the first scan). */
export function projectRateGroups(db: ProjectDb): RateGroup[] {
  const forced = getSetting(db, 'analysisSampleRate');
  if (forced) {
    const natives = [...new Set(listNativeRates(db))].sort((a, b) => a - b);
    return [{ analysisSampleRate: forced, nativeRates: natives }];
  }
  return getSetting(db, 'rateGroups') ?? [];
}

/** The feature config of a recording at `nativeRate`: defaults at its analysis rate, with the project's channel. */
export function projectFeatureConfigFor(db: ProjectDb, nativeRate: number): FeatureConfig {
  const rate = getSetting(db, 'analysisSampleRate') ?? analysisRateFor(nativeRate, getSetting(db, 'rateGroups') ?? []);
  return defaultFeatureConfig(rate, { channel: getSetting(db, 'channel') ?? 0 });
}

/**
 * The feature config of the main rate group: the forced rate, else the group holding the most
 * readable recordings (ties → the higher rate); null before the first scan.
 */
export function projectFeatureConfig(db: ProjectDb): FeatureConfig | null {
  const channel = getSetting(db, 'channel') ?? 0;
  const forced = getSetting(db, 'analysisSampleRate');
  if (forced) return defaultFeatureConfig(forced, { channel });
  const groups = getSetting(db, 'rateGroups');
  if (!groups) return null;
  const counts = new Map<number, number>();
  for (const native of listNativeRates(db)) {
    const rate = analysisRateFor(native, groups);
    counts.set(rate, (counts.get(rate) ?? 0) + 1);
  }
  let main = groups[0].analysisSampleRate;
  for (const g of groups) {
    const n = counts.get(g.analysisSampleRate) ?? 0;
    const best = counts.get(main) ?? 0;
    if (n > best || (n === best && g.analysisSampleRate > main)) main = g.analysisSampleRate;
  }
  return defaultFeatureConfig(main, { channel });
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
