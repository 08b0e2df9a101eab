/**
 * Sound-type calls: the current clustering for the map and gallery, cluster
 * edits (each one undo step in the shared label history; the UI is told with
 * 'clusters:changed', and the recordings whose labels changed with
 * 'recording:changed'), a new cut, thumbnails on shared axes, the type head.
 */
import type { ClusterMemberView, ClusterView } from '../../../src-shared/cluster-types';
import { SonotypeError } from '../../../src-shared/errors';
import { assignType, mergeClusters, moveMembers, renameCluster, setClusterNoise, splitCluster } from '../../engine/clusters/cluster-edits';
import { recutCurrentRun, treeHalvesOf } from '../../engine/clusters/cluster-runs';
import { currentClusteringView, soundTypeCounts } from '../../engine/clusters/clustering-view';
import { splitAlongTree } from '../../engine/clusters/cut';
import { regionThumbnails } from '../../engine/clusters/member-spectrograms';
import { loadRunMatrix } from '../../engine/clusters/run-files';
import { latestTypeHeadReport } from '../../engine/clusters/train-type-head';
import type { ProjectDb } from '../../engine/store/database';
import { listRecordings } from '../../engine/store/recordings';
import { currentClusterRun, getMembers, type StoredSoundCluster } from '../../engine/store/sound-clusters';
import { mediaLocation, requireProject, type AppState } from '../app-state';
import type { HandlersFor } from './handler-types';
import { currentAuthor } from './label-handlers';

type ClusterCalls =
  | 'clusters:current' | 'clusters:rename' | 'clusters:merge' | 'clusters:split' | 'clusters:move' | 'clusters:assignType'
  | 'clusters:setNoise' | 'clusters:cut' | 'clusters:thumbnails' | 'clusters:membersOf' | 'types:list' | 'types:report' | 'types:uncertain';

