/**
 * `npm run bench -- cluster_dtw|cluster_umap|cluster_recut`: the speed lines of
 * issue #11 on this machine (load noted in each line's detail):
 * - DTW (10 % band, Euclidean, length-normalised) + complete linkage of
 *   10,000 regions of 5–50 MFCC frames (20 values), with the memory it needs;
 *   the regions are real dev-set syllables and calls, time-stretched and
 *   perturbed, so the distances have a realistic structure;
 * - the map (UMAP, 2-D) of 20,000 regions from a precomputed 15-NN graph over
 *   their summary vectors;
 * - moving the cut of a stored 2,000-region run plus loading everything the
 *   gallery redraws (the 'clusters:cut' and 'clusters:current' work).
 */
import { mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchLine } from '../types';
import { devSetsAvailable, loadDevSets } from './cluster-dev-sets';
import { recutInBrowser } from './cluster-browser';
import { acousticSequences } from '../../engine/clusters/acoustic-sequences';
import { DEFAULT_ACOUSTIC_OPTIONS } from '../../engine/clusters/acoustic-frames';
import { QUANTILE_STEPS, recutCurrentRun, storeNewRun } from '../../engine/clusters/cluster-runs';
import { currentClusteringView } from '../../engine/clusters/clustering-view';
import { distanceQuantiles, pairCount } from '../../engine/clusters/condensed';
import { cutIntoCount } from '../../engine/clusters/cut';
import { linkage } from '../../engine/clusters/linkage';
import { layoutMap } from '../../engine/clusters/map-layout';
import { parallelKnn } from '../../engine/clusters/parallel-knn';
import { parallelDtwMatrix } from '../../engine/clusters/parallel-pairwise';
import { meanStdVectors, sequenceAt, sequenceSetFrom, type SequenceSet } from '../../engine/clusters/sequences';
import { openProject } from '../../engine/project/open-project';
import { upsertScannedRecording } from '../../engine/store/recordings';
import { createRng } from '../../engine/util/random';

export const CLUSTER_SPEED_NAMES = ['cluster_dtw_complete_10k_seconds', 'cluster_umap_20k_seconds', 'cluster_recut_gallery_ms', 'cluster_recut_gallery_browser_ms'];

const round = (x: number) => Math.round(x * 100) / 100;
const cpuSecondsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};
const load = () => round(loadavg()[0]);

/** `count` sequences of 5–50 frames made from real ones: resampled in time, with a little noise. */
async function realisticSequences(count: number, seed: number): Promise<SequenceSet> {
  const sources: Float32Array[] = [];
  let dim = DEFAULT_ACOUSTIC_OPTIONS.mfccCount;
  if (devSetsAvailable()) {
    for (const set of await loadDevSets()) {
      const s = await acousticSequences(set.items, { ...DEFAULT_ACOUSTIC_OPTIONS, normalise: set.name === 'orca' });
      dim = s.dim;
      for (let i = 0; i < s.lengths.length; i++) sources.push(sequenceAt(s, i));
    }
  }
  const rng = createRng(seed);
  if (sources.length === 0) {
    // Without ../shared: smooth random walks.
    for (let i = 0; i < 200; i++) {
      const len = 30;
      const out = new Float32Array(len * dim);
      const level = Array.from({ length: dim }, () => rng() * 4 - 2);
      for (let f = 0; f < len; f++) for (let d = 0; d < dim; d++) out[f * dim + d] = level[d] += (rng() - 0.5) * 0.3;
      sources.push(out);
    }
  }
  const sequences = Array.from({ length: count }, () => {
    const src = sources[Math.floor(rng() * sources.length)];
    const srcLen = src.length / dim;
    const len = 5 + Math.floor(rng() * 46);
    const out = new Float32Array(len * dim);
    for (let f = 0; f < len; f++) {
      const at = Math.min(srcLen - 1, Math.floor((f * srcLen) / len));
      for (let d = 0; d < dim; d++) out[f * dim + d] = src[at * dim + d] + (rng() - 0.5) * 0.2;
    }
    return out;
  });
  return sequenceSetFrom(sequences, dim);
}

