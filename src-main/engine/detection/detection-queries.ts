/**
 * Small read queries the detection orchestration needs and the store does not
 * offer as repositories (which windows still lack an embedding or a
 * prediction, when human labels last changed, which head belongs to which
 * encoder).
 */
import type { ProjectDb } from '../store/database';
import { listModels, type StoredModel } from '../store/models';

export const SILENCE_HEAD_KIND = 'silence-head';

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

/** Number of windows of a recording that have a prediction from head `modelId`. */
export function countPredictions(db: ProjectDb, modelId: number, recordingId: number, featureConfigId: number): number {
  const row = db
    .statement(
      `SELECT count(*) AS n FROM silence_predictions s JOIN windows w ON w.id = s.window_id
       WHERE s.model_id = ? AND w.recording_id = ? AND w.feature_config_id = ?`,
    )
    .get(modelId, recordingId, featureConfigId) as { n: number };
  return row.n;
}

/** When a human (or imported, non-reference) label was last created, edited or deleted (ms since epoch), or null when there are none. */
export function lastHumanLabelChange(db: ProjectDb): number | null {
  const row = db.statement(`SELECT max(updated_at) AS t FROM labels WHERE source IN ('human', 'imported') AND reference = 0`).get() as { t: number | null };
  return row.t;
}

/** Silence heads trained on `encoderId`'s embeddings (all heads when null), newest first. */
export function listSilenceHeads(db: ProjectDb, encoderId: number | null = null): StoredModel[] {
  return listModels(db, SILENCE_HEAD_KIND).filter((m) => encoderId === null || m.parentModelId === encoderId);
}

/**
 * Drops the per-window predictions of heads other than `keep` (the new head
 * and the one before it, for before/after comparisons), so a project that is
 * retrained often does not grow by one prediction per window each time.
 */
export function pruneHeadPredictions(db: ProjectDb, keep: readonly number[]): number {
  const heads = listModels(db, SILENCE_HEAD_KIND).filter((m) => !keep.includes(m.id));
  return db.transaction(() => {
    let removed = 0;
    const del = db.statement('DELETE FROM silence_predictions WHERE model_id = ?');
    for (const h of heads) removed += del.run(h.id).changes;
    return removed;
  });
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

/** Windows of a recording that have an embedding from `modelId`, in window order, with the vectors packed row-major. */
export interface WindowEmbeddings {
  windowIds: Int32Array;
  startNativeSample: Float64Array;
  endNativeSample: Float64Array;
  dims: number;
  data: Float32Array;
}

/**
 * One query for everything the head needs of a recording's windows. Raw rows
 * (arrays, not objects) keep 100,000 windows well under a second; the
 * statement text is private to this function, so switching it to raw mode
 * affects no other caller of the statement cache.
 */
export function loadWindowEmbeddings(db: ProjectDb, modelId: number, recordingId: number, featureConfigId: number): WindowEmbeddings {
  const rows = db
    .statement(
      `SELECT w.id, w.start_native_sample, w.end_native_sample, e.vector /* detection: raw */
       FROM windows w JOIN embeddings e ON e.window_id = w.id AND e.model_id = ?
       WHERE w.recording_id = ? AND w.feature_config_id = ? ORDER BY w.window_index`,
    )
    .raw(true)
    .all(modelId, recordingId, featureConfigId) as [number, number, number, Buffer][];
  const dims = rows.length ? rows[0][3].byteLength / 4 : 0;
  const out: WindowEmbeddings = {
    windowIds: new Int32Array(rows.length),
    startNativeSample: new Float64Array(rows.length),
    endNativeSample: new Float64Array(rows.length),
    dims,
    data: new Float32Array(rows.length * dims),
  };
  const bytes = new Uint8Array(out.data.buffer);
  rows.forEach(([id, start, end, vector], i) => {
    out.windowIds[i] = id;
    out.startNativeSample[i] = start;
    out.endNativeSample[i] = end;
    bytes.set(vector, i * dims * 4);
  });
  return out;
}

/** End of the last window of each recording under a feature config: its length in native samples as decoded. */
export function deliveredFramesByRecording(db: ProjectDb, featureConfigId: number): Map<number, number> {
  const rows = db
    .statement('SELECT recording_id AS id, max(end_native_sample) AS frames FROM windows WHERE feature_config_id = ? GROUP BY recording_id')
    .all(featureConfigId) as { id: number; frames: number }[];
  return new Map(rows.map((r) => [r.id, r.frames]));
}