export function clusterHandlers(state: AppState): HandlersFor<ClusterCalls> {
  // The current run's distance matrix, loaded once per run (cohesion after edits).
  let matrix: { dir: string; runId: number; values: Float32Array | null } | null = null;
  const matrixOf = (dir: string, db: ProjectDb): Float32Array | null => {
    const run = currentClusterRun(db);
    if (!run) return null;
    if (!matrix || matrix.runId !== run.id || matrix.dir !== dir) matrix = { dir, runId: run.id, values: loadRunMatrix(dir, run.id) };
    return matrix.values;
  };
  const view = (dir: string, db: ProjectDb) => currentClusteringView(db, matrixOf(dir, db));

  /** The cluster as the gallery shows it (size and cohesion from the current view). */
  const clusterView = (dir: string, db: ProjectDb, cluster: StoredSoundCluster): ClusterView => {
    const found = view(dir, db)?.clusters.find((c) => c.id === cluster.id);
    return found ?? { id: cluster.id, name: cluster.name, named: cluster.named, noise: cluster.noise, size: 0, cohesion: null };
  };

  /** Members (ids) of these clusters in the current view: whose labels an edit of the clusters may touch. */
  const membersOfClusters = (clusterIds: readonly number[]): number[] => {
    const project = requireProject(state);
    const wanted = new Set(clusterIds);
    return (view(project.dir, project.db)?.members ?? []).filter((m) => m.clusterId !== null && wanted.has(m.clusterId)).map((m) => m.id);
  };

  /** Runs a cluster edit, then tells the UI: clusters changed, and the recordings whose regions' labels it may have changed. */
  const edit = (work: (db: ProjectDb, author: string | null) => StoredSoundCluster, memberIds: readonly number[]): ClusterView => {
    const project = requireProject(state);
    const cluster = work(project.db, currentAuthor());
    state.emit('clusters:changed', { reason: 'edit' });
    for (const recordingId of new Set(getMembers(project.db, memberIds).map((m) => m.recordingId))) {
      state.emit('recording:changed', { recordingId, what: 'labels' });
    }
    return clusterView(project.dir, project.db, cluster);
  };

  return {
    'clusters:current': async () => {
      const project = requireProject(state);
      const current = view(project.dir, project.db);
      if (!current) return null;
      const media = mediaLocation(state);
      return { ...current, mediaBase: media.base, mediaQuery: media.query };
    },
    'clusters:rename': async (clusterId, name) => edit((db, author) => renameCluster(db, clusterId, name, author), membersOfClusters([clusterId])),
    'clusters:merge': async (targetId, sourceIds) =>
      edit((db, author) => mergeClusters(db, targetId, sourceIds, author), membersOfClusters([targetId, ...sourceIds])),
    'clusters:split': async (clusterId, memberIds) =>
      edit((db, author) => splitCluster(db, clusterId, memberIds, (members) => treeHalvesOf(db, members, splitAlongTree), author), membersOfClusters([clusterId])),
    'clusters:move': async (memberIds, clusterId) => edit((db, author) => moveMembers(db, memberIds, clusterId, author), memberIds),
    'clusters:assignType': async (memberIds, name) => edit((db, author) => assignType(db, memberIds, name, author), memberIds),
    'clusters:setNoise': async (clusterId, noise) => {
      return edit((db, author) => setClusterNoise(db, clusterId, noise, author), membersOfClusters([clusterId]));
    },
    'clusters:cut': async (request) => {
      const { db } = requireProject(state);
      const spec = request.kind === 'count'
        ? { kind: 'count' as const, k: Math.max(1, Math.round(request.value)) }
        : request.kind === 'distance'
          ? { kind: 'distance' as const, distance: request.value }
          : { kind: 'percentile' as const, percentile: Math.min(100, request.value) };
      const result = recutCurrentRun(db, spec, request.minClusterSize ?? 1, currentAuthor());
      state.emit('clusters:changed', { reason: 'cut' });
      return result;
    },
    'clusters:thumbnails': async (request) => {
      const project = requireProject(state);
      const members = getMembers(project.db, request.memberIds);
      if (members.length === 0) throw new SonotypeError('NOT_FOUND', 'None of these regions belongs to a clustering of this project.');
      const recordings = new Map(listRecordings(project.db).map((r) => [r.id, r]));
      const regions = members.map((m) => {
        const rec = recordings.get(m.recordingId)!;
        return { absPath: project.resolveRecordingPath(rec.path), sampleRate: rec.sampleRate ?? 1, startSample: m.startSample, endSample: m.endSample };
      });
      const maxHz = Math.max(...regions.map((r) => r.sampleRate / 2));
      const options = { secondsPerColumn: request.secondsPerColumn ?? 0.005, rows: request.rows ?? 48, maxHz, maxColumns: request.maxColumns ?? 400 };
      const set = await regionThumbnails(regions, options);
      return {
        secondsPerColumn: options.secondsPerColumn, rows: options.rows, maxHz, dbRange: set.dbRange,
        items: set.thumbnails.map((t, i) => ({ memberId: members[i].id, columns: t.columns, truncated: t.truncated, data: Buffer.from(t.data).toString('base64') })),
      };
    },
    'clusters:membersOf': async (recordingId) => {
      const project = requireProject(state);
      return (view(project.dir, project.db)?.members ?? []).filter((m) => m.recordingId === recordingId);
    },
    'types:list': async () => soundTypeCounts(requireProject(state).db),
    'types:report': async () => latestTypeHeadReport(requireProject(state).db),
    'types:uncertain': async (limit) => {
      const project = requireProject(state);
      const members: ClusterMemberView[] = view(project.dir, project.db)?.members ?? [];
      return members
        .filter((m) => m.handType === null && m.predictedType !== null && m.confidence !== null)
        .sort((a, b) => a.confidence! - b.confidence!)
        .slice(0, limit);
    },
  };
}
