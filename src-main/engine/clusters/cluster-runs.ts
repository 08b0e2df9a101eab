/**
 * Storing a clustering run and moving its cut, with cluster identities
 * carried over (identities.ts): a new run takes over the names of the
 * previous one; a new cut of the same run is an undoable edit.
 */
import { SonotypeError } from '../../../src-shared/errors';
import { readClusterPatch, type ClusterPatch } from '../store/cluster-patch';
import type { ProjectDb } from '../store/database';
import { recordClusterEdit, withEditGroup } from '../store/label-history';
import {
  createClusterRun, createSoundCluster, currentClusterRun, findClusterByName, listRunMembers, listSoundClusters, readRunTree, setRunCut,
  writeMemberCluster, writeSoundClusterState, type StoredClusterMember,
} from '../store/sound-clusters';
import { cutTree, type CutSpec, type FlatClusters } from './cut';
import { planIdentities, type IdentityPlan, type PreviousMember, type Span } from './identities';
import type { Dendrogram } from './linkage';
import { RecordingLabels } from './type-labels';

/** Quantiles stored with a run: q = 0, 0.001, …, 1. */
export const QUANTILE_STEPS = 1000;

/** Flattens a dendrogram into the stored float64 rows (left, right, height, size). */
export function encodeTree(tree: Dendrogram): Float64Array {
  const out = new Float64Array(tree.height.length * 4);
  for (let k = 0; k < tree.height.length; k++) out.set([tree.left[k], tree.right[k], tree.height[k], tree.size[k]], 4 * k);
  return out;
}

export function decodeTree(n: number, rows: Float64Array): Dendrogram {
  const m = rows.length / 4;
  const tree: Dendrogram = { n, left: new Int32Array(m), right: new Int32Array(m), height: new Float64Array(m), size: new Int32Array(m) };
  for (let k = 0; k < m; k++) {
    tree.left[k] = rows[4 * k];
    tree.right[k] = rows[4 * k + 1];
    tree.height[k] = rows[4 * k + 2];
    tree.size[k] = rows[4 * k + 3];
  }
  return tree;
}

