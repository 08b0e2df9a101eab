/**
 * Clustering the sounds of a project, end to end:
 * 1. regions — the regions to cluster (cluster-units.ts);
 * 2. features — each region's frame sequence (or summary vector);
 * 3. distances — DTW between every pair (parallel, cluster workers), or
 *    Euclidean between summary vectors;
 * 4. clustering — the dendrogram, cut as asked (or automatically);
 * 5. map — 2-D positions (UMAP on the distances' neighbour graph);
 * 6. saving — the run, its dendrogram and quantiles, members with identities
 *    carried over from the previous run, the matrix file.
 * Cancellable between and within phases; with `resume` state the feature
 * and distance phases are skipped (their results come from the checkpoint).
 */
import { throwIfCancelled } from '../util/cancel';
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from '../store/database';
import { setMemberPositions } from '../store/sound-clusters';
import { acousticSequences, type AudioRegion } from './acoustic-sequences';
import { chooseAutoCut } from './auto-cut';
import { collectClusterUnits, type ClusterUnit } from './cluster-units';
import { encoderSequences } from './encoder-sequences';
import { QUANTILE_STEPS, quantileFromTable, storeNewRun } from './cluster-runs';
import { resolveClusterSettings, type ClusterRequest, type ClusterSettings } from './cluster-settings';
import { distanceQuantiles } from './condensed';
import { applyTypeConstraints, constrainedCut, typeCount, typedTreeDistances } from './constraints';
import { cutTree, type FlatClusters } from './cut';
import { linkage, type Dendrogram } from './linkage';
import { knnFromCondensed, layoutMap } from './map-layout';
import { euclideanMatrix, type PairStats } from './pairwise';
import { parallelDtwMatrix } from './parallel-pairwise';
import { saveRunFiles } from './run-files';
import { reusableRun } from './run-reuse';
import { RecordingLabels } from './type-labels';
import { meanStdVectors, unitNormalised, type SequenceSet } from './sequences';

export type ClusterPhase = 'regions' | 'features' | 'distances' | 'clustering' | 'map' | 'saving';

export interface ClusterProgress {
  phase: ClusterPhase;
  done: number;
  total: number;
  itemsLabel: 'regions' | 'pairs' | 'merges' | 'epochs' | 'steps';
}

/** What clustering needs of a project (a job worker builds this around its own connection). */
export interface ClusterProject {
  dir: string;
  db: ProjectDb;
  resolveRecordingPath(relPath: string): string;
}

export interface ClusterOptions {
  signal?: AbortSignal;
  /**
   * True once cancellation was asked for, readable inside synchronous loops
   * (a job worker's shared flag: its `signal` only fires when the thread
   * gets back to its event loop, which linkage and the map never do).
   */
  isCancelled?: () => boolean;
  onProgress?: (p: ClusterProgress) => void;
  /** Distances from an earlier attempt (checkpoint), valid for exactly these units and settings. */
  resumeDistances?: { condensed: Float32Array; unitsKey: string };
  /** Called once the distances exist (to checkpoint them). */
  onDistances?: (condensed: Float32Array, unitsKey: string) => Promise<void>;
  workers?: number;
}

export interface ClusterResult {
  runId: number;
  regions: number;
  clusters: number;
  unclustered: number;
  settings: ClusterSettings;
  cut: { kind: string; distance: number; k?: number; silhouette?: number };
  pairs: PairStats | null;
  seconds: { features: number; distances: number; clustering: number; map: number; total: number };
  /** The run whose distances (and map) this one took over instead of recomputing them (run-reuse.ts), or null. */
  reusedRun: number | null;
}

function cancellationCheck(options: ClusterOptions): () => void {
  return () => {
    throwIfCancelled(options.signal, 'Clustering');
    if (options.isCancelled?.()) throw new SonotypeError('CANCELLED', 'Clustering was cancelled.');
  };
}

const DISTANCES_VERSION = 'd1';

/** A key that changes when the regions or the settings that shape distances change (checkpoint validity). */
export function unitsKeyOf(units: readonly ClusterUnit[], settings: ClusterSettings): string {
  let h = 2166136261;
  const mix = (x: number) => {
    h ^= x;
    h = Math.imul(h, 16777619) >>> 0;
  };
  for (const u of units) [u.recordingId, u.startSample, u.endSample].forEach(mix);
  // The leading version changes whenever the features or distances are computed differently for the same settings,
  // so distances of an older version are neither resumed nor reused.
  return `${DISTANCES_VERSION}:${units.length}:${h.toString(16)}:${JSON.stringify([settings.representation, settings.acoustic, settings.distance])}`;
}

