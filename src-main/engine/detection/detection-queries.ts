/**
 * Small read queries the detection orchestration needs and the store does not
 * offer as repositories (which windows still lack an embedding, when human
 * labels last changed, the settings stored with a head's regions).
 */
import type { ProjectDb } from '../store/database';

/** Ids of the windows of a recording (under a feature config) that have no embedding from `modelId`. */
export function windowsWithoutEmbedding(db: ProjectDb, modelId: number, recordingId: number, featureConfigId: number): Set<number> {
  const rows = db
    .statement(
      `SELECT w.id FROM windows w
       WHERE w.recording_id = ? AND w.feature_config_id = ?
         AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model_id = ? AND e.window_id = w.id)`,
    )
    .all(recordingId, featureConfigId, modelId) as { id: number }[];
  return new Set(rows.map((r) => r.id));
}

/** When a human (or imported, non-reference) label was last created, edited or deleted (ms since epoch), or null when there are none. */
export function lastHumanLabelChange(db: ProjectDb): number | null {
  const row = db.statement(`SELECT max(updated_at) AS t FROM labels WHERE source IN ('human', 'imported') AND reference = 0`).get() as { t: number | null };
  return row.t;
}

/** The source_params stored with regions of head `headId` (any recording), or null when it has none. */
export function regionSourceParamsOf(db: ProjectDb, headId: number): Record<string, unknown> | null {
  const row = db.statement('SELECT source_params_json FROM regions WHERE model_id = ? ORDER BY id DESC LIMIT 1').get(headId) as
    | { source_params_json: string }
    | undefined;
  if (!row) return null;
  try {
    const value = JSON.parse(row.source_params_json) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
