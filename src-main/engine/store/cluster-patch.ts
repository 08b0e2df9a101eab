/**
 * Cluster edits as patches. An edit of clusters (rename, merge, split, move,
 * noise, a new cut) is stored in the undo history (label-history.ts,
 * recordClusterEdit) as a before/after patch: the states of the clusters it
 * touched and the cluster of every member it moved.
 */
import type { ProjectDb } from './database';
import { parseJsonColumn } from './json';
import { getSoundCluster, writeMemberCluster, writeSoundClusterState, type SoundClusterState } from './sound-clusters';

/** A set of cluster and member states: what an edit changes. */
export interface ClusterPatch {
  clusters: SoundClusterState[];
  /** [member id, cluster id or null]. */
  members: [number, number | null][];
}

/** Current states of these clusters and members (the "before" of an edit). */
export function readClusterPatch(db: ProjectDb, clusterIds: readonly number[], memberIds: readonly number[]): ClusterPatch {
  const member = db.statement('SELECT cluster_id FROM cluster_members WHERE id = ?');
  return {
    clusters: [...new Set(clusterIds)].map((id) => {
      const { createdAt: _, ...state } = getSoundCluster(db, id);
      return state;
    }),
    members: [...new Set(memberIds)].map((id) => [id, (member.get(id) as { cluster_id: number | null } | undefined)?.cluster_id ?? null]),
  };
}

/** Writes every state in the patch. */
export function applyClusterPatch(db: ProjectDb, patch: ClusterPatch): void {
  for (const state of patch.clusters) writeSoundClusterState(db, state);
  for (const [memberId, clusterId] of patch.members) writeMemberCluster(db, memberId, clusterId);
}

/** A stored patch. */
export function parseClusterPatch(json: string | null, column: string): ClusterPatch | null {
  return parseJsonColumn<ClusterPatch>(json, column);
}
