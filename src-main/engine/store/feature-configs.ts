/**
 * Feature configurations, stored once each and referenced by id from windows
 * and models, so everything computed records exactly how it was computed.
 */
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { canonicalJson, parseJsonColumn } from './json';

export interface StoredFeatureConfig {
  id: number;
  config: FeatureConfig;
  createdAt: number;
}

/**
 * Id of the stored row for `config`, inserting it if new. Two configs with
 * the same fields (in any key order) share one row.
 */
export function ensureFeatureConfig(db: ProjectDb, config: FeatureConfig): number {
  if (!Number.isInteger(config.version)) {
    throw new SonotypeError('INVALID_ARGUMENT', 'Feature config has no valid version number.');
  }
  const key = canonicalJson(config);
  return db.transaction(() => {
    db.statement(
      `INSERT INTO feature_configs (canonical_key, config_json, version, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (canonical_key) DO NOTHING`,
    ).run(key, key, config.version, Date.now());
    const row = db.statement('SELECT id FROM feature_configs WHERE canonical_key = ?').get(key) as { id: number };
    return row.id;
  });
}

/** The stored config with this id, or undefined. */
export function getFeatureConfig(db: ProjectDb, id: number): StoredFeatureConfig | undefined {
  const row = db.statement('SELECT id, config_json, created_at FROM feature_configs WHERE id = ?').get(id) as
    | { id: number; config_json: string; created_at: number }
    | undefined;
  if (!row) return undefined;
  return { id: row.id, config: parseJsonColumn<FeatureConfig>(row.config_json, 'feature_configs')!, createdAt: row.created_at };
}

/** All stored configs, oldest first. */
export function listFeatureConfigs(db: ProjectDb): StoredFeatureConfig[] {
  const rows = db.statement('SELECT id FROM feature_configs ORDER BY id').all() as { id: number }[];
  return rows.map((row) => getFeatureConfig(db, row.id)!);
}
