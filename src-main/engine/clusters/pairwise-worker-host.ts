/**
 * A worker thread of the parallel DTW matrix (parallel-pairwise.ts). It takes
 * rows from a shared atomic counter (rows near the top are long, so blocks
 * are handed out dynamically) and writes them straight into the shared
 * condensed matrix; progress and cancellation are shared integers too.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DtwRows } from './pairwise';
import type { PairwiseWorkerData } from './parallel-pairwise';

const data = workerData as PairwiseWorkerData;
const set = {
  dim: data.dim,
  data: new Float32Array(data.frames),
  offsets: new Int32Array(data.offsets),
  lengths: new Int32Array(data.lengths),
};
const n = set.lengths.length;
const condensed = new Float32Array(data.condensed);
const control = new Int32Array(data.control);
const progress = new Float64Array(data.progress);
const rows = new DtwRows(set, data.options);

try {
  for (;;) {
    if (Atomics.load(control, 1) !== 0) break; // cancelled
    const first = Atomics.add(control, 0, data.rowsPerTask);
    if (first >= n) break;
    const last = Math.min(n, first + data.rowsPerTask);
    let pairs = 0;
    for (let i = first; i < last; i++) {
      rows.computeRow(i, condensed);
      pairs += n - i - 1;
    }
    progress[data.workerIndex] += pairs;
  }
  parentPort!.postMessage({ ok: true, stats: rows.stats });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: (error as Error).message });
}
