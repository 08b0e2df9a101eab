import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listLabels } from '../store/labels';
import { canUndo, redoEdit, undoLastEdit } from '../store/label-history';
import { upsertScannedRecording } from '../store/recordings';
import {
  currentClusterRun, currentMembersOfCluster, listRunMembers, listSoundClusters, type StoredSoundCluster,
} from '../store/sound-clusters';
import { createTempProject, scannedWav, type TempProject } from '../store/test-helpers';
import { createLabel } from '../store/labels';
import { condensedIndex, pairCount, quantileOfCondensed } from './condensed';
import { assignType, mergeClusters, moveMembers, renameCluster, setClusterNoise, splitCluster } from './cluster-edits';
import { QUANTILE_STEPS, recutCurrentRun, storeNewRun, treeHalvesOf } from './cluster-runs';
import { cutIntoCount, splitAlongTree } from './cut';
import type { Span } from './identities';
import { linkage } from './linkage';

/** Points on a line in three tight groups (0–3, 4–7, 8–11); each becomes a 1000-sample span of one recording. */
const POSITIONS = [0, 0.1, 0.2, 0.3, 5, 5.1, 5.2, 5.3, 9, 9.1, 9.3, 9.6];

function runInput(recordingId: number, offset = 0, k = 2) {
  const n = POSITIONS.length;
  const condensed = new Float32Array(pairCount(n));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) condensed[condensedIndex(n, i, j)] = Math.abs(POSITIONS[i] - POSITIONS[j]);
  const tree = linkage(condensed, 'average');
  const quantiles = Float64Array.from({ length: QUANTILE_STEPS + 1 }, (_, i) => quantileOfCondensed(condensed, i / QUANTILE_STEPS));
  const units: Span[] = POSITIONS.map((_, i) => ({ recordingId, startSample: i * 2000 + offset, endSample: i * 2000 + 1000 + offset }));
  return { algorithm: 'test', params: {}, units, tree, quantiles, flat: cutIntoCount(tree, k), cut: { kind: 'count', k } };
}

function clusterOfItem(db: TempProject['db'], item: number): StoredSoundCluster {
  const member = listRunMembers(db, currentClusterRun(db)!.id)[item];
  return listSoundClusters(db, { includeRetired: true }).find((c) => c.id === member.clusterId)!;
}

