/**
 * Smoothed processing rate and ETA from a stream of (time, done) samples.
 * The rate is an exponential moving average whose weight depends on the time
 * between samples (time constant `smoothingSeconds`), so bursty reports do
 * not make the ETA jump, and irregular report intervals are weighted fairly.
 */
import type { JobProgress, JobProgressUpdate } from '../../../src-shared/job-types';

export interface RateEstimatorOptions {
  /** Time constant of the moving average (seconds). */
  smoothingSeconds?: number;
  /** Samples closer together than this are merged into the next one (ms). */
  minSampleMs?: number;
}

export class RateEstimator {
  private readonly tauMs: number;
  private readonly minSampleMs: number;
  private anchor: { timeMs: number; done: number } | null = null;
  private smoothed: number | null = null;

  constructor(options: RateEstimatorOptions = {}) {
    this.tauMs = (options.smoothingSeconds ?? 5) * 1000;
    this.minSampleMs = options.minSampleMs ?? 250;
  }

  /** Forgets the history (a new phase counts different units or restarts at 0). */
  reset(): void {
    this.anchor = null;
    this.smoothed = null;
  }

  /** Adds a sample: `done` units finished at `timeMs` (monotonic milliseconds). */
  observe(done: number, timeMs: number): void {
    if (!Number.isFinite(done)) return;
    if (this.anchor === null || done < this.anchor.done) {
      this.reset();
      this.anchor = { timeMs, done };
      return;
    }
    const elapsedMs = timeMs - this.anchor.timeMs;
    if (elapsedMs < this.minSampleMs) return;
    const instant = ((done - this.anchor.done) * 1000) / elapsedMs;
    const weight = 1 - Math.exp(-elapsedMs / this.tauMs);
    this.smoothed = this.smoothed === null ? instant : this.smoothed + weight * (instant - this.smoothed);
    this.anchor = { timeMs, done };
  }

  /** Units per second, or null until at least one full sample interval was seen. */
  get itemsPerSecond(): number | null {
    return this.smoothed;
  }

  /** Seconds left to reach `total` from `done`, or null when unknown. */
  etaSeconds(done: number, total: number | null): number | null {
    return remainingSeconds(done, total, this.smoothed ?? undefined);
  }
}

/**
 * Seconds left at `itemsPerSecond` (in the units `done` and `total` count), or
 * null when unknown. A task that reports its own rate gets its ETA from that
 * same rate, so the two numbers shown side by side always agree.
 */
export function remainingSeconds(done: number, total: number | null, itemsPerSecond: number | undefined): number | null {
  if (total === null || !Number.isFinite(total)) return null;
  if (done >= total) return 0;
  if (itemsPerSecond === undefined || !(itemsPerSecond > 0)) return null;
  return (total - done) / itemsPerSecond;
}

/**
 * A running job's progress after a task's update, with the rate and ETA
 * filled in: the task's own rate when it reports one, else the smoothed rate
 * of `rate` (which starts afresh with each new phase: it counts other work).
 */
export function progressWithRate(previous: JobProgress, update: JobProgressUpdate, rate: RateEstimator, nowMs: number): JobProgress {
  const next: JobProgress = { ...previous, ...update };
  if (update.phase !== undefined && update.phase !== previous.phase) rate.reset();
  if (update.done !== undefined) rate.observe(update.done, nowMs);
  const smoothed = rate.itemsPerSecond;
  if (update.itemsPerSecond === undefined && smoothed !== null) next.itemsPerSecond = smoothed;
  next.etaSeconds = update.itemsPerSecond !== undefined
    ? remainingSeconds(next.done, next.total, update.itemsPerSecond)
    : rate.etaSeconds(next.done, next.total);
  return next;
}
