/**
 * Typed project settings stored as key → JSON value.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { parseJsonColumn } from './json';
import type { RateGroup } from '../../../src-shared/feature-types';
import { parseDisplayPreferences, type DisplayPreferences } from '../../../src-shared/display-types';
import type { WorkersSettings } from '../../../src-shared/workers-types';

/** Settings of one project. */
export interface ProjectSettings {
  /**
   * One rate every recording is resampled to before analysis, in Hz (`--analysis-rate`, and projects made
   * before rate groups). Unset = each recording is analysed at its rate group's rate (`rateGroups`).
   */
  analysisSampleRate?: number;
  /** Native rates → analysis rate, decided at the first scan and extended by later ones (features/rate-groups.ts). */
  rateGroups?: RateGroup[];
  /** Zero-based channel analysed in multi-channel files. */
  channel: number;
  /** Folder holding the recordings (absolute, or relative to the project folder). */
  audioRoot: string;
  /** Spectrogram display settings and listening gain chosen in the review view (src-shared/display-types.ts). */
  display?: DisplayPreferences;
  /** Where "Run on workers" sends detection: Redis URL, shared storage folder, shard length (src-shared/workers-types.ts). */
  workers?: WorkersSettings;
  /** Model id of the detection head whose regions the project shows (chosen by a retrain that scored better, or by the user). */
  activeDetectionHead?: number;
  /** Band the detector analyses, Hz (each end optional; unset = the detector's default for each recording's rate). */
  detectionBand?: { lowHz?: number; highHz?: number };
  /** Tonal mode: also detect faint narrow-band contours (whistles, up-calls) with the ridge tracker. Unset = off. */
  detectionTonal?: boolean;
}

export type SettingKey = keyof ProjectSettings;

const validators: { [K in SettingKey]-?: (value: unknown) => string | null } = {
  analysisSampleRate: (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 1000 && v <= 768_000 ? null : 'a whole number of Hz between 1000 and 768000',
  rateGroups: rateGroupsProblem,
  channel: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 256 ? null : 'a channel number from 0 to 255'),
  audioRoot: (v) => (typeof v === 'string' && v.length > 0 ? null : 'a non-empty folder path'),
  display: (v) => (parseDisplayPreferences(v) ? null : 'display preferences { spectrogram: { fftSize, window, overlapPercent }, playbackGainDb, removeDc }'),
  workers: (v) => {
    const w = v as Partial<WorkersSettings> | null;
    const ok = !!w && typeof w === 'object' && typeof w.redisUrl === 'string' && /^rediss?:\/\//i.test(w.redisUrl) &&
      (w.storage === null || typeof w.storage === 'string') && typeof w.shardMinutes === 'number' && w.shardMinutes > 0;
    return ok ? null : '{ redisUrl: "redis://…" or "rediss://…", storage: folder or null, shardMinutes > 0 }';
  },
  activeDetectionHead: (v) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? null : 'a model id (a whole number > 0)'),
  detectionBand: (v) => {
    const ok = (x: unknown) => x === undefined || (typeof x === 'number' && Number.isFinite(x) && x >= 0);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return '{ lowHz?, highHz? } in Hz';
    const b = v as { lowHz?: unknown; highHz?: unknown };
    if (!ok(b.lowHz) || !ok(b.highHz)) return '{ lowHz?, highHz? } with frequencies ≥ 0 Hz';
    if (typeof b.lowHz === 'number' && typeof b.highHz === 'number' && b.lowHz >= b.highHz) return 'a band whose lowHz is below its highHz';
    return null;
  },
  detectionTonal: (v) => (typeof v === 'boolean' ? null : 'true or false'),
};

/** The stored value of `key`, or undefined when it was never set (or holds an invalid value). */
export function getSetting<K extends SettingKey>(db: ProjectDb, key: K): ProjectSettings[K] | undefined {
  const row = db.statement('SELECT value_json FROM project_settings WHERE key = ?').get(key) as { value_json: string } | undefined;
  if (!row) return undefined;
  const value = parseJsonColumn<unknown>(row.value_json, `setting "${key}"`);
  // A hand-edited or damaged value is ignored rather than fed to the analysis.
  return validators[key](value) === null ? (value as ProjectSettings[K]) : undefined;
}

/** Stores `value` for `key` after checking it; INVALID_ARGUMENT names what is expected. */
export function setSetting<K extends SettingKey>(db: ProjectDb, key: K, value: ProjectSettings[K]): void {
  const validate = validators[key] as ((value: unknown) => string | null) | undefined;
  if (!validate) throw new SonotypeError('INVALID_ARGUMENT', `Unknown project setting "${String(key)}".`);
  const problem = validate(value);
  if (problem) throw new SonotypeError('INVALID_ARGUMENT', `Project setting "${key}" must be ${problem} (got ${JSON.stringify(value)}).`);
  db.transaction(() =>
    db
      .statement(
        `INSERT INTO project_settings (key, value_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(value), Date.now()),
  );
}

/** Removes a setting so it falls back to its default. */
export function clearSetting(db: ProjectDb, key: SettingKey): void {
  db.transaction(() => db.statement('DELETE FROM project_settings WHERE key = ?').run(key));
}

/** Every valid stored setting. */
export function getAllSettings(db: ProjectDb): Partial<ProjectSettings> {
  const settings: Partial<ProjectSettings> = {};
  for (const key of Object.keys(validators) as SettingKey[]) {
    const value = getSetting(db, key);
    if (value !== undefined) (settings as Record<string, unknown>)[key] = value;
  }
  return settings;
}

/** A stored rate-group list must be non-empty, with analysable rates and each native rate in one group. */
function rateGroupsProblem(value: unknown): string | null {
  const expected = 'a non-empty list of { analysisSampleRate (1000–1536000 Hz), nativeRates } with each native rate in one group';
  if (!Array.isArray(value) || value.length === 0) return expected;
  const seen = new Set<number>();
  for (const g of value) {
    if (!g || typeof g !== 'object') return expected;
    const { analysisSampleRate: a, nativeRates: n } = g as Record<string, unknown>;
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 1000 || a > 1_536_000) return expected;
    if (!Array.isArray(n) || n.length === 0) return expected;
    for (const r of n) {
      if (typeof r !== 'number' || !Number.isInteger(r) || r <= 0 || seen.has(r)) return expected;
      seen.add(r);
    }
  }
  return null;
}