/** Runs the whole clustering (see the file header) and stores it as the current run. */
export async function clusterProject(project: ClusterProject, request: ClusterRequest, options: ClusterOptions = {}): Promise<ClusterResult> {
  const started = performance.now();
  const { signal, onProgress } = options;
  const throwIfAborted = cancellationCheck(options);
  onProgress?.({ phase: 'regions', done: 0, total: 1, itemsLabel: 'steps' });
  const pieces = collectClusterUnits(project.db);
  const labels = new RecordingLabels(project.db);
  // Settings are chosen from the detected pieces (what the detector found), then the pieces become units.
  const settings = resolveClusterSettings(request, pieces.map((u) => (u.endSample - u.startSample) / u.sampleRate), typeCount(pieces.map((u) => labels.typeOf(u))));
  const units = settings.mergeGapSeconds > 0 ? collectClusterUnits(project.db, { mergeGapSeconds: settings.mergeGapSeconds }) : pieces;
  if (units.length < pieces.length) settings.why.push(`${pieces.length} detected pieces → ${units.length} sounds`);
  if (units.length < 2) {
    throw new SonotypeError('INVALID_CONFIG', `There ${units.length === 1 ? 'is only one sound region' : 'are no sound regions'} to cluster: run detection first, or label sounds.`);
  }
  const types = units.map((u) => labels.typeOf(u));
  const unitsKey = unitsKeyOf(units, settings);
  throwIfAborted();

  let condensed: Float32Array;
  let summaries: Float32Array | null = null;
  let pairs: PairStats | null = null;
  let featureSeconds = 0;
  let distanceSeconds = 0;
  const previous = reusableRun(project, units.length, unitsKey, settings.representation, settings.seed);
  if (options.resumeDistances && options.resumeDistances.unitsKey === unitsKey) {
    condensed = options.resumeDistances.condensed;
    summaries = previous?.summaries ?? null;
  } else if (previous) {
    ({ condensed, summaries } = previous);
    settings.why.push(`distances${previous.positions ? ' and map' : ''} taken over from run ${previous.runId} (same regions, representation and distance settings)`);
  } else {
    const t0 = performance.now();
    const regions: AudioRegion[] = units.map((u) => ({ ...u, absPath: project.resolveRecordingPath(u.path) }));
    const sequences = settings.representation === 'encoder'
      ? encoderSequences(project.db, units).set
      : await acousticSequences(regions, settings.acoustic, {
        signal, onProgress: (done, total) => onProgress?.({ phase: 'features', done, total, itemsLabel: 'regions' }),
      });
    featureSeconds = (performance.now() - t0) / 1000;
    summaries = meanStdVectors(sequences).data;
    throwIfAborted();
    const t1 = performance.now();
    ({ condensed, pairs } = await distances(sequences, settings, options));
    distanceSeconds = (performance.now() - t1) / 1000;
    await options.onDistances?.(condensed, unitsKey);
  }
  throwIfAborted();

  const t2 = performance.now();
  const n = units.length;
  onProgress?.({ phase: 'clustering', done: 0, total: n - 1, itemsLabel: 'merges' });
  // A person's types constrain the tree (constraints.ts); the stored matrix stays the measured one.
  const constrained = settings.useLabels && typeCount(types) >= 2;
  let treeInput = condensed;
  if (constrained) {
    const typed = typedTreeDistances(condensed, n, settings.typedDistances, summaries);
    treeInput = typed.matrix;
    if (typed.used !== settings.typedDistances) settings.why.push('hand-set types: no summary vectors stored with the reused distances, so the tree is built on the distances alone');
    settings.typedDistances = typed.used;
    applyTypeConstraints(treeInput, n, types);
    settings.why.push(`constraints: ${types.filter((t) => t !== null).length} regions with ${typeCount(types)} hand-set types (cannot-link between types, must-link within)`);
  }
  const tree = linkage(treeInput, settings.linkage, {
    onProgress: (done, total) => {
      throwIfAborted();
      onProgress?.({ phase: 'clustering', done, total, itemsLabel: 'merges' });
    },
  });
  const quantiles = distanceQuantiles(condensed, QUANTILE_STEPS);
  const { flat, cut } = constrained && settings.cut.kind === 'auto'
    ? constrainedRunCut(tree, settings)
    : cutRun(tree, condensed, quantiles, settings);
  const clusteringSeconds = (performance.now() - t2) / 1000;
  throwIfAborted();

  const t3 = performance.now();
  const reusedMap = condensed === previous?.condensed ? previous.positions : null;
  const positions = reusedMap ?? await layoutMap(knnFromCondensed(condensed, 15), {
    seed: settings.seed,
    onEpoch: (done, total) => {
      if (done % 10 === 0 || done === total) {
        throwIfAborted();
        onProgress?.({ phase: 'map', done, total, itemsLabel: 'epochs' });
      }
    },
  });
  const mapSeconds = (performance.now() - t3) / 1000;
  throwIfAborted();

  onProgress?.({ phase: 'saving', done: 0, total: 1, itemsLabel: 'steps' });
  const stored = storeNewRun(project.db, {
    algorithm: `agglomerative-${settings.linkage}`,
    params: { settings, unitsKey, timings: { featureSeconds, distanceSeconds, clusteringSeconds, mapSeconds }, pairs },
    units, tree, quantiles, flat, cut, constrained,
  });
  setMemberPositions(project.db, stored.runId, positions.x, positions.y);
  saveRunFiles(project.dir, stored.runId, condensed, summaries);
  onProgress?.({ phase: 'saving', done: 1, total: 1, itemsLabel: 'steps' });
  return {
    runId: stored.runId, regions: n, clusters: stored.clusters, unclustered: flat.labels.filter((l) => l < 0).length,
    settings, cut: cut as ClusterResult['cut'], pairs,
    seconds: { features: featureSeconds, distances: distanceSeconds, clustering: clusteringSeconds, map: mapSeconds, total: (performance.now() - started) / 1000 },
    reusedRun: condensed === previous?.condensed ? previous.runId : null,
  };
}

