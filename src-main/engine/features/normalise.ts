/**
 * Z-score normalisation of feature windows.
 *
 * The formula is the seeds' one, kept on purpose so models stay comparable:
 * (x − mean) / (std + 1) with the population std (numpy's default ddof = 0),
 * ORIGINAL_PIPELINE.md §1 "Normalization: each window is z-scored as
 * (x−mean)/(std+1)". The +1 keeps near-constant windows (digital silence)
 * from being blown up to noise. Per-recording normalisation uses the same
 * formula with one mean/std over every value of every real frame of the
 * recording (padding frames excluded).
 */

/** Added to the std in the denominator, as in the seeds. */
export const ZSCORE_STD_OFFSET = 1;

/** Mean and population standard deviation of a set of values. */
export interface ZScoreStats {
  mean: number;
  std: number;
  count: number;
}

/** Mean and population std of `data` (two passes, double precision). */
export function computeStats(data: Float32Array): ZScoreStats {
  const n = data.length;
  if (n === 0) return { mean: 0, std: 0, count: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += data[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i] - mean;
    sq += d * d;
  }
  return { mean, std: Math.sqrt(sq / n), count: n };
}

/** In place: data[i] = (data[i] − mean) / (std + 1). */
export function applyZScore(data: Float32Array, stats: Pick<ZScoreStats, 'mean' | 'std'>): void {
  const mean = stats.mean;
  const inv = 1 / (stats.std + ZSCORE_STD_OFFSET);
  for (let i = 0; i < data.length; i++) data[i] = (data[i] - mean) * inv;
}

/** Per-window normalisation, in place (the seeds' default). */
export function normaliseWindow(data: Float32Array): void {
  applyZScore(data, computeStats(data));
}

/**
 * Accumulates recording-wide statistics chunk by chunk (Chan et al.'s
 * parallel combination of per-chunk mean and M2, stable for long files).
 */
export class RecordingStatsAccumulator {
  private count = 0;
  private mean = 0;
  private m2 = 0;

  /** Adds every value of a chunk. */
  add(data: Float32Array): void {
    const chunk = computeStats(data);
    if (chunk.count === 0) return;
    const total = this.count + chunk.count;
    const delta = chunk.mean - this.mean;
    this.mean += (delta * chunk.count) / total;
    this.m2 += chunk.std * chunk.std * chunk.count + (delta * delta * this.count * chunk.count) / total;
    this.count = total;
  }

  /** Mean and population std of everything added (zeros when nothing was). */
  result(): ZScoreStats {
    if (this.count === 0) return { mean: 0, std: 0, count: 0 };
    return { mean: this.mean, std: Math.sqrt(this.m2 / this.count), count: this.count };
  }
}
