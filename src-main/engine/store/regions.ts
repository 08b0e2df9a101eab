/**
 * Silence/sound regions derived from window predictions, in exact native samples.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { parseJsonColumn } from './json';

export type RegionKind = 'silence' | 'sound';

export interface NewRegion {
  kind: RegionKind;
  /** [start, end) in the recording's native sample rate. */
  startSample: number;
  endSample: number;
  /** Mean (or other summary) probability of the region, when known. */
  p?: number | null;
}

export interface StoredRegion extends NewRegion {
  id: number;
  recordingId: number;
  modelId: number | null;
  /** Threshold, smoothing, merge gap, minimum length … used to derive the region. */
  sourceParams: Record<string, unknown>;
  createdAt: number;
}

/**
 * Replaces the regions a model (null = a heuristic) derived for a recording.
 * Cluster assignments of the old regions are removed with them (cascade).
 */
export function replaceRegions(
  db: ProjectDb,
  target: { recordingId: number; modelId: number | null; sourceParams: Record<string, unknown> },
  regions: readonly NewRegion[],
): number[] {
  for (const r of regions) {
    if (!Number.isInteger(r.startSample) || !Number.isInteger(r.endSample) || r.startSample < 0 || r.endSample <= r.startSample) {
      throw new SonotypeError('INVALID_ARGUMENT', `Region [${r.startSample}, ${r.endSample}) is not a valid whole-sample range.`);
    }
  }
  const paramsJson = JSON.stringify(target.sourceParams);
  const now = Date.now();
  return db.transaction(() => {
    db.statement('DELETE FROM regions WHERE recording_id = ? AND model_id IS ?').run(target.recordingId, target.modelId);
    const insert = db.statement(
      `INSERT INTO regions (recording_id, model_id, kind, start_sample, end_sample, p, source_params_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return regions.map((r) =>
      Number(insert.run(target.recordingId, target.modelId, r.kind, r.startSample, r.endSample, r.p ?? null, paramsJson, now).lastInsertRowid),
    );
  });
}

/**
 * Like replaceRegions, but when the new regions have exactly the kinds and
 * bounds of the stored ones, only their probabilities and source are updated
 * in place, so region ids (and what hangs off them: cluster assignments, the
 * region a reviewer is on) survive a refresh that moved nothing.
 * Returns whether the regions' bounds or kinds changed.
 */
export function replaceRegionsIfChanged(
  db: ProjectDb,
  target: { recordingId: number; modelId: number | null; sourceParams: Record<string, unknown> },
  regions: readonly NewRegion[],
): boolean {
  return db.transaction(() => {
    const stored = db
      .statement('SELECT id, kind, start_sample, end_sample FROM regions WHERE recording_id = ? AND model_id IS ? ORDER BY start_sample, id')
      .all(target.recordingId, target.modelId) as { id: number; kind: RegionKind; start_sample: number; end_sample: number }[];
    const same =
      stored.length === regions.length &&
      stored.every((r, i) => r.kind === regions[i].kind && r.start_sample === regions[i].startSample && r.end_sample === regions[i].endSample);
    if (!same) {
      replaceRegions(db, target, regions);
      return true;
    }
    // created_at moves too: these are now the recording's newest derivation (the review queue shows the newest).
    const update = db.statement('UPDATE regions SET p = ?, source_params_json = ?, created_at = ? WHERE id = ?');
    const paramsJson = JSON.stringify(target.sourceParams);
    const now = Date.now();
    stored.forEach((r, i) => update.run(regions[i].p ?? null, paramsJson, now, r.id));
    return false;
  });
}

/** Regions of a recording in time order, optionally of one kind and/or one model. */
export function listRegions(db: ProjectDb, recordingId: number, filter: { kind?: RegionKind; modelId?: number | null } = {}): StoredRegion[] {
  const rows = db.statement('SELECT * FROM regions WHERE recording_id = ? ORDER BY start_sample, id').all(recordingId) as {
    id: number; recording_id: number; model_id: number | null; kind: RegionKind; start_sample: number; end_sample: number;
    p: number | null; source_params_json: string; created_at: number;
  }[];
  return rows
    .filter((r) => (filter.kind === undefined || r.kind === filter.kind) && (filter.modelId === undefined || r.model_id === filter.modelId))
    .map((r) => ({
      id: r.id, recordingId: r.recording_id, modelId: r.model_id, kind: r.kind, startSample: r.start_sample,
      endSample: r.end_sample, p: r.p, sourceParams: parseJsonColumn<Record<string, unknown>>(r.source_params_json, 'regions.source_params')!,
      createdAt: r.created_at,
    }));
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
