/**
 * The 2-D map of the regions: UMAP (umap-js) fed a precomputed k-nearest-
 * neighbour graph, so it never searches neighbours itself (its NN-descent is
 * what makes umap-js slow above ~5,000 points). The neighbours come from the
 * run's own distance matrix (the DTW distances the clusters were cut from),
 * or from brute force over summary vectors when there is no matrix.
 */
import { UMAP } from 'umap-js';
import { createRng } from '../util/random';
import { condensedIndex, itemCountOf } from './condensed';
import { sequenceCount, type SequenceSet } from './sequences';

export interface KnnGraph {
  indices: number[][];
  distances: number[][];
}

/** The k nearest other items of every item under a condensed matrix (Infinity counts as far). */
export function knnFromCondensed(condensed: Float32Array, k: number): KnnGraph {
  const n = itemCountOf(condensed);
  const kk = Math.min(k, n - 1);
  const indices: number[][] = [];
  const distances: number[][] = [];
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) row[j] = j === i ? -1 : Math.min(condensed[condensedIndex(n, i, j)], Number.MAX_VALUE);
    const { idx, dist } = smallest(row, i, kk);
    indices.push(idx);
    distances.push(dist);
  }
  return { indices, distances };
}

/** The k nearest items by Euclidean distance between single-frame sequences (summary vectors), brute force. */
export function knnFromVectors(set: SequenceSet, k: number, onRow?: (i: number) => void): KnnGraph {
  const n = sequenceCount(set);
  const { dim, data } = set;
  const kk = Math.min(k, n - 1);
  const indices: number[][] = [];
  const distances: number[][] = [];
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = set.offsets[i] * dim;
    for (let j = 0; j < n; j++) {
      const b = set.offsets[j] * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const x = data[a + d] - data[b + d];
        s += x * x;
      }
      row[j] = Math.sqrt(s);
    }
    const { idx, dist } = smallest(row, i, kk);
    indices.push(idx);
    distances.push(dist);
    onRow?.(i);
  }
  return { indices, distances };
}

/** The item itself first (distance 0, as umap-js expects), then its k − 1 nearest others. */
function smallest(row: Float64Array, self: number, k: number): { idx: number[]; dist: number[] } {
  const idx: number[] = [self];
  const dist: number[] = [0];
  // Partial selection: keep a sorted list of the best k − 1 (k is small).
  for (let j = 0; j < row.length; j++) {
    if (j === self) continue;
    const v = row[j];
    if (idx.length < k || v < dist[dist.length - 1]) {
      let at = dist.length;
      while (at > 1 && dist[at - 1] > v) at--;
      idx.splice(at, 0, j);
      dist.splice(at, 0, v);
      if (idx.length > k) {
        idx.pop();
        dist.pop();
      }
    }
  }
  return { idx, dist };
}

export interface MapLayoutOptions {
  seed?: number;
  /** Optimisation epochs (default: umap-js's choice by size, at most 200 above 10,000 points). */
  epochs?: number;
  /** Called after every epoch with (epochs done, epochs); may throw to cancel. */
  onEpoch?: (done: number, total: number) => void;
}

/** Epochs between yields to the event loop. */
const EPOCHS_PER_YIELD = 10;

/**
 * 2-D positions of n items from their neighbour graph (each neighbour list
 * starts with the item itself). Async because it yields to the event loop
 * every few epochs: in a job's worker thread a cancel message can only abort
 * the signal between turns of the loop, and the layout can take seconds.
 */
export async function layoutMap(graph: KnnGraph, options: MapLayoutOptions = {}): Promise<{ x: Float32Array; y: Float32Array }> {
  const n = graph.indices.length;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  if (n <= 3) {
    // Too few points for UMAP: a row.
    for (let i = 0; i < n; i++) x[i] = i;
    return { x, y };
  }
  const nNeighbors = graph.indices[0].length;
  const umap = new UMAP({
    nComponents: 2, nNeighbors, minDist: 0.1, random: createRng(options.seed ?? 1),
    nEpochs: options.epochs ?? (n > 10_000 ? 200 : undefined),
  });
  umap.setPrecomputedKNN(graph.indices, graph.distances);
  // With a precomputed graph umap-js only reads the number of points from X.
  const total = umap.initializeFit(Array.from({ length: n }, () => [0]));
  for (let epoch = 0; epoch < total; epoch++) {
    umap.step();
    options.onEpoch?.(epoch + 1, total);
    if ((epoch + 1) % EPOCHS_PER_YIELD === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  umap.getEmbedding().forEach((p, i) => {
    x[i] = p[0];
    y[i] = p[1];
  });
  return { x, y };
}