export async function runClusterSpeed(ctx: BenchContext, emit: (line: BenchLine) => void, wanted: (name: string) => boolean): Promise<void> {
  if (wanted('cluster_dtw_complete_10k_seconds')) {
    const set = await realisticSequences(10_000, 3);
    const loadBefore = load();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { condensed, workers } = await parallelDtwMatrix(set, { cost: 'euclidean', band: 0.1 });
    const dtwSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const tree = linkage(condensed, 'complete');
    const linkageSeconds = (performance.now() - t1) / 1000;
    cutIntoCount(tree, 50);
    emit({
      name: 'cluster_dtw_complete_10k_seconds', value: round(dtwSeconds + linkageSeconds), unit: 's', better: 'lower', target: 60,
      detail: {
        regions: 10_000, framesPerRegion: '5–50', dims: set.dim, band: 0.1, pairs: pairCount(10_000), workers,
        dtwSeconds: round(dtwSeconds), linkageSeconds: round(linkageSeconds), pairsPerSecond: Math.round(pairCount(10_000) / dtwSeconds),
        matrixMb: round((condensed.byteLength) / 2 ** 20), linkageWorkingCopyMb: round(condensed.byteLength / 2 ** 20),
        peakRssMb: round(process.resourceUsage().maxRSS / 1024), loadBefore, loadAfter: load(),
        // CPU seconds of all threads: on a loaded machine wall time says little; a quiet 2-core box needs about half of this.
        cpuSeconds: round(cpuSecondsSince(cpu0)),
      },
    });
  }
  if (wanted('cluster_umap_20k_seconds')) {
    const vectors = meanStdVectors(await realisticSequences(20_000, 5));
    const loadBefore = load();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const graph = await parallelKnn(vectors, 15);
    const knnSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const positions = await layoutMap(graph, { seed: 1 });
    const umapSeconds = (performance.now() - t1) / 1000;
    if (!positions.x.every(Number.isFinite)) throw new Error('UMAP gave non-finite positions');
    emit({
      name: 'cluster_umap_20k_seconds', value: round(knnSeconds + umapSeconds), unit: 's', better: 'lower', target: 60,
      detail: {
        points: 20_000, dims: vectors.dim, neighbours: 15, knnSeconds: round(knnSeconds), umapSeconds: round(umapSeconds), epochs: 200,
        loadBefore, loadAfter: load(), cpuSeconds: round(cpuSecondsSince(cpu0)), knnWorkers: 'one per core', umapThreads: 1,
      },
    });
  }
  if (wanted('cluster_recut_gallery_ms')) emit(await recutBench(join(ctx.tmpDir, 'recut')));
  if (wanted('cluster_recut_gallery_browser_ms')) {
    const line = await recutInBrowser(ctx);
    if (line) emit(line);
  }
}

/** Moving the cut of a stored 2,000-region run, plus the view the gallery redraws from; median of 9 cuts. */
async function recutBench(dir: string): Promise<BenchLine> {
  await mkdir(dir, { recursive: true });
  const project = await openProject(dir);
  try {
    const recordingId = upsertScannedRecording(project.db, {
      relPath: 'bench.wav', sizeBytes: 1, mtimeMs: 1, hash: 'bench', status: 'ok',
      info: { sampleRate: 16_000, channels: 1, frames: 16_000 * 3600, durationSeconds: 3600, codec: 'pcm_s16le', container: 'wav', bitsPerSample: 16 },
    }).id;
    const set = meanStdVectors(await realisticSequences(2000, 7));
    const { euclideanMatrix } = await import('../../engine/clusters/pairwise');
    const condensed = euclideanMatrix(set);
    const tree = linkage(condensed, 'average');
    const units = Array.from({ length: 2000 }, (_, i) => ({ recordingId, startSample: i * 20_000, endSample: i * 20_000 + 8000 }));
    storeNewRun(project.db, {
      algorithm: 'bench', params: {}, units, tree, quantiles: distanceQuantiles(condensed, QUANTILE_STEPS), flat: cutIntoCount(tree, 40), cut: { kind: 'count', k: 40 },
    });
    const times: number[] = [];
    for (const k of [30, 50, 20, 60, 40, 25, 45, 35, 55]) {
      const t = performance.now();
      recutCurrentRun(project.db, { kind: 'count', k }, 1);
      currentClusteringView(project.db, condensed);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return {
      name: 'cluster_recut_gallery_ms', value: round(times[4]), unit: 'ms', better: 'lower', target: 200,
      detail: { regions: 2000, cuts: times.length, maxMs: round(times[times.length - 1]), measures: 'recut (undoable edit, names carried) + the clustering view with cohesion; not the browser paint', load: load() },
    };
  } finally {
    project.close();
  }
}
