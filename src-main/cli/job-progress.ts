/**
 * Runs one job from the CLI: progress as a bar on a terminal, JSON lines with
 * --json, a line per phase/epoch otherwise; Ctrl-C cancels the job cleanly
 * (its checkpoint stays, so `--resume` continues it).
 */
import { formatEta } from '../../src-shared/format';
import type { JobProgress } from '../../src-shared/job-types';
import type { JobRunner } from '../engine/jobs';
import type { CliIo } from './output';

export interface RunJobOptions {
  json: boolean;
  io: CliIo;
}


export function progressLine(p: JobProgress): string {
  const fraction = p.total ? Math.min(1, p.done / p.total) : 0;
  const width = 24;
  const bar = '█'.repeat(Math.round(fraction * width)).padEnd(width, '·');
  const epoch = p.epoch ? ` epoch ${p.epoch}/${p.epochs}` : '';
  const loss = p.loss !== undefined ? ` loss ${p.loss.toFixed(4)}` : '';
  const rate = p.itemsPerSecond ? ` ${p.itemsPerSecond.toFixed(1)} ${p.kind === 'train' ? 'windows' : p.itemsLabel ?? 'items'}/s` : '';
  return `${p.phase.padEnd(16)} ${bar} ${String(Math.round(fraction * 100)).padStart(3)}%${epoch}${loss}${rate} ETA ${formatEta(p.etaSeconds)}`;
}

/** Waits for the job, printing progress; resolves with its final state. */
export async function followJob(runner: JobRunner, jobId: number, { json, io }: RunJobOptions): Promise<JobProgress> {
  let lastPhase = '';
  let lastEpoch = -1;
  const unsubscribe = runner.onProgress((p) => {
    if (p.jobId !== jobId) return;
    if (json) {
      io.out(JSON.stringify(p));
    } else if (io.isTty) {
      process.stderr.write(`\r${progressLine(p).slice(0, (process.stderr.columns ?? 120) - 1)}`);
    } else if (p.phase !== lastPhase || (p.epoch !== undefined && p.epoch !== lastEpoch)) {
      io.err(progressLine(p));
    }
    lastPhase = p.phase;
    lastEpoch = p.epoch ?? lastEpoch;
  });
  const onSigint = () => {
    io.err('\nCancelling… (the last checkpoint is kept: run again with --resume to continue)');
    runner.cancel(jobId);
  };
  process.once('SIGINT', onSigint);
  try {
    const final = await runner.wait(jobId);
    if (io.isTty && !json) process.stderr.write('\n');
    return final;
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
  }
}
