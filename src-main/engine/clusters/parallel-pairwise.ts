/**
 * The DTW matrix computed by several worker threads (one per core by
 * default) writing into one shared condensed matrix. Same results as
 * dtwMatrix (pairwise.ts), which small sets use directly: starting threads
 * costs ~100 ms, more than a few thousand pairs take.
 */
import { throwIfCancelled } from '../util/cancel';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SonotypeError } from '../../../src-shared/errors';
import { engineFileUrl } from '../util/source-root';
import { MAX_CONDENSED_ITEMS, pairCount } from './condensed';
import { checkDtwOptions } from './dtw';
import { addPairStats, dtwMatrix, emptyPairStats, type DtwMatrixOptions, type PairStats } from './pairwise';
import { sequenceCount, type SequenceSet } from './sequences';

/** What each pairwise worker receives (plain data and shared buffers). */
export interface PairwiseWorkerData {
  hostModuleUrl: string;
  workerIndex: number;
  dim: number;
  frames: SharedArrayBuffer;
  offsets: SharedArrayBuffer;
  lengths: SharedArrayBuffer;
  condensed: SharedArrayBuffer;
  /** Int32 [next row to hand out, cancelled flag]. */
  control: SharedArrayBuffer;
  /** Float64 pairs done per worker. */
  progress: SharedArrayBuffer;
  rowsPerTask: number;
  options: Omit<DtwMatrixOptions, 'onProgress'>;
}

export interface ParallelDtwOptions extends DtwMatrixOptions {
  /** Worker threads (default: one per core). */
  workers?: number;
  signal?: AbortSignal;
  /** Below this many pairs the matrix is computed in the calling thread (default 200,000). */
  minPairsForWorkers?: number;
}

function shared(source: ArrayLike<number>, Kind: Float32ArrayConstructor | Int32ArrayConstructor): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(source.length * Kind.BYTES_PER_ELEMENT);
  new Kind(buffer as unknown as ArrayBuffer).set(source);
  return buffer;
}

/** The condensed DTW matrix of `set`, computed in parallel (see the file header). */
export async function parallelDtwMatrix(set: SequenceSet, options: ParallelDtwOptions): Promise<{ condensed: Float32Array; stats: PairStats; workers: number }> {
  checkDtwOptions(options);
  const n = sequenceCount(set);
  if (n > MAX_CONDENSED_ITEMS) {
    throw new SonotypeError('INVALID_ARGUMENT', `Cannot cluster ${n} regions in one pass (at most ${MAX_CONDENSED_ITEMS}).`);
  }
  const total = pairCount(n);
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), 16));
  if (total < (options.minPairsForWorkers ?? 200_000) || workers === 1) {
    throwIfCancelled(options.signal, 'Computing distances');
    const { condensed, stats } = dtwMatrix(set, options);
    return { condensed, stats, workers: 1 };
  }
  const condensedBuffer = new SharedArrayBuffer(total * 4);
  const control = new SharedArrayBuffer(8);
  const progress = new SharedArrayBuffer(8 * workers);
  const base = {
    hostModuleUrl: engineFileUrl('clusters/pairwise-worker-host.ts').href,
    dim: set.dim,
    frames: shared(set.data, Float32Array),
    offsets: shared(set.offsets, Int32Array),
    lengths: shared(set.lengths, Int32Array),
    condensed: condensedBuffer,
    control,
    progress,
    // Small blocks balance the triangle's long first rows against its short last ones.
    rowsPerTask: Math.max(1, Math.floor(n / (workers * 64))),
    options: { cost: options.cost, band: options.band, ceiling: options.ceiling },
  };
  const controlView = new Int32Array(control);
  const progressView = new Float64Array(progress);
  const onAbort = () => Atomics.store(controlView, 1, 1);
  options.signal?.addEventListener('abort', onAbort);
  const timer = setInterval(() => {
    let done = 0;
    for (let w = 0; w < workers; w++) done += progressView[w];
    try {
      options.onProgress?.(done, total);
    } catch {
      onAbort(); // a progress callback that throws cancels, as in the single-thread path
    }
  }, 250);
  try {
    const results = await Promise.all(
      Array.from({ length: workers }, (_, workerIndex) => runWorker({ ...base, workerIndex })),
    );
    if (Atomics.load(controlView, 1) !== 0) throw new SonotypeError('CANCELLED', 'Computing distances was cancelled.');
    options.onProgress?.(total, total);
    return { condensed: new Float32Array(condensedBuffer), stats: results.reduce(addPairStats, emptyPairStats()), workers };
  } finally {
    clearInterval(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function runWorker(data: PairwiseWorkerData): Promise<PairStats> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(engineFileUrl('jobs/worker-bootstrap.mjs'), { workerData: data });
    let settled = false;
    worker.once('message', (reply: { ok: true; stats: PairStats } | { ok: false; message: string }) => {
      settled = true;
      if (reply.ok) resolve(reply.stats);
      else reject(new SonotypeError('INTERNAL', `A distance worker failed: ${reply.message}`));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      if (!settled) reject(new SonotypeError('INTERNAL', `A distance worker failed: ${error.message}`));
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new SonotypeError('INTERNAL', `A distance worker stopped (exit code ${code}).`));
    });
  });
}
