/**
 * Frame-level detection data: each recording's per-frame features (cached so a
 * second detect decodes nothing), each detection head's per-frame silence
 * probabilities (cached so a correction or a settings change redraws regions
 * without any model), and small model payloads stored as JSON.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { parseJsonColumn } from './json';

export interface FrameFeatureRecord {
  recordingId: number;
  analysisKey: string;
  /** The file version the features were computed from (hash, or size + mtime). */
  contentKey: string;
  analysis: Record<string, unknown>;
  frames: number;
  nativeFrames: number;
  dims: number;
  noiseFloorDb: number | null;
  /** frames × dims, row-major. */
  data: Float32Array;
}

function floatBlob(data: Float32Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function blobFloats(blob: Buffer): Float32Array {
  // Copy: the Buffer may not be 4-byte aligned inside Node's pool.
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/** Stores (or replaces) the features of a recording under one frame analysis. */
export function putFrameFeatures(db: ProjectDb, r: FrameFeatureRecord): void {
  if (r.data.length !== r.frames * r.dims) {
    throw new SonotypeError('INVALID_ARGUMENT', `Frame features hold ${r.data.length} values, expected ${r.frames} × ${r.dims}.`);
  }
  db.transaction(() =>
    db
      .statement(
        `INSERT INTO frame_features (recording_id, analysis_key, content_key, analysis_json, frames, native_frames, dims, noise_floor_db, data, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (recording_id, analysis_key) DO UPDATE SET content_key = excluded.content_key, analysis_json = excluded.analysis_json,
           frames = excluded.frames, native_frames = excluded.native_frames, dims = excluded.dims,
           noise_floor_db = excluded.noise_floor_db, data = excluded.data, created_at = excluded.created_at`,
      )
      .run(r.recordingId, r.analysisKey, r.contentKey, JSON.stringify(r.analysis), r.frames, r.nativeFrames, r.dims, r.noiseFloorDb, floatBlob(r.data), Date.now()),
  );
}

interface FeatureRow {
  recording_id: number;
  analysis_key: string;
  content_key: string;
  analysis_json: string;
  frames: number;
  native_frames: number;
  dims: number;
  noise_floor_db: number | null;
  data: Buffer;
}

/** The stored features of a recording under an analysis, or null. */
export function getFrameFeatures(db: ProjectDb, recordingId: number, analysisKey: string): FrameFeatureRecord | null {
  const row = db.statement('SELECT * FROM frame_features WHERE recording_id = ? AND analysis_key = ?').get(recordingId, analysisKey) as FeatureRow | undefined;
  if (!row) return null;
  return {
    recordingId: row.recording_id, analysisKey: row.analysis_key, contentKey: row.content_key,
    analysis: parseJsonColumn<Record<string, unknown>>(row.analysis_json, 'frame_features.analysis')!,
    frames: row.frames, nativeFrames: row.native_frames, dims: row.dims, noiseFloorDb: row.noise_floor_db, data: blobFloats(row.data),
  };
}

/** What is stored for a recording's features, without loading them (null when none). */
export function frameFeaturesInfo(
  db: ProjectDb,
  recordingId: number,
  analysisKey: string,
): { contentKey: string; frames: number; nativeFrames: number; createdAt: number } | null {
  const row = db
    .statement('SELECT content_key, frames, native_frames, created_at FROM frame_features WHERE recording_id = ? AND analysis_key = ?')
    .get(recordingId, analysisKey) as { content_key: string; frames: number; native_frames: number; created_at: number } | undefined;
  return row ? { contentKey: row.content_key, frames: row.frames, nativeFrames: row.native_frames, createdAt: row.created_at } : null;
}

/** Stores a head's per-frame silence probabilities for a recording. */
export function putFrameProbabilities(db: ProjectDb, modelId: number, recordingId: number, analysisKey: string, pSilence: Float32Array): void {
  db.transaction(() =>
    db
      .statement(
        `INSERT INTO frame_probabilities (model_id, recording_id, analysis_key, frames, data, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (model_id, recording_id) DO UPDATE SET analysis_key = excluded.analysis_key, frames = excluded.frames,
           data = excluded.data, created_at = excluded.created_at`,
      )
      .run(modelId, recordingId, analysisKey, pSilence.length, floatBlob(pSilence), Date.now()),
  );
}

/** A head's stored per-frame silence probabilities for a recording (null when none, or made under another analysis). */
export function getFrameProbabilities(db: ProjectDb, modelId: number, recordingId: number, analysisKey?: string): Float32Array | null {
  const row = db.statement('SELECT analysis_key, data FROM frame_probabilities WHERE model_id = ? AND recording_id = ?').get(modelId, recordingId) as
    | { analysis_key: string; data: Buffer }
    | undefined;
  if (!row || (analysisKey !== undefined && row.analysis_key !== analysisKey)) return null;
  return blobFloats(row.data);
}

/** Drops stored probabilities of every head not in `keep` (a project retrained often does not grow without bound). */
export function pruneFrameProbabilities(db: ProjectDb, keep: readonly number[]): number {
  return db.transaction(() => {
    const rows = db.statement('SELECT DISTINCT model_id AS id FROM frame_probabilities').all() as { id: number }[];
    let removed = 0;
    for (const { id } of rows) if (!keep.includes(id)) removed += db.statement('DELETE FROM frame_probabilities WHERE model_id = ?').run(id).changes;
    return removed;
  });
}

/** Stores a model's JSON payload (e.g. a detection head's trees). */
export function putModelPayload(db: ProjectDb, modelId: number, format: string, payload: unknown): void {
  db.transaction(() =>
    db
      .statement(
        `INSERT INTO model_payloads (model_id, format, payload_json) VALUES (?, ?, ?)
         ON CONFLICT (model_id) DO UPDATE SET format = excluded.format, payload_json = excluded.payload_json`,
      )
      .run(modelId, format, JSON.stringify(payload)),
  );
}

/** A model's payload, or null when it has none. */
export function getModelPayload(db: ProjectDb, modelId: number): { format: string; payload: unknown } | null {
  const row = db.statement('SELECT format, payload_json FROM model_payloads WHERE model_id = ?').get(modelId) as
    | { format: string; payload_json: string }
    | undefined;
  return row ? { format: row.format, payload: parseJsonColumn<unknown>(row.payload_json, 'model_payloads.payload') } : null;
}

/** Ids of the models whose weights are stored in the database (model_payloads). */
export function modelIdsWithPayload(db: ProjectDb): Set<number> {
  return new Set((db.statement('SELECT model_id FROM model_payloads').all() as { model_id: number }[]).map((r) => r.model_id));
}