/** The q-quantile (0…1) from a run's stored quantile table, interpolated. */
export function quantileFromTable(table: Float64Array, q: number): number {
  if (table.length === 0) return Number.NaN;
  const pos = Math.min(1, Math.max(0, q)) * (table.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (!Number.isFinite(table[hi])) return table[hi];
  return table[lo] + (table[hi] - table[lo]) * (pos - lo);
}

/** The current run's members with the cluster they are in (the "previous" side of a new clustering). */
function previousMembers(db: ProjectDb): PreviousMember[] {
  const run = currentClusterRun(db);
  return run ? listRunMembers(db, run.id) : [];
}

/** Gives each placeholder of a plan an identity: `type:<name>` revives or creates a named one, `new:<k>` a fresh one. */
function resolvePlaceholders(db: ProjectDb, plan: IdentityPlan): { ids: (number | null)[]; created: number[] } {
  const made = new Map<string, number>();
  const created: number[] = [];
  const ids = plan.assignment.map((a) => {
    if (a === null || typeof a === 'number') return a;
    let id = made.get(a);
    if (id === undefined) {
      if (a.startsWith('type:')) {
        const name = a.slice('type:'.length);
        const old = findClusterByName(db, name);
        id = old ? old.id : createSoundCluster(db, { name }).id;
        if (!old) created.push(id);
        else if (old.retired) created.push(id); // revived: treated as new in this step
      } else {
        id = createSoundCluster(db).id;
        created.push(id);
      }
      made.set(a, id);
    }
    return id;
  });
  return { ids, created };
}

export interface NewRunInput {
  algorithm: string;
  params: Record<string, unknown>;
  units: readonly Span[];
  tree: Dendrogram;
  quantiles: Float64Array;
  flat: FlatClusters;
  cut: Record<string, unknown>;
  /** The hand-set types constrained this run (each cluster holds at most one type). */
  constrained?: boolean;
}

/**
 * Stores a run as the current one and assigns its clusters: identities of
 * the previous run carried over, hand-set types respected. Not an undoable
 * edit (re-running clustering is a job), but later edits of it are.
 */
export function storeNewRun(db: ProjectDb, input: NewRunInput): { runId: number; memberIds: number[]; clusters: number } {
  return db.transaction(() => {
    const previous = previousMembers(db);
    const { runId, memberIds } = createClusterRun(db, {
      algorithm: input.algorithm, modelId: null, params: input.params, members: input.units,
      tree: encodeTree(input.tree), quantiles: input.quantiles, cut: input.cut,
    });
    const labels = new RecordingLabels(db);
    const plan = planIdentities(input.units, input.flat.labels, previous, input.units.map((u) => labels.typeOf(u)), listSoundClusters(db), {
      typesDefineClusters: input.constrained,
    });
    const { ids } = resolvePlaceholders(db, plan);
    ids.forEach((id, i) => writeMemberCluster(db, memberIds[i], id));
    const used = new Set(ids.filter((id): id is number => id !== null));
    for (const cluster of listSoundClusters(db, { includeRetired: true })) {
      const retired = !used.has(cluster.id);
      if (cluster.retired !== retired) writeSoundClusterState(db, { ...cluster, retired });
    }
    return { runId, memberIds, clusters: used.size };
  });
}

/**
 * Cuts the current run's stored dendrogram anew (instant: no distances are
 * recomputed) and records the new membership as one undoable edit, with
 * names carried over from the clusters before the cut.
 */
export function recutCurrentRun(db: ProjectDb, spec: CutSpec, minClusterSize: number, author: string | null = null): { clusters: number; distance: number } {
  return withEditGroup(db, () => {
    const run = currentClusterRun(db);
    if (!run) throw new SonotypeError('INVALID_CONFIG', 'There is no clustering yet: run "Cluster sounds" first.');
    const { tree: rows, quantiles } = readRunTree(db, run.id);
    const members = listRunMembers(db, run.id);
    const tree = decodeTree(members.length, rows);
    const flat = cutTree(tree, spec, minClusterSize, (q) => quantileFromTable(quantiles, q));
    const live = listSoundClusters(db);
    const labels = new RecordingLabels(db);
    const plan = planIdentities(members, flat.labels, members, members.map((m) => labels.typeOf(m)), live);
    const touched = new Set<number>([...live.map((c) => c.id)]);
    const before: ClusterPatch = readClusterPatch(db, [...touched], members.map((m) => m.id));
    const { ids, created } = resolvePlaceholders(db, plan);
    for (const id of created) {
      const state = readClusterPatch(db, [id], []).clusters[0];
      if (!touched.has(id)) before.clusters.push({ ...state, retired: true });
      touched.add(id);
    }
    const used = new Set(ids.filter((id): id is number => id !== null));
    const after: ClusterPatch = {
      clusters: readClusterPatch(db, [...touched], []).clusters.map((c) => ({ ...c, retired: !used.has(c.id) })),
      members: members.map((m, i): [number, number | null] => [m.id, ids[i]]),
    };
    recordClusterEdit(db, before, after, author);
    setRunCut(db, run.id, { ...spec, minClusterSize, distance: flat.distance });
    return { clusters: used.size, distance: flat.distance };
  });
}

/** The dendrogram halves of a set of members of the current run (for splitting a cluster). */
export function treeHalvesOf(db: ProjectDb, members: StoredClusterMember[], split: (tree: Dendrogram, items: number[]) => [number[], number[]]): [StoredClusterMember[], StoredClusterMember[]] {
  const run = currentClusterRun(db);
  if (!run) throw new SonotypeError('INVALID_CONFIG', 'There is no clustering yet.');
  const tree = decodeTree(run.itemCount, readRunTree(db, run.id).tree);
  const byItem = new Map(members.map((m) => [m.itemIndex, m]));
  const [a, b] = split(tree, members.map((m) => m.itemIndex));
  return [a.map((i) => byItem.get(i)!), b.map((i) => byItem.get(i)!)];
}
