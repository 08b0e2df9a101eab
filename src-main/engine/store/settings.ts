/**
 * Typed project settings stored as key → JSON value.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { parseJsonColumn } from './json';

/** Settings of one project. */
export interface ProjectSettings {
  /** Rate all audio is resampled to before analysis, in Hz; unset = decide from the recordings. */
  analysisSampleRate?: number;
  /** Zero-based channel analysed in multi-channel files. */
  channel: number;
  /** Folder holding the recordings (absolute, or relative to the project folder). */
  audioRoot: string;
}

export type SettingKey = keyof ProjectSettings;

const validators: { [K in SettingKey]-?: (value: unknown) => string | null } = {
  analysisSampleRate: (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 1000 && v <= 768_000 ? null : 'a whole number of Hz between 1000 and 768000',
  channel: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 256 ? null : 'a channel number from 0 to 255'),
  audioRoot: (v) => (typeof v === 'string' && v.length > 0 ? null : 'a non-empty folder path'),
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
