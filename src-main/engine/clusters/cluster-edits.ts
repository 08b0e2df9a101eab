/**
 * Editing sound-type clusters. Every edit is ONE undo step in the label
 * history (an edit group holding the cluster patch and the label edits it
 * implies), so Ctrl+Z after a merge brings back both clusters and their
 * members' labels:
 * - rename: the cluster's name, and every hand-set label of the old name;
 * - merge: members and hand-set labels of the others go to the target;
 * - split: part of a cluster (given, or the tree's two halves) becomes a new cluster;
 * - move: regions go to another cluster and get that type as a hand-set label
 *   (a person vouched for it, so it survives re-clustering);
 * - assign type (lasso relabel, number keys): move to the cluster of that
 *   name, creating it when there is none;
 * - noise: flag a cluster as noise and label its regions silence, which the
 *   silence head trains on (and the reverse).
 */
import { SonotypeError } from '../../../src-shared/errors';
import { LABEL_LIMITS } from '../../../src-shared/label-types';
import { readClusterPatch, type ClusterPatch } from '../store/cluster-patch';
import type { ProjectDb } from '../store/database';
import { recordClusterEdit, withEditGroup } from '../store/label-history';
import {
  createSoundCluster, currentClusterRun, currentMembersOfCluster, findClusterByName, findLiveClusterByName, getMembers, getSoundCluster,
  type SoundClusterState, type StoredClusterMember, type StoredSoundCluster,
} from '../store/sound-clusters';
import { RecordingLabels, renameTypeLabels, writeSilenceLabel, writeTypeLabel } from './type-labels';

function liveCluster(db: ProjectDb, id: number): StoredSoundCluster {
  const cluster = getSoundCluster(db, id);
  if (cluster.retired) throw new SonotypeError('NOT_FOUND', `Cluster ${cluster.name} no longer exists (it was merged or left out of the current clustering).`);
  return cluster;
}

/** Checks a type name: trimmed, 1–100 characters, not a reserved label value. */
export function checkTypeName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0 || trimmed.length > LABEL_LIMITS.soundTypeLength) {
    throw new SonotypeError('INVALID_ARGUMENT', `A sound type needs a name of 1–${LABEL_LIMITS.soundTypeLength} characters.`);
  }
  if (trimmed === 'silence' || trimmed === 'sound') {
    throw new SonotypeError('INVALID_ARGUMENT', `"${trimmed}" is reserved for detection labels; choose another type name (mark noise clusters as noise instead).`);
  }
  return trimmed;
}

const stateOf = ({ createdAt: _, ...state }: StoredSoundCluster): SoundClusterState => state;

/** Applies `change` to cluster/member states and records it as one cluster edit. */
function editClusters(
  db: ProjectDb,
  author: string | null,
  clusterIds: readonly number[],
  memberIds: readonly number[],
  change: (after: ClusterPatch) => void,
): void {
  const before = readClusterPatch(db, clusterIds, memberIds);
  const after: ClusterPatch = structuredClone(before);
  change(after);
  recordClusterEdit(db, before, after, author);
}

function clusterState(patch: ClusterPatch, id: number): SoundClusterState {
  return patch.clusters.find((c) => c.id === id)!;
}

/** A new cluster identity whose creation is part of the current edit (undo retires it again). */
function newClusterInEdit(db: ProjectDb, name: string | null): { id: number; before: SoundClusterState } {
  const created = createSoundCluster(db, { name });
  return { id: created.id, before: { ...stateOf(created), retired: true } };
}

/** Renames a cluster; hand-set labels of the old name follow. */
export function renameCluster(db: ProjectDb, clusterId: number, name: string, author: string | null = null): StoredSoundCluster {
  const newName = checkTypeName(name);
  return withEditGroup(db, () => {
    const cluster = liveCluster(db, clusterId);
    const clash = findLiveClusterByName(db, newName);
    if (clash && clash.id !== clusterId) {
      throw new SonotypeError('INVALID_ARGUMENT', `Another cluster is already called "${newName}": merge the two instead of renaming.`);
    }
    editClusters(db, author, [clusterId], [], (after) => Object.assign(clusterState(after, clusterId), { name: newName, named: true }));
    if (cluster.name !== newName) renameTypeLabels(db, cluster.name, newName, author);
    return getSoundCluster(db, clusterId);
  });
}

/** Merges clusters into `targetId`: their members and hand-set labels join it; they are retired. */
export function mergeClusters(db: ProjectDb, targetId: number, sourceIds: readonly number[], author: string | null = null): StoredSoundCluster {
  const sources = [...new Set(sourceIds)].filter((id) => id !== targetId);
  if (sources.length === 0) throw new SonotypeError('INVALID_ARGUMENT', 'Choose at least one other cluster to merge into this one.');
  return withEditGroup(db, () => {
    const target = liveCluster(db, targetId);
    const others = sources.map((id) => liveCluster(db, id));
    const moved = others.flatMap((c) => currentMembersOfCluster(db, c.id).map((m) => m.id));
    editClusters(db, author, [targetId, ...sources], moved, (after) => {
      for (const id of sources) clusterState(after, id).retired = true;
      for (const entry of after.members) entry[1] = targetId;
      // A merged-in name the user chose survives as the target's name if the target had none.
      const named = others.find((c) => c.named);
      if (!target.named && named) Object.assign(clusterState(after, targetId), { name: named.name, named: true });
    });
    const finalName = getSoundCluster(db, targetId).name;
    for (const c of others) renameTypeLabels(db, c.name, finalName, author);
    if (target.name !== finalName) renameTypeLabels(db, target.name, finalName, author);
    return getSoundCluster(db, targetId);
  });
}

