/**
 * The current clustering as the map, the gallery, the CLI and `sonotype
 * types` see it: clusters (name, size, cohesion) and members (span, map
 * position, hand-set type, prediction, p(silence)).
 */
import type { ClusteringView, ClusterMemberView, ClusterView, SoundTypeCount } from '../../../src-shared/cluster-types';
import { newestSoundRegions } from '../store/cluster-sources';
import type { ProjectDb } from '../store/database';
import { listRecordings } from '../store/recordings';
import { currentClusterRun, listRunMembers, listSoundClusters, readRunTree, type StoredClusterMember } from '../store/sound-clusters';
import { humanTypeCounts } from '../store/type-label-queries';
import { condensedIndex } from './condensed';
import { RecordingLabels } from './type-labels';

/** Cohesion is the mean over at most this many member pairs (evenly spread), so huge clusters stay cheap. */
const COHESION_PAIRS = 20_000;

/** The mean distance between members (null for one member); `itemIndex` positions index `condensed`. */
export function clusterCohesion(condensed: Float32Array | null, n: number, items: readonly number[]): number | null {
  if (!condensed || items.length < 2) return null;
  const pairs = (items.length * (items.length - 1)) / 2;
  const step = Math.max(1, Math.floor(pairs / COHESION_PAIRS));
  let sum = 0;
  let counted = 0;
  let k = 0;
  for (let a = 0; a < items.length; a++) {
    for (let b = a + 1; b < items.length; b++, k++) {
      if (k % step !== 0) continue;
      const d = condensed[condensedIndex(n, items[a], items[b])];
      if (Number.isFinite(d)) {
        sum += d;
        counted++;
      }
    }
  }
  return counted > 0 ? sum / counted : null;
}

/** The current clustering, or null before the first run. `condensed` (the run's matrix) enables cohesion. */
export function currentClusteringView(db: ProjectDb, condensed: Float32Array | null): ClusteringView | null {
  const run = currentClusterRun(db);
  if (!run) return null;
  const members = listRunMembers(db, run.id);
  const recordings = new Map(listRecordings(db).map((r) => [r.id, r]));
  const labels = new RecordingLabels(db);
  const pSilenceOf = regionProbabilities(db);
  const byCluster = new Map<number, StoredClusterMember[]>();
  for (const m of members) if (m.clusterId !== null) byCluster.set(m.clusterId, [...(byCluster.get(m.clusterId) ?? []), m]);
  const clusters: ClusterView[] = listSoundClusters(db, { includeRetired: true })
    .filter((c) => byCluster.has(c.id) || !c.retired)
    .map((c) => {
      const own = byCluster.get(c.id) ?? [];
      return { id: c.id, name: c.name, named: c.named, noise: c.noise, size: own.length, cohesion: clusterCohesion(condensed, members.length, own.map((m) => m.itemIndex)) };
    })
    .filter((c) => c.size > 0);
  const memberViews: ClusterMemberView[] = members.map((m) => {
    const rec = recordings.get(m.recordingId);
    return {
      id: m.id, recordingId: m.recordingId, path: rec?.path ?? '?', sampleRate: rec?.sampleRate ?? 1,
      startSample: m.startSample, endSample: m.endSample, clusterId: m.clusterId, x: m.x, y: m.y,
      pSilence: pSilenceOf(m), handType: labels.typeOf(m), predictedType: m.predictedType, confidence: m.confidence,
    };
  });
  const { tree, quantiles } = readRunTree(db, run.id);
  let min = Infinity;
  let max = 0;
  for (let k = 2; k < tree.length; k += 4) {
    if (Number.isFinite(tree[k])) {
      min = Math.min(min, tree[k]);
      max = Math.max(max, tree[k]);
    }
  }
  const percentiles = Array.from({ length: 101 }, (_, p) => quantiles[Math.round((p / 100) * (quantiles.length - 1))]);
  return {
    runId: run.id, createdAt: run.createdAt, settings: run.params, cut: run.cut, clusters, members: memberViews,
    heights: { min: Number.isFinite(min) ? min : 0, max }, percentiles: percentiles.map((q) => (Number.isFinite(q) ? q : max)),
  };
}

/** p(silence) of the newest detected region overlapping each member most. */
function regionProbabilities(db: ProjectDb): (m: StoredClusterMember) => number | null {
  const byRecording = new Map<number, { startSample: number; endSample: number; p: number | null }[]>();
  for (const r of newestSoundRegions(db)) byRecording.set(r.recordingId, [...(byRecording.get(r.recordingId) ?? []), r]);
  return (m) => {
    let best: number | null = null;
    let bestOverlap = 0;
    for (const r of byRecording.get(m.recordingId) ?? []) {
      const overlap = Math.min(r.endSample, m.endSample) - Math.max(r.startSample, m.startSample);
      if (overlap > bestOverlap && r.p !== null) {
        bestOverlap = overlap;
        best = r.p;
      }
    }
    return best;
  };
}

/** Sound types: names of live clusters and hand-set label types, with counts. */
export function soundTypeCounts(db: ProjectDb): SoundTypeCount[] {
  const run = currentClusterRun(db);
  const sizes = new Map<number, number>();
  if (run) for (const m of listRunMembers(db, run.id)) if (m.clusterId !== null) sizes.set(m.clusterId, (sizes.get(m.clusterId) ?? 0) + 1);
  const out = new Map<string, SoundTypeCount>();
  for (const c of listSoundClusters(db)) {
    if (!c.named && !sizes.has(c.id)) continue;
    out.set(c.name, { type: c.name, labels: 0, regions: sizes.get(c.id) ?? 0, clusterId: c.id });
  }
  for (const { type, labels } of humanTypeCounts(db)) {
    const entry = out.get(type) ?? { type, labels: 0, regions: 0, clusterId: null };
    entry.labels = labels;
    out.set(type, entry);
  }
  return [...out.values()].sort((a, b) => b.regions - a.regions || b.labels - a.labels || a.type.localeCompare(b.type));
}
