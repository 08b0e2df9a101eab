/**
 * The per-frame arithmetic of the detection features (frame-features.ts
 * streams a recording through it): given one frame's dB spectrum in the
 * detection band and the noise floor of its segment, the BASE_DIMS values
 * of that frame. Stateful only through the previous frame (spectral flux).
 * The last column, tonalRidge, is left 0 here: frame-features.ts fills it
 * from the tonal ridge tracker when the analysis asks for it (tonal-ridge.ts).
 */
import { DB_FLOOR } from '../../features';
import { partitionAt } from '../../util/quickselect';

export const BASE_FEATURE_NAMES = [
  'peakDb', 'bandDb', 'share6', 'share12', 'top5Db', 'entropy', 'fluxDb', 'centroid', 'peakPosition',
  'sub1Db', 'sub2Db', 'sub3Db', 'sub4Db', 'sub5Db', 'sub6Db', 'sub7Db', 'sub8Db', 'tonalRidge',
] as const;
export const BASE_DIMS = BASE_FEATURE_NAMES.length;
export const PEAK = 0;
export const BAND = 1;
/** 1 on frames of a faint tonal contour (tonal mode only; always 0 otherwise). The last column. */
export const TONAL_RIDGE = BASE_DIMS - 1;
/**
 * The columns the learned head reads (all but tonalRidge, whose effect reaches it through the teacher's decisions):
 * heads trained before tonal mode existed keep their inputs.
 */
export const HEAD_BASE_FEATURE_NAMES: readonly string[] = BASE_FEATURE_NAMES.slice(0, TONAL_RIDGE);
export const HEAD_BASE_DIMS = HEAD_BASE_FEATURE_NAMES.length;
const SUB_BANDS = 8;
/** Excess below this (dB) is clamped: it only says "quieter than usual". */
const MIN_EXCESS_DB = -30;
export const DB_TO_LN = Math.LN10 / 10;
export const LN_TO_DB = 10 / Math.LN10;

/** Sub-band edges (bin indices) on a log-frequency axis. */
function subBandEdges(frequencies: Float64Array): Int32Array {
  const bins = frequencies.length;
  const lo = Math.max(1, frequencies[0]);
  const hi = frequencies[bins - 1];
  const edges = new Int32Array(SUB_BANDS + 1);
  for (let k = 0; k <= SUB_BANDS; k++) {
    const hz = lo * (hi / lo) ** (k / SUB_BANDS);
    let b = 0;
    while (b < bins && frequencies[b] < hz) b++;
    edges[k] = k === SUB_BANDS ? bins : b;
  }
  // Every sub-band gets at least one bin (low bands are narrow on a log axis).
  for (let k = 1; k <= SUB_BANDS; k++) edges[k] = Math.max(edges[k], Math.min(bins, edges[k - 1] + 1));
  return edges;
}

/** Sum of the k largest of values[0, n), by quickselect (values is scratch: reordered). O(n) on average. */
export function sumOfLargest(values: Float64Array, n: number, k: number): number {
  const target = n - k; // values[target …] end up the k largest
  partitionAt(values, target, n);
  let s = 0;
  for (let i = target; i < n; i++) s += values[i];
  return s;
}

/** Computes the features of one frame into out[at …]; scratch buffers are the caller's. */
export class FrameFeatureWriter {
  private readonly ratio: Float64Array;
  private readonly excess: Float64Array;
  private readonly sorted: Float64Array;
  private readonly previous: Float32Array;
  private hasPrevious = false;
  private readonly edges: Int32Array;
  /** Excess dB per bin of the frame being written. */
  private readonly level: Float64Array;

  constructor(private readonly bins: number, frequencies: Float64Array) {
    this.ratio = new Float64Array(bins);
    this.excess = new Float64Array(bins);
    this.sorted = new Float64Array(bins);
    this.previous = new Float32Array(bins);
    this.edges = subBandEdges(frequencies);
    this.level = new Float64Array(bins);
  }

  /** Excess dB per bin of the frame written last (MIN_EXCESS_DB where there is no floor): the ridge tracker's input. */
  get levels(): Float64Array {
    return this.level;
  }