/**
 * Splits a cluster: `memberIds` (a selection) become a new cluster; without
 * them the cluster is cut along the stored dendrogram into its two halves
 * (`treeHalves` gives them) and the second half moves. Returns the new cluster.
 */
export function splitCluster(
  db: ProjectDb,
  clusterId: number,
  memberIds: readonly number[] | null,
  treeHalves: (members: StoredClusterMember[]) => [StoredClusterMember[], StoredClusterMember[]],
  author: string | null = null,
): StoredSoundCluster {
  return withEditGroup(db, () => {
    const cluster = liveCluster(db, clusterId);
    const members = currentMembersOfCluster(db, clusterId);
    if (members.length < 2) throw new SonotypeError('INVALID_ARGUMENT', `Cluster ${cluster.name} has fewer than two regions: there is nothing to split.`);
    let moving: StoredClusterMember[];
    if (memberIds) {
      const wanted = new Set(memberIds);
      moving = members.filter((m) => wanted.has(m.id));
      if (moving.length === 0 || moving.length === members.length) {
        throw new SonotypeError('INVALID_ARGUMENT', 'Choose some, but not all, of the cluster\'s regions to split off.');
      }
    } else {
      moving = treeHalves(members)[1];
    }
    const created = newClusterInEdit(db, null);
    const before = readClusterPatch(db, [], moving.map((m) => m.id));
    before.clusters.push(created.before);
    const after: ClusterPatch = { clusters: [{ ...created.before, retired: false }], members: moving.map((m) => [m.id, created.id]) };
    recordClusterEdit(db, before, after, author);
    const labels = new RecordingLabels(db);
    const newName = getSoundCluster(db, created.id).name;
    for (const m of moving) if (labels.typeOf(m) === cluster.name) writeTypeLabel(db, labels, m, newName, author);
    return getSoundCluster(db, created.id);
  });
}

function currentRunMembers(db: ProjectDb, memberIds: readonly number[]): StoredClusterMember[] {
  const run = currentClusterRun(db);
  const members = getMembers(db, [...new Set(memberIds)]).filter((m) => run && m.runId === run.id);
  if (members.length === 0) throw new SonotypeError('NOT_FOUND', 'None of the chosen regions belongs to the current clustering.');
  return members;
}

/** Moves regions to a cluster; each gets the cluster's type as a hand-set label. */
export function moveMembers(db: ProjectDb, memberIds: readonly number[], targetId: number, author: string | null = null): StoredSoundCluster {
  return withEditGroup(db, () => {
    const target = liveCluster(db, targetId);
    const members = currentRunMembers(db, memberIds);
    editClusters(db, author, [], members.map((m) => m.id), (after) => {
      for (const entry of after.members) entry[1] = targetId;
    });
    const labels = new RecordingLabels(db);
    for (const m of members) writeTypeLabel(db, labels, m, target.name, author);
    return target;
  });
}

/**
 * Gives regions the sound type `typeName` (lasso relabel, number keys): they
 * move to the live cluster of that name, which is created (or a retired one
 * of that name revived) when there is none.
 */
export function assignType(db: ProjectDb, memberIds: readonly number[], typeName: string, author: string | null = null): StoredSoundCluster {
  const name = checkTypeName(typeName);
  return withEditGroup(db, () => {
    const members = currentRunMembers(db, memberIds);
    let target = findLiveClusterByName(db, name);
    if (!target) {
      const retired = findClusterByName(db, name);
      if (retired) {
        editClusters(db, author, [retired.id], [], (after) => Object.assign(clusterState(after, retired.id), { retired: false, named: true }));
        target = getSoundCluster(db, retired.id);
      } else {
        const created = newClusterInEdit(db, name);
        recordClusterEdit(db, { clusters: [created.before], members: [] }, { clusters: [{ ...created.before, retired: false }], members: [] }, author);
        target = getSoundCluster(db, created.id);
      }
    }
    return moveMembers(db, members.map((m) => m.id), target.id, author);
  });
}

/** Flags a cluster as noise and labels its regions silence (or undoes both with `noise` false). */
export function setClusterNoise(db: ProjectDb, clusterId: number, noise: boolean, author: string | null = null): StoredSoundCluster {
  return withEditGroup(db, () => {
    liveCluster(db, clusterId);
    editClusters(db, author, [clusterId], [], (after) => {
      clusterState(after, clusterId).noise = noise;
    });
    const labels = new RecordingLabels(db);
    for (const m of currentMembersOfCluster(db, clusterId)) writeSilenceLabel(db, labels, m, noise, author);
    return getSoundCluster(db, clusterId);
  });
}
