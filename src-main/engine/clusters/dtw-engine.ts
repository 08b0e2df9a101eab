/**
 * One DTW distance function for a whole sequence set, fastest available:
 * the WebAssembly SIMD cost kernel (dtw-simd.ts) with the dynamic programme
 * in JS, or the plain JS dtwDistance where SIMD is missing. Both give the
 * same distances up to float32 rounding of the frame costs (dtw.test.ts).
 */
import { bandRanges, checkDtwOptions, dtwDistance, dtwRowsFromCosts, DtwWorkspace, type DtwOptions } from './dtw';
import { createSimdBandCosts, type SimdBandCosts } from './dtw-simd';
import type { SequenceSet } from './sequences';

/** Rows handed to the kernel at once: small enough to abandon early, large enough to amortise the call. */
const ROWS_PER_CALL = 8;

export class DtwEngine {
  private readonly ws = new DtwWorkspace();
  private readonly simd: SimdBandCosts | null;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;

  constructor(private readonly set: SequenceSet, private readonly options: DtwOptions, useSimd = true) {
    checkDtwOptions(options);
    let longest = 1;
    for (let i = 0; i < set.lengths.length; i++) longest = Math.max(longest, set.lengths[i]);
    this.lo = new Int32Array(longest);
    this.hi = new Int32Array(longest);
    this.ws.ensure(longest);
    this.simd = useSimd ? createSimdBandCosts(set, options.cost, ROWS_PER_CALL * longest) : null;
  }

  /** Whether the SIMD kernel is in use. */
  get accelerated(): boolean {
    return this.simd !== null;
  }

  /** Length-normalised DTW distance of sequences i and j, or Infinity when certainly above `abandonAbove`. */
  distance(i: number, j: number, abandonAbove = Infinity): number {
    if (!this.simd) return dtwDistance(this.set, i, j, this.options, this.ws, abandonAbove);
    let r = i;
    let c = j;
    if (this.set.lengths[j] > this.set.lengths[i]) {
      r = j;
      c = i;
    }
    const n = this.set.lengths[r];
    const m = this.set.lengths[c];
    bandRanges(n, m, this.options.band, this.lo, this.hi);
    const limit = abandonAbove * (n + m);
    for (let first = 0; first < n; first += ROWS_PER_CALL) {
      const rows = Math.min(ROWS_PER_CALL, n - first);
      const costs = this.simd.costs(r, c, first, rows, this.lo, this.hi);
      if (!dtwRowsFromCosts(costs, first, rows, this.lo, this.hi, this.ws, limit)) return Infinity;
    }
    return this.ws.prev[m - 1] / (n + m);
  }
}
