/**
 * A worker thread of parallelKnn (parallel-knn.ts): takes blocks of rows from
 * a shared counter and writes each row's k nearest neighbours (itself first)
 * into the shared index and distance arrays.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { KnnWorkerData } from './parallel-knn';

const data = workerData as KnnWorkerData;
const vectors = new Float32Array(data.vectors);
const indices = new Int32Array(data.indices);
const distances = new Float32Array(data.distances);
const control = new Int32Array(data.control);
const { n, dim, k } = data;
const row = new Float64Array(n);
const bestIdx = new Int32Array(k);
const bestD = new Float64Array(k);

for (;;) {
  const first = Atomics.add(control, 0, data.rowsPerTask);
  if (first >= n) break;
  for (let i = first; i < Math.min(n, first + data.rowsPerTask); i++) {
    const a = i * dim;
    for (let j = 0; j < n; j++) {
      const b = j * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const x = vectors[a + d] - vectors[b + d];
        s += x * x;
      }
      row[j] = s;
    }
    // Insertion into a sorted list of the k best (k is small); the item itself (distance 0) comes first.
    let count = 1;
    bestIdx[0] = i;
    bestD[0] = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const v = row[j];
      if (count < k || v < bestD[count - 1]) {
        let at = count < k ? count++ : count - 1;
        while (at > 1 && bestD[at - 1] > v) {
          bestD[at] = bestD[at - 1];
          bestIdx[at] = bestIdx[at - 1];
          at--;
        }
        bestD[at] = v;
        bestIdx[at] = j;
      }
    }
    for (let t = 0; t < k; t++) {
      indices[i * k + t] = bestIdx[t];
      distances[i * k + t] = t === 0 ? 0 : Math.sqrt(bestD[t]);
    }
  }
}
parentPort!.postMessage({ ok: true });