  /** Takes the frame before a range as the previous frame (spectral flux) without writing its features. */
  prime(x: Float32Array, offset: number): void {
    this.previous.set(x.subarray(offset, offset + this.bins));
    this.hasPrevious = true;
  }

  /** Writes the features of the frame at x[offset …] against `floor` (null: no floor, e.g. digital silence). */
  write(x: Float32Array, offset: number, floor: Float64Array | null, out: Float32Array, at: number): void {
    const bins = this.bins;
    const ratio = this.ratio;
    let live = 0;
    let sum = 0;
    let share6 = 0;
    let share12 = 0;
    let flux = 0;
    const level = this.level;
    for (let b = 0; b < bins; b++) {
      const n = floor ? floor[b] : NaN;
      const v = x[offset + b];
      if (this.hasPrevious) flux += Math.max(0, Math.max(v, DB_FLOOR) - this.previous[b]);
      this.previous[b] = v;
      if (Number.isNaN(n)) {
        ratio[b] = NaN;
        level[b] = MIN_EXCESS_DB;
        continue;
      }
      const r = Math.max(MIN_EXCESS_DB, v - n);
      level[b] = r;
      ratio[b] = Math.exp(r * DB_TO_LN);
      this.sorted[live++] = r;
      sum += ratio[b];
      if (r > 6) share6++;
      if (r > 12) share12++;
    }
    this.hasPrevious = true;
    out[at + TONAL_RIDGE] = 0;
    if (live === 0) {
      out.fill(0, at, at + BASE_DIMS);
      out[at + PEAK] = MIN_EXCESS_DB;
      out[at + BAND] = MIN_EXCESS_DB;
      return;
    }
    // Peak: 3-bin power mean (one noisy bin alone is not a peak), and where it is.
    let peak = 0;
    let peakAt = 0;
    let excessSum = 0;
    let centroid = 0;
    for (let b = 0; b < bins; b++) {
      const r = ratio[b];
      if (Number.isNaN(r)) {
        this.excess[b] = 0;
        continue;
      }
      let s = r;
      let c = 1;
      if (b > 0 && !Number.isNaN(ratio[b - 1])) (s += ratio[b - 1]), c++;
      if (b + 1 < bins && !Number.isNaN(ratio[b + 1])) (s += ratio[b + 1]), c++;
      if (s / c > peak) {
        peak = s / c;
        peakAt = b;
      }
      const e = Math.max(0, r - 1);
      this.excess[b] = e;
      excessSum += e;
      centroid += e * b;
    }
    // Entropy of q_b = r_b / Σr without a log per bin: H = ln Σr − Σ r_b ln r_b / Σr, and ln r_b is the dB value we have.
    let rLnR = 0;
    for (let b = 0; b < bins; b++) {
      const r = ratio[b];
      if (!Number.isNaN(r)) rLnR += r * level[b] * DB_TO_LN;
    }
    const entropy = Math.log(sum) - rLnR / sum;
    const topCount = Math.max(1, Math.round(live * 0.05));
    const top = sumOfLargest(this.sorted, live, topCount);
    out[at + PEAK] = LN_TO_DB * Math.log(peak);
    out[at + BAND] = LN_TO_DB * Math.log(sum / live);
    out[at + 2] = share6 / live;
    out[at + 3] = share12 / live;
    out[at + 4] = top / topCount;
    out[at + 5] = live > 1 ? entropy / Math.log(live) : 0;
    out[at + 6] = flux / bins;
    out[at + 7] = excessSum > 0 ? centroid / excessSum / Math.max(1, bins - 1) : 0.5;
    out[at + 8] = peakAt / Math.max(1, bins - 1);
    for (let k = 0; k < SUB_BANDS; k++) {
      let s = 0;
      let c = 0;
      for (let b = this.edges[k]; b < this.edges[k + 1]; b++) {
        if (Number.isNaN(ratio[b])) continue;
        s += ratio[b];
        c++;
      }
      out[at + 9 + k] = c ? LN_TO_DB * Math.log(Math.max(s / c, 1e-3)) : MIN_EXCESS_DB;
    }
  }
}
