/**
 * Exact k nearest neighbours of summary vectors (Euclidean), brute force over
 * worker threads (one per core): the precomputed graph the map's UMAP runs
 * on when a run has no distance matrix to read neighbours from. 20,000
 * regions are 4·10⁸ distance evaluations — seconds, where umap-js's own
 * NN-descent takes minutes.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SonotypeError } from '../../../src-shared/errors';
import { engineFileUrl } from '../util/source-root';
import type { KnnGraph } from './map-layout';
import { sequenceCount, type SequenceSet } from './sequences';

export interface KnnWorkerData {
  hostModuleUrl: string;
  vectors: SharedArrayBuffer;
  indices: SharedArrayBuffer;
  distances: SharedArrayBuffer;
  control: SharedArrayBuffer;
  n: number;
  dim: number;
  k: number;
  rowsPerTask: number;
}

/** The k nearest items (the item itself first) of every single-frame sequence of `set`. */
export async function parallelKnn(set: SequenceSet, k: number, workers = availableParallelism()): Promise<KnnGraph> {
  const n = sequenceCount(set);
  const kk = Math.min(k, n);
  if (set.lengths.some((l) => l !== 1)) throw new SonotypeError('INVALID_ARGUMENT', 'Neighbours are searched between summary vectors (one frame per region).');
  const vectors = new SharedArrayBuffer(n * set.dim * 4);
  const view = new Float32Array(vectors as unknown as ArrayBuffer);
  for (let i = 0; i < n; i++) view.set(set.data.subarray(set.offsets[i] * set.dim, (set.offsets[i] + 1) * set.dim), i * set.dim);
  const indices = new SharedArrayBuffer(n * kk * 4);
  const distances = new SharedArrayBuffer(n * kk * 4);
  const data: KnnWorkerData = {
    hostModuleUrl: engineFileUrl('clusters/knn-worker-host.ts').href, vectors, indices, distances, control: new SharedArrayBuffer(4),
    n, dim: set.dim, k: kk, rowsPerTask: Math.max(1, Math.floor(n / (Math.max(1, workers) * 32))),
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(16, workers)) }, () => new Promise<void>((resolve, reject) => {
    const worker = new Worker(engineFileUrl('jobs/worker-bootstrap.mjs'), { workerData: data });
    worker.once('message', () => {
      resolve();
      void worker.terminate();
    });
    worker.once('error', (e) => reject(new SonotypeError('INTERNAL', `A neighbour-search worker failed: ${e.message}`)));
  })));
  const idx = new Int32Array(indices as unknown as ArrayBuffer);
  const dist = new Float32Array(distances as unknown as ArrayBuffer);
  return {
    indices: Array.from({ length: n }, (_, i) => Array.from(idx.subarray(i * kk, (i + 1) * kk))),
    distances: Array.from({ length: n }, (_, i) => Array.from(dist.subarray(i * kk, (i + 1) * kk))),
  };
}