describe('cluster identities and edits', () => {
  let project: TempProject;
  let rec: number;
  beforeEach(() => {
    project = createTempProject('sonotype-clusters-');
    rec = upsertScannedRecording(project.db, scannedWav('a.wav')).id;
  });
  afterEach(() => project.cleanup());

  it('stores a run with unnamed clusters C<id>, numbered by identity', () => {
    const { db } = project;
    const { clusters } = storeNewRun(db, runInput(rec));
    expect(clusters).toBe(2);
    const live = listSoundClusters(db);
    expect(live.map((c) => c.name)).toEqual(live.map((c) => `C${c.id}`));
    expect(clusterOfItem(db, 0).id).toBe(clusterOfItem(db, 3).id);
    expect(clusterOfItem(db, 0).id).not.toBe(clusterOfItem(db, 11).id);
    expect(canUndo(db)).toBe(false); // a run is not an edit
  });

  it('renames with undo/redo; names survive moving the cut and re-clustering with shifted regions', () => {
    const { db } = project;
    storeNewRun(db, runInput(rec, 0, 3));
    const groupA = clusterOfItem(db, 0);
    renameCluster(db, groupA.id, 'whistle');
    expect(clusterOfItem(db, 2).name).toBe('whistle');
    undoLastEdit(db);
    expect(clusterOfItem(db, 2).name).toBe(groupA.name);
    redoEdit(db);
    expect(clusterOfItem(db, 2).name).toBe('whistle');
    expect(() => renameCluster(db, clusterOfItem(db, 11).id, 'whistle')).toThrow(/already called "whistle"/);
    expect(() => renameCluster(db, groupA.id, 'silence')).toThrow(/reserved/);

    // Moving the cut (3 → 2 clusters) keeps the id and name of the cluster that carries on.
    recutCurrentRun(db, { kind: 'count', k: 2 }, 1);
    expect(clusterOfItem(db, 1)).toMatchObject({ id: groupA.id, name: 'whistle' });
    undoLastEdit(db);
    expect(new Set(POSITIONS.map((_, i) => clusterOfItem(db, i).id)).size).toBe(3);

    // A new run over regions whose edges moved (re-detection) keeps the name too.
    storeNewRun(db, runInput(rec, 300, 3));
    expect(clusterOfItem(db, 3)).toMatchObject({ id: groupA.id, name: 'whistle' });
  });

  it('moves regions (hand-set type labels), and a hand-set type wins in the next clustering', () => {
    const { db } = project;
    storeNewRun(db, runInput(rec, 0, 3));
    const target = renameCluster(db, clusterOfItem(db, 8).id, 'buzz');
    const run = currentClusterRun(db)!;
    const member = listRunMembers(db, run.id)[0];
    moveMembers(db, [member.id], target.id);
    expect(clusterOfItem(db, 0).name).toBe('buzz');
    expect(listLabels(db, rec)).toMatchObject([{ startSample: 0, endSample: 1000, value: 'sound', soundType: 'buzz', source: 'human' }]);
    undoLastEdit(db);
    expect(clusterOfItem(db, 0).name).not.toBe('buzz');
    expect(listLabels(db, rec)).toHaveLength(0);
    redoEdit(db);
    // Re-clustering puts item 0 with its group by distance, but the person's type wins.
    storeNewRun(db, runInput(rec, 0, 3));
    expect(clusterOfItem(db, 0).name).toBe('buzz');
    expect(clusterOfItem(db, 1).name).not.toBe('buzz');
  });

  it('assigns a new type by name (lasso relabel), creating the cluster; undo removes it', () => {
    const { db } = project;
    storeNewRun(db, runInput(rec, 0, 2));
    const members = listRunMembers(db, currentClusterRun(db)!.id);
    const created = assignType(db, [members[4].id, members[5].id], 'upsweep');
    expect(created.named).toBe(true);
    expect(currentMembersOfCluster(db, created.id).map((m) => m.itemIndex)).toEqual([4, 5]);
    expect(listLabels(db, rec).map((l) => l.soundType)).toEqual(['upsweep', 'upsweep']);
    undoLastEdit(db);
    expect(listSoundClusters(db).some((c) => c.name === 'upsweep')).toBe(false);
    expect(listLabels(db, rec)).toHaveLength(0);
    // Assigning an existing type joins that cluster; hand labels of it are not duplicated.
    const again = assignType(db, [members[4].id], 'upsweep');
    assignType(db, [members[4].id, members[6].id], 'upsweep');
    expect(currentMembersOfCluster(db, again.id).map((m) => m.itemIndex)).toEqual([4, 6]);
    expect(listLabels(db, rec)).toHaveLength(2);
  });

  it('merges clusters and their type labels into one step', () => {
    const { db } = project;
    storeNewRun(db, runInput(rec, 0, 3));
    const a = renameCluster(db, clusterOfItem(db, 0).id, 'A');
    const b = clusterOfItem(db, 4);
    const c = renameCluster(db, clusterOfItem(db, 8).id, 'C');
    createLabel(db, { recordingId: rec, startSample: 16_000, endSample: 17_000, value: 'sound', soundType: 'C' });
    const merged = mergeClusters(db, a.id, [b.id, c.id]);
    expect(merged.name).toBe('A');
    expect(currentMembersOfCluster(db, a.id)).toHaveLength(12);
    expect(listSoundClusters(db).map((x) => x.id)).toEqual([a.id]);
    expect(listLabels(db, rec).map((l) => l.soundType)).toEqual(['A']);
    undoLastEdit(db);
    expect(listSoundClusters(db).map((x) => x.name).sort()).toEqual(['A', 'C', b.name].sort());
    expect(listLabels(db, rec).map((l) => l.soundType)).toEqual(['C']);
    expect(currentMembersOfCluster(db, c.id)).toHaveLength(4);
  });

  it('splits along the dendrogram or a selection; undo removes the new cluster', () => {
    const { db } = project;
    storeNewRun(db, runInput(rec, 0, 2));
    const big = clusterOfItem(db, 0);
    const before = currentMembersOfCluster(db, big.id).length;
    const half = splitCluster(db, big.id, null, (m) => treeHalvesOf(db, m, splitAlongTree));
    const sizes = [currentMembersOfCluster(db, big.id).length, currentMembersOfCluster(db, half.id).length];
    expect(sizes[0] + sizes[1]).toBe(before);
    expect(sizes.every((s) => s > 0)).toBe(true);
    undoLastEdit(db);
    expect(currentMembersOfCluster(db, big.id)).toHaveLength(before);
    expect(listSoundClusters(db).some((c) => c.id === half.id)).toBe(false);
    const chosen = currentMembersOfCluster(db, big.id).slice(0, 2).map((m) => m.id);
    const part = splitCluster(db, big.id, chosen, () => { throw new Error('not used'); });
    expect(currentMembersOfCluster(db, part.id).map((m) => m.id)).toEqual(chosen);
    expect(() => splitCluster(db, part.id, currentMembersOfCluster(db, part.id).map((m) => m.id), () => [[], []])).toThrow(/not all/);
  });

  it('marks a cluster as noise: silence labels for the silence head, one undo step', () => {
    const { db } = project;
    storeNewRun(db, runInput(rec, 0, 3));
    const noisy = clusterOfItem(db, 8);
    setClusterNoise(db, noisy.id, true);
    expect(clusterOfItem(db, 9).noise).toBe(true);
    const labels = listLabels(db, rec);
    expect(labels).toHaveLength(4);
    expect(labels.every((l) => l.value === 'silence' && l.source === 'human')).toBe(true);
    undoLastEdit(db);
    expect(clusterOfItem(db, 9).noise).toBe(false);
    expect(listLabels(db, rec)).toHaveLength(0);
  });
});
