/**
 * Sound-type clusters and clustering runs.
 *
 * - A sound cluster is an identity that outlives runs: its id and name
 *   (a sound type once a person names it; "C<id>" before) are carried onto
 *   the clusters of every new run by best overlap, so renaming and merging
 *   never mint new ids (DeepSqueak #246).
 * - A run stores what it clustered (members: time spans of recordings, not
 *   region ids, which each detection replaces), its dendrogram and distance
 *   quantiles (so the cut moves without recomputing distances), and its
 *   settings. The newest run is `current`; the app shows and edits it.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { parseJsonColumn } from './json';

export interface NewClusterMember {
  recordingId: number;
  startSample: number;
  endSample: number;
}

export interface NewClusterRun {
  algorithm: string;
  modelId: number | null;
  /** Everything that produced the run (representation, distance, linkage, cut, timings). */
  params: Record<string, unknown>;
  members: readonly NewClusterMember[];
  /** Linkage matrix rows (left, right, height, size) as float64, n − 1 rows. */
  tree: Float64Array;
  /** Distance quantiles at 0, 0.001, …, 1 (1001 values; Infinity = above the ceiling). */
  quantiles: Float64Array;
  cut: Record<string, unknown>;
}

export interface StoredClusterRun {
  id: number;
  algorithm: string;
  modelId: number | null;
  params: Record<string, unknown>;
  itemCount: number;
  cut: Record<string, unknown> | null;
  current: boolean;
  createdAt: number;
}

export interface StoredClusterMember extends NewClusterMember {
  id: number;
  runId: number;
  itemIndex: number;
  clusterId: number | null;
  x: number | null;
  y: number | null;
  predictedType: string | null;
  confidence: number | null;
}

export interface SoundClusterState {
  id: number;
  name: string;
  named: boolean;
  noise: boolean;
  retired: boolean;
}

export interface StoredSoundCluster extends SoundClusterState {
  createdAt: number;
}

interface RunRow {
  id: number; algorithm: string; model_id: number | null; params_json: string; created_at: number;
  item_count: number; cut_json: string | null; current: number;
}
interface MemberRow {
  id: number; run_id: number; item_index: number; recording_id: number; start_sample: number; end_sample: number;
  cluster_id: number | null; x: number | null; y: number | null; predicted_type: string | null; confidence: number | null;
}
interface ClusterRow { id: number; name: string; named: number; noise: number; retired: number; created_at: number }

const toRun = (r: RunRow): StoredClusterRun => ({
  id: r.id, algorithm: r.algorithm, modelId: r.model_id, itemCount: r.item_count, createdAt: r.created_at, current: r.current === 1,
  params: parseJsonColumn<Record<string, unknown>>(r.params_json, 'cluster_runs.params')!,
  cut: parseJsonColumn<Record<string, unknown>>(r.cut_json, 'cluster_runs.cut'),
});
const toMember = (r: MemberRow): StoredClusterMember => ({
  id: r.id, runId: r.run_id, itemIndex: r.item_index, recordingId: r.recording_id, startSample: r.start_sample, endSample: r.end_sample,
  clusterId: r.cluster_id, x: r.x, y: r.y, predictedType: r.predicted_type, confidence: r.confidence,
});
const toCluster = (r: ClusterRow): StoredSoundCluster => ({
  id: r.id, name: r.name, named: r.named === 1, noise: r.noise === 1, retired: r.retired === 1, createdAt: r.created_at,
});

