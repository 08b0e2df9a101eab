/**
 * Where a distributed run stands: jobs done, failed and running, live
 * workers, the rate over the last minute and the time left at that rate.
 */
import { formatEta } from '../../../src-shared/format';

/** Where the run stands (for progress lines and the UI). */
export interface QueueProgress {
  total: number;
  done: number;
  failed: number;
  /** Jobs a worker is working on now. */
  running: number;
  /** Worker connections on the queue (BullMQ's live-worker count). */
  workers: number;
  /** Seconds left at the rate of the last minute, null before the first result. */
  etaSeconds: number | null;
  /** Results applied per second over the last minute. */
  perSecond: number;
}

/** One line: "jobs 12/40 done, 0 failed, 3 running on 2 workers, 0.80/s, ETA 35 s" (ETA as everywhere, src-shared/format.ts). */
export function describeQueueProgress(p: QueueProgress): string {
  const eta = p.etaSeconds === null ? '' : `, ETA ${formatEta(p.etaSeconds)}`;
  const rate = p.perSecond > 0 ? `, ${p.perSecond.toFixed(p.perSecond < 10 ? 2 : 0)}/s` : '';
  return `jobs ${p.done}/${p.total} done, ${p.failed} failed, ${p.running} running on ${p.workers} worker${p.workers === 1 ? '' : 's'}${rate}${eta}`;
}

/** Completions of the last minute, for the rate and the ETA. */
export class CompletionRate {
  private readonly times: number[] = [];

  record(at = Date.now()): void {
    this.times.push(at);
  }

  progress(counts: Omit<QueueProgress, 'etaSeconds' | 'perSecond'> & { outstanding: number }): QueueProgress {
    const now = Date.now();
    while (this.times.length > 0 && this.times[0] < now - 60_000) this.times.shift();
    const span = this.times.length > 1 ? (now - this.times[0]) / 1000 : 0;
    const perSecond = span > 0 ? this.times.length / span : 0;
    const { outstanding, ...rest } = counts;
    return { ...rest, etaSeconds: perSecond > 0 ? outstanding / perSecond : null, perSecond };
  }
}
