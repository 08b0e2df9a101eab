/**
 * Memory-bounded per-frequency noise-floor estimation for the heuristic
 * silence detector.
 *
 * Each bin's dB values are counted in a fixed histogram (DB_FLOOR … +40 dB in
 * 0.5-dB cells), so a 3-hour file needs bins × 400 counters, not an array of
 * all frames. The floor of a bin is a low quantile of its values (minimum
 * statistics: sounds are rare in a given bin, noise is always there), turned
 * into an estimate of the mean noise power by the bias factor of an
 * exponentially distributed power (Gaussian noise): the q-quantile of an
 * Exp(mean μ) power is μ·(−ln(1 − q)).
 */
import { DB_FLOOR } from '../features';

export const HIST_MIN_DB = DB_FLOOR;
export const HIST_MAX_DB = 40;
export const HIST_STEP_DB = 0.5;
const LEVELS = Math.round((HIST_MAX_DB - HIST_MIN_DB) / HIST_STEP_DB);
/** dB cells per bin of a BinHistograms. */
export const HISTOGRAM_LEVELS = LEVELS;

/** One dB histogram per frequency bin. */
export class BinHistograms {
  readonly binCount: number;
  /** counts[bin * LEVELS + level] */
  private readonly counts: Uint32Array;
  frames = 0;

  constructor(binCount: number) {
    this.binCount = binCount;
    this.counts = new Uint32Array(binCount * LEVELS);
  }

  /** Counts one frame's binCount dB values starting at data[offset]. */
  addFrame(data: Float32Array, offset: number): void {
    const counts = this.counts;
    for (let b = 0; b < this.binCount; b++) {
      let level = Math.floor((data[offset + b] - HIST_MIN_DB) / HIST_STEP_DB);
      if (!(level >= 0)) level = 0; // also NaN
      else if (level >= LEVELS) level = LEVELS - 1;
      counts[b * LEVELS + level]++;
    }
    this.frames++;
  }

  /** Adds another histogram's counts (same binCount) into this one. */
  addAll(other: BinHistograms): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.frames += other.frames;
  }

  reset(): void {
    this.counts.fill(0);
    this.frames = 0;
  }

  /** A copy of the counts (bin-major, HISTOGRAM_LEVELS per bin), to send the histogram elsewhere. */
  toCounts(): Uint32Array {
    return this.counts.slice();
  }

  /** The histogram of `counts` (as toCounts gives them) over `frames` frames. */
  static fromCounts(binCount: number, counts: Uint32Array, frames: number): BinHistograms {
    const h = new BinHistograms(binCount);
    if (counts.length !== h.counts.length) throw new RangeError(`A histogram of ${binCount} bins has ${h.counts.length} counts, not ${counts.length}.`);
    h.counts.set(counts);
    h.frames = frames;
    return h;
  }

  /**
   * Per-bin q-quantile in dB, linearly interpolated inside the 0.5-dB cell
   * (error ≤ one cell). NaN for every bin when no frame was counted.
   */
  quantiles(q: number): Float64Array {
    const out = new Float64Array(this.binCount).fill(NaN);
    if (this.frames === 0) return out;
    const target = q * this.frames;
    for (let b = 0; b < this.binCount; b++) {
      let cum = 0;
      const base = b * LEVELS;
      for (let l = 0; l < LEVELS; l++) {
        const c = this.counts[base + l];
        if (c > 0 && cum + c >= target) {
          out[b] = HIST_MIN_DB + (l + Math.max(0, target - cum) / c) * HIST_STEP_DB;
          break;
        }
        cum += c;
      }
    }
    return out;
  }
}

/** dB to add to a q-quantile of exponential power to get its mean. */
export function quantileToMeanDb(q: number): number {
  return -10 * Math.log10(-Math.log(1 - q));
}

/**
 * Frame thresholds for `liveBins` analysed bins, as power ratios to the noise
 * mean, from false-alarm arguments under Gaussian noise:
 * - energy: the mean of liveBins ratios has mean 1 and standard deviation
 *   ≈ √(1.5 / liveBins) (Hann leakage correlates neighbouring bins), so
 *   1 + z·√(1.5/liveBins), but at least minEnergyMarginDb;
 * - peak: P(max of liveBins Exp(1) ratios > t) ≈ liveBins·e^(−t), so
 *   t = ln(liveBins / falseAlarm), but at least minPeakMarginDb.
 */
export function frameThresholds(
  liveBins: number,
  opts: { energyZ: number; minEnergyMarginDb: number; peakFalseAlarm: number; minPeakMarginDb: number },
): { energyRatio: number; peakRatio: number } {
  const n = Math.max(1, liveBins);
  const energyRatio = Math.max(1 + opts.energyZ * Math.sqrt(1.5 / n), 10 ** (opts.minEnergyMarginDb / 10));
  const peakRatio = Math.max(Math.log(n / opts.peakFalseAlarm), 10 ** (opts.minPeakMarginDb / 10));
  return { energyRatio, peakRatio };
}
