/**
 * Window embeddings as float32 BLOBs (little-endian, the byte order of every
 * platform Electron ships on), read back as Float32Array views without copying.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';

export interface EmbeddingRow {
  windowId: number;
  vector: Float32Array;
}

/** Stores (or replaces) embeddings of windows under a model, in one transaction. */
export function putEmbeddings(db: ProjectDb, modelId: number, rows: readonly EmbeddingRow[]): void {
  if (rows.length === 0) return;
  const dims = rows[0].vector.length;
  for (const row of rows) {
    if (row.vector.length === 0 || row.vector.length !== dims) {
      throw new SonotypeError('INVALID_ARGUMENT', `Embeddings must all have the same, non-zero length (got ${row.vector.length} and ${dims}).`);
    }
  }
  db.transaction(() => {
    const stored = db.statement('SELECT dims FROM embeddings WHERE model_id = ? LIMIT 1').get(modelId) as { dims: number } | undefined;
    if (stored && stored.dims !== dims) {
      throw new SonotypeError('INVALID_ARGUMENT', `Model ${modelId} has ${stored.dims}-dimensional embeddings; cannot add ${dims}-dimensional ones.`);
    }
    const insert = db.statement('INSERT OR REPLACE INTO embeddings (model_id, window_id, dims, vector) VALUES (?, ?, ?, ?)');
    for (const row of rows) {
      const v = row.vector;
      insert.run(modelId, row.windowId, dims, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    }
  });
}

/**
 * Embeddings of a model, ordered by recording and window index; optionally
 * only those of one recording or of the given window ids.
 */
export function getEmbeddings(db: ProjectDb, modelId: number, filter: { recordingId?: number; windowIds?: readonly number[] } = {}): EmbeddingRow[] {
  let rows: { window_id: number; vector: Buffer }[];
  if (filter.windowIds) {
    const byId = db.statement('SELECT window_id, vector FROM embeddings WHERE model_id = ? AND window_id = ?');
    rows = filter.windowIds.flatMap((id) => (byId.get(modelId, id) as { window_id: number; vector: Buffer } | undefined) ?? []);
  } else if (filter.recordingId !== undefined) {
    rows = db
      .statement(
        `SELECT e.window_id, e.vector FROM embeddings e JOIN windows w ON w.id = e.window_id
         WHERE e.model_id = ? AND w.recording_id = ? ORDER BY w.window_index`,
      )
      .all(modelId, filter.recordingId) as typeof rows;
  } else {
    rows = db
      .statement(
        `SELECT e.window_id, e.vector FROM embeddings e JOIN windows w ON w.id = e.window_id
         WHERE e.model_id = ? ORDER BY w.recording_id, w.window_index`,
      )
      .all(modelId) as typeof rows;
  }
  return rows.map((row) => ({ windowId: row.window_id, vector: float32View(row.vector) }));
}

/** All embeddings of a model packed row-major into one matrix (for clustering). */
export function getEmbeddingMatrix(db: ProjectDb, modelId: number, filter: { recordingId?: number } = {}): {
  windowIds: number[];
  dims: number;
  data: Float32Array;
} {
  const rows = getEmbeddings(db, modelId, filter);
  const dims = rows.length > 0 ? rows[0].vector.length : 0;
  const data = new Float32Array(rows.length * dims);
  rows.forEach((row, i) => data.set(row.vector, i * dims));
  return { windowIds: rows.map((row) => row.windowId), dims, data };
}

/** Views the BLOB's bytes as float32; copies only if the bytes are not 4-byte aligned. */
function float32View(bytes: Buffer): Float32Array {
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const copy = new Uint8Array(bytes);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

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