/** Stores a run and its members (no cluster yet), makes it the current run, and returns its id and member ids (by item index). */
export function createClusterRun(db: ProjectDb, run: NewClusterRun): { runId: number; memberIds: number[] } {
  const n = run.members.length;
  if (run.tree.length !== Math.max(0, n - 1) * 4) {
    throw new SonotypeError('INVALID_ARGUMENT', `A dendrogram of ${n} items needs ${Math.max(0, n - 1)} merges (got ${run.tree.length / 4}).`);
  }
  return db.transaction(() => {
    db.statement('UPDATE cluster_runs SET current = 0 WHERE current = 1').run();
    const runId = Number(
      db.statement(
        `INSERT INTO cluster_runs (algorithm, model_id, params_json, created_at, item_count, tree, quantiles, cut_json, current)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
      ).run(run.algorithm, run.modelId, JSON.stringify(run.params), Date.now(), n, blob(run.tree), blob(run.quantiles), JSON.stringify(run.cut))
        .lastInsertRowid,
    );
    const insert = db.statement('INSERT INTO cluster_members (run_id, item_index, recording_id, start_sample, end_sample) VALUES (?, ?, ?, ?, ?)');
    const memberIds = run.members.map((m, i) => {
      if (!Number.isSafeInteger(m.startSample) || !Number.isSafeInteger(m.endSample) || m.startSample < 0 || m.endSample <= m.startSample) {
        throw new SonotypeError('INVALID_ARGUMENT', `Member ${i} has an invalid sample range ${m.startSample}–${m.endSample}.`);
      }
      return Number(insert.run(runId, i, m.recordingId, m.startSample, m.endSample).lastInsertRowid);
    });
    return { runId, memberIds };
  });
}

function blob(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function floats(value: Buffer | null): Float64Array | null {
  if (value === null) return null;
  const copy = new Uint8Array(value.byteLength);
  copy.set(value);
  return new Float64Array(copy.buffer);
}

/** The current run (the newest one), or null before the first clustering. */
export function currentClusterRun(db: ProjectDb): StoredClusterRun | null {
  const row = db.statement('SELECT * FROM cluster_runs WHERE current = 1 ORDER BY id DESC LIMIT 1').get() as RunRow | undefined;
  return row ? toRun(row) : null;
}

export function getClusterRun(db: ProjectDb, runId: number): StoredClusterRun {
  const row = db.statement('SELECT * FROM cluster_runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (!row) throw new SonotypeError('NOT_FOUND', `Clustering run ${runId} does not exist in this project.`);
  return toRun(row);
}

/** Clustering runs, newest first. */
export function listClusterRuns(db: ProjectDb): StoredClusterRun[] {
  return (db.statement('SELECT * FROM cluster_runs ORDER BY id DESC').all() as RunRow[]).map(toRun);
}

/** The stored dendrogram and distance quantiles of a run. */
export function readRunTree(db: ProjectDb, runId: number): { tree: Float64Array; quantiles: Float64Array } {
  const row = db.statement('SELECT tree, quantiles FROM cluster_runs WHERE id = ?').get(runId) as { tree: Buffer | null; quantiles: Buffer | null } | undefined;
  if (!row) throw new SonotypeError('NOT_FOUND', `Clustering run ${runId} does not exist in this project.`);
  const tree = floats(row.tree);
  const quantiles = floats(row.quantiles);
  if (!tree || !quantiles) throw new SonotypeError('NOT_FOUND', `Clustering run ${runId} has no stored dendrogram.`);
  return { tree, quantiles };
}

/** Records the cut a run's clusters currently come from. */
export function setRunCut(db: ProjectDb, runId: number, cut: Record<string, unknown>): void {
  db.statement('UPDATE cluster_runs SET cut_json = ? WHERE id = ?').run(JSON.stringify(cut), runId);
}

/** Members of a run by item index. */
export function listRunMembers(db: ProjectDb, runId: number): StoredClusterMember[] {
  return (db.statement('SELECT * FROM cluster_members WHERE run_id = ? ORDER BY item_index').all(runId) as MemberRow[]).map(toMember);
}

/** Members by id (unknown ids are left out). */
export function getMembers(db: ProjectDb, memberIds: readonly number[]): StoredClusterMember[] {
  const get = db.statement('SELECT * FROM cluster_members WHERE id = ?');
  return memberIds.map((id) => get.get(id) as MemberRow | undefined).filter((r): r is MemberRow => r !== undefined).map(toMember);
}

/** Members of the current run in one recording, in time order. */
export function currentMembersOfRecording(db: ProjectDb, recordingId: number): StoredClusterMember[] {
  return (
    db.statement(
      `SELECT m.* FROM cluster_members m JOIN cluster_runs r ON r.id = m.run_id AND r.current = 1
       WHERE m.recording_id = ? ORDER BY m.start_sample, m.id`,
    ).all(recordingId) as MemberRow[]
  ).map(toMember);
}

/** Sets map positions of a run's members (by item index). */
export function setMemberPositions(db: ProjectDb, runId: number, x: Float32Array, y: Float32Array): void {
  db.transaction(() => {
    const update = db.statement('UPDATE cluster_members SET x = ?, y = ? WHERE run_id = ? AND item_index = ?');
    for (let i = 0; i < x.length; i++) update.run(x[i], y[i], runId, i);
  });
}

/** Stores the type head's predictions (null clears them). */
export function setMemberPredictions(db: ProjectDb, predictions: readonly { memberId: number; type: string | null; confidence: number | null }[]): void {
  db.transaction(() => {
    const update = db.statement('UPDATE cluster_members SET predicted_type = ?, confidence = ? WHERE id = ?');
    for (const p of predictions) update.run(p.type, p.confidence, p.memberId);
  });
}

/** Creates a cluster identity; without a name it is called C<id>. */
export function createSoundCluster(db: ProjectDb, init: { name?: string | null; noise?: boolean } = {}): StoredSoundCluster {
  return db.transaction(() => {
    const named = init.name !== undefined && init.name !== null;
    const id = Number(
      db.statement('INSERT INTO sound_clusters (name, named, noise, created_at) VALUES (?, ?, ?, ?)')
        .run(named ? init.name : 'unnamed', named ? 1 : 0, init.noise ? 1 : 0, Date.now()).lastInsertRowid,
    );
    if (!named) db.statement('UPDATE sound_clusters SET name = ? WHERE id = ?').run(`C${id}`, id);
    return getSoundCluster(db, id);
  });
}

export function getSoundCluster(db: ProjectDb, id: number): StoredSoundCluster {
  const row = db.statement('SELECT * FROM sound_clusters WHERE id = ?').get(id) as ClusterRow | undefined;
  if (!row) throw new SonotypeError('NOT_FOUND', `Cluster ${id} does not exist in this project.`);
  return toCluster(row);
}

/** Cluster identities; only live (not retired) ones unless asked. */
export function listSoundClusters(db: ProjectDb, options: { includeRetired?: boolean } = {}): StoredSoundCluster[] {
  const rows = db.statement(`SELECT * FROM sound_clusters ${options.includeRetired ? '' : 'WHERE retired = 0'} ORDER BY id`).all() as ClusterRow[];
  return rows.map(toCluster);
}

/** The live cluster called `name` (case-sensitive), if any. */
export function findLiveClusterByName(db: ProjectDb, name: string): StoredSoundCluster | null {
  const row = db.statement('SELECT * FROM sound_clusters WHERE retired = 0 AND name = ? ORDER BY id LIMIT 1').get(name) as ClusterRow | undefined;
  return row ? toCluster(row) : null;
}

/** Overwrites a cluster's state (used by edits and by undo/redo). */
export function writeSoundClusterState(db: ProjectDb, state: SoundClusterState): void {
  const result = db.statement('UPDATE sound_clusters SET name = ?, named = ?, noise = ?, retired = ? WHERE id = ?')
    .run(state.name, state.named ? 1 : 0, state.noise ? 1 : 0, state.retired ? 1 : 0, state.id);
  if (result.changes === 0) throw new SonotypeError('NOT_FOUND', `Cluster ${state.id} does not exist in this project.`);
}

/** Moves a member to a cluster (null = unclustered). */
export function writeMemberCluster(db: ProjectDb, memberId: number, clusterId: number | null): void {
  db.statement('UPDATE cluster_members SET cluster_id = ? WHERE id = ?').run(clusterId, memberId);
}

/** Member counts per cluster of a run. */
export function clusterSizes(db: ProjectDb, runId: number): Map<number, number> {
  const rows = db.statement('SELECT cluster_id, count(*) AS n FROM cluster_members WHERE run_id = ? AND cluster_id IS NOT NULL GROUP BY cluster_id')
    .all(runId) as { cluster_id: number; n: number }[];
  return new Map(rows.map((r) => [r.cluster_id, r.n]));
}

/** Members of the current run in a cluster, by item index. */
export function currentMembersOfCluster(db: ProjectDb, clusterId: number): StoredClusterMember[] {
  return (
    db.statement(
      `SELECT m.* FROM cluster_members m JOIN cluster_runs r ON r.id = m.run_id AND r.current = 1
       WHERE m.cluster_id = ? ORDER BY m.item_index`,
    ).all(clusterId) as MemberRow[]
  ).map(toMember);
}

/** Live identities called `name`, retired ones included (newest first): a hand-set type revives its old identity. */
export function findClusterByName(db: ProjectDb, name: string): StoredSoundCluster | null {
  const row = db.statement('SELECT * FROM sound_clusters WHERE name = ? ORDER BY retired, id DESC LIMIT 1').get(name) as ClusterRow | undefined;
  return row ? toCluster(row) : null;
}
