/**
 * Pairwise distance matrices over a sequence set, in one thread (the worker
 * pool in parallel-pairwise.ts splits the same loop over cores):
 * - DTW between frame sequences, with an optional ceiling: pairs whose lower
 *   bound (LB_Kim, then LB_Keogh) exceeds it, or that DTW abandons early,
 *   are stored as Infinity — "certainly above the ceiling". Everything at or
 *   below the ceiling is exact, so cuts up to it are exact too;
 * - Euclidean distance between summary vectors (sequences of one frame).
 */
import { allocateCondensed, rowStart } from './condensed';
import { checkDtwOptions, type DtwOptions } from './dtw';
import { DtwEngine } from './dtw-engine';
import { computeEnvelopes, envelopeRadiusFor, lbKeogh, lbKim, type Envelopes } from './lower-bounds';
import { sequenceCount, type SequenceSet } from './sequences';

export interface DtwMatrixOptions extends DtwOptions {
  /** Distances above this may be stored as Infinity (default: none, every pair exact). */
  ceiling?: number;
  /** Called about every 1 % of rows with (pairs done, pairs in total); may throw to cancel. */
  onProgress?: (done: number, total: number) => void;
}

/** How the pairs of a matrix were settled. */
export interface PairStats {
  pairs: number;
  /** Skipped by LB_Kim / LB_Keogh. */
  prunedKim: number;
  prunedKeogh: number;
  /** DTW stopped early (above the ceiling). */
  abandoned: number;
}

export function emptyPairStats(): PairStats {
  return { pairs: 0, prunedKim: 0, prunedKeogh: 0, abandoned: 0 };
}

export function addPairStats(a: PairStats, b: PairStats): PairStats {
  return { pairs: a.pairs + b.pairs, prunedKim: a.prunedKim + b.prunedKim, prunedKeogh: a.prunedKeogh + b.prunedKeogh, abandoned: a.abandoned + b.abandoned };
}

/** Prepared state for computing rows of a DTW matrix (shared by the single-thread and worker paths). */
export class DtwRows {
  private readonly engine: DtwEngine;
  private readonly envelopes: Envelopes | null;
  readonly stats = emptyPairStats();

  constructor(private readonly set: SequenceSet, private readonly options: DtwMatrixOptions) {
    checkDtwOptions(options);
    this.engine = new DtwEngine(set, options);
    this.envelopes = options.ceiling !== undefined && Number.isFinite(options.ceiling) ? computeEnvelopes(set, envelopeRadiusFor(set, options.band)) : null;
  }

  /** Writes d(i, j) for j = i+1 … n−1 into `out` at the condensed positions of row i. */
  computeRow(i: number, out: Float32Array): void {
    const n = sequenceCount(this.set);
    const base = rowStart(n, i) - i - 1;
    const ceiling = this.options.ceiling ?? Infinity;
    for (let j = i + 1; j < n; j++) {
      this.stats.pairs++;
      let d: number;
      if (this.envelopes && lbKim(this.set, i, j, this.options.cost) > ceiling) {
        this.stats.prunedKim++;
        d = Infinity;
      } else if (this.envelopes && lbKeogh(this.set, this.envelopes, i, j, this.options) > ceiling) {
        this.stats.prunedKeogh++;
        d = Infinity;
      } else {
        d = this.engine.distance(i, j, ceiling);
        if (d === Infinity && ceiling !== Infinity) this.stats.abandoned++;
      }
      out[base + j] = d;
    }
  }
}

/** The full condensed DTW matrix in this thread. */
export function dtwMatrix(set: SequenceSet, options: DtwMatrixOptions): { condensed: Float32Array; stats: PairStats } {
  const n = sequenceCount(set);
  const condensed = allocateCondensed(n);
  const rows = new DtwRows(set, options);
  const total = (n * (n - 1)) / 2;
  const every = Math.max(1, Math.floor(n / 100));
  let done = 0;
  for (let i = 0; i < n; i++) {
    rows.computeRow(i, condensed);
    done += n - i - 1;
    if (i % every === 0) options.onProgress?.(done, total);
  }
  return { condensed, stats: rows.stats };
}

/** Euclidean distances between the single-frame sequences (summary vectors) of a set. */
export function euclideanMatrix(set: SequenceSet): Float32Array {
  const n = sequenceCount(set);
  const { dim, data } = set;
  const condensed = allocateCondensed(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = set.offsets[i] * dim;
    for (let j = i + 1; j < n; j++) {
      const b = set.offsets[j] * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const x = data[a + d] - data[b + d];
        s += x * x;
      }
      condensed[k++] = Math.sqrt(s);
    }
  }
  return condensed;
}
