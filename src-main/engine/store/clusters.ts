/**
 * Clustering runs, their clusters (optionally named by an expert) and members.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { parseJsonColumn } from './json';

/** A cluster member: a region (sequence clustering) or a single window (k-means). */
export type ClusterMember = { regionId: number; windowId?: undefined; distance?: number | null } | { windowId: number; regionId?: undefined; distance?: number | null };

export interface NewClusterRun {
  algorithm: string;
  modelId: number | null;
  params: Record<string, unknown>;
  clusters: { index: number; label?: string | null; members: readonly ClusterMember[] }[];
}

export interface StoredClusterRun {
  id: number;
  algorithm: string;
  modelId: number | null;
  params: Record<string, unknown>;
  createdAt: number;
}

export interface StoredCluster {
  id: number;
  runId: number;
  index: number;
  label: string | null;
  size: number;
}

/** Stores a whole clustering run atomically and returns its id. */
export function createClusterRun(db: ProjectDb, run: NewClusterRun): number {
  return db.transaction(() => {
    const runId = Number(
      db.statement('INSERT INTO cluster_runs (algorithm, model_id, params_json, created_at) VALUES (?, ?, ?, ?)')
        .run(run.algorithm, run.modelId, JSON.stringify(run.params), Date.now()).lastInsertRowid,
    );
    const insertCluster = db.statement('INSERT INTO clusters (run_id, cluster_index, label) VALUES (?, ?, ?)');
    const insertMember = db.statement('INSERT INTO cluster_assignments (cluster_id, region_id, window_id, distance) VALUES (?, ?, ?, ?)');
    for (const cluster of run.clusters) {
      const clusterId = Number(insertCluster.run(runId, cluster.index, cluster.label ?? null).lastInsertRowid);
      for (const m of cluster.members) {
        if ((m.regionId === undefined) === (m.windowId === undefined)) {
          throw new SonotypeError('INVALID_ARGUMENT', `A member of cluster ${cluster.index} must name exactly one region or one window.`);
        }
        insertMember.run(clusterId, m.regionId ?? null, m.windowId ?? null, m.distance ?? null);
      }
    }
    return runId;
  });
}

/** Clustering runs, newest first. */
export function listClusterRuns(db: ProjectDb): StoredClusterRun[] {
  const rows = db.statement('SELECT * FROM cluster_runs ORDER BY id DESC').all() as {
    id: number; algorithm: string; model_id: number | null; params_json: string; created_at: number;
  }[];
  return rows.map((r) => ({
    id: r.id, algorithm: r.algorithm, modelId: r.model_id,
    params: parseJsonColumn<Record<string, unknown>>(r.params_json, 'cluster_runs.params')!, createdAt: r.created_at,
  }));
}

/** Clusters of a run with their member counts, by index. */
export function listClusters(db: ProjectDb, runId: number): StoredCluster[] {
  const rows = db
    .statement(
      `SELECT c.id, c.run_id, c.cluster_index, c.label, (SELECT count(*) FROM cluster_assignments a WHERE a.cluster_id = c.id) AS size
       FROM clusters c WHERE c.run_id = ? ORDER BY c.cluster_index`,
    )
    .all(runId) as { id: number; run_id: number; cluster_index: number; label: string | null; size: number }[];
  return rows.map((r) => ({ id: r.id, runId: r.run_id, index: r.cluster_index, label: r.label, size: r.size }));
}

/** Members of one cluster, closest first when distances are known. */
export function listClusterMembers(db: ProjectDb, clusterId: number): ClusterMember[] {
  const rows = db
    .statement('SELECT region_id, window_id, distance FROM cluster_assignments WHERE cluster_id = ? ORDER BY distance IS NULL, distance, id')
    .all(clusterId) as { region_id: number | null; window_id: number | null; distance: number | null }[];
  return rows.map((r) => (r.region_id !== null ? { regionId: r.region_id, distance: r.distance } : { windowId: r.window_id!, distance: r.distance }));
}

/** Names a cluster (e.g. 'whistle') or clears the name with null. */
export function setClusterLabel(db: ProjectDb, clusterId: number, label: string | null): void {
  db.transaction(() => {
    const result = db.statement('UPDATE clusters SET label = ? WHERE id = ?').run(label, clusterId);
    if (result.changes === 0) throw new SonotypeError('NOT_FOUND', `Cluster ${clusterId} does not exist in this project.`);
  });
}