async function distances(sequences: SequenceSet, settings: ClusterSettings, options: ClusterOptions): Promise<{ condensed: Float32Array; pairs: PairStats | null }> {
  if (settings.distance.kind === 'euclidean') {
    options.onProgress?.({ phase: 'distances', done: 0, total: 1, itemsLabel: 'steps' });
    return { condensed: euclideanMatrix(meanStdVectors(sequences)), pairs: null };
  }
  const set = settings.distance.cost === 'cosine' ? unitNormalised(sequences) : sequences;
  const result = await parallelDtwMatrix(set, {
    cost: settings.distance.cost, band: settings.distance.band, workers: options.workers, signal: options.signal,
    onProgress: (done, total) => options.onProgress?.({ phase: 'distances', done, total, itemsLabel: 'pairs' }),
  });
  return { condensed: result.condensed, pairs: result.stats };
}

/** The automatic cut under constraints: just below the first merge that would join two of a person's types. */
function constrainedRunCut(tree: Dendrogram, settings: ClusterSettings): { flat: FlatClusters; cut: Record<string, unknown> } {
  const flat = constrainedCut(tree, settings.minClusterSize);
  return { flat, cut: { kind: 'distance', distance: flat.distance, auto: true, constrained: true, k: flat.count, minClusterSize: settings.minClusterSize } };
}

/** Applies the settings' cut (automatic when none was asked for). */
export function cutRun(tree: Dendrogram, condensed: Float32Array, quantiles: Float64Array, settings: ClusterSettings): { flat: FlatClusters; cut: Record<string, unknown> } {
  if (settings.cut.kind === 'auto') {
    const auto = chooseAutoCut(tree, condensed, settings.minClusterSize);
    return { flat: auto.flat, cut: { kind: 'count', k: auto.k, auto: true, silhouette: auto.silhouette, distance: auto.flat.distance, minClusterSize: settings.minClusterSize } };
  }
  const flat = cutTree(tree, settings.cut, settings.minClusterSize, (q) => quantileFromTable(quantiles, q));
  return { flat, cut: { ...settings.cut, distance: flat.distance, minClusterSize: settings.minClusterSize } };
}
