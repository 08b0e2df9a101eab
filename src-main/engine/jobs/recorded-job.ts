/**
 * Work a process does itself (the CLI's `sonotype detect`, a folder scan)
 * recorded as a job in the project's jobs table, like the runner's worker
 * jobs: the app lists it with its start time, parameters and live progress
 * even though another process runs it.
 */
import { toErrorInfo } from '../../../src-shared/errors';
import type { JobKind, JobProgressUpdate } from '../../../src-shared/job-types';
import type { ProjectDb } from '../store/database';
import { createJob, finishJob, startJob, updateJobProgress } from '../store/jobs';

export interface RecordedJobOptions {
  /** Cancelling it ends the job as 'cancelled' instead of 'failed'. */
  signal?: AbortSignal;
  /** Minimum time between progress writes (ms). Default 500. */
  persistIntervalMs?: number;
}

/**
 * Runs `work` as job `kind`: created and started at once, every progress
 * report kept (written at most every `persistIntervalMs`, the last one
 * always), and ended as succeeded, cancelled or failed with the error.
 */
export async function runRecordedJob<T>(
  db: ProjectDb,
  kind: JobKind,
  params: Record<string, unknown>,
  work: (report: (update: JobProgressUpdate) => void) => Promise<T>,
  options: RecordedJobOptions = {},
): Promise<T> {
  const job = createJob(db, { kind, params });
  startJob(db, job.id);
  const interval = options.persistIntervalMs ?? 500;
  let progress: Record<string, unknown> = { phase: 'starting', done: 0, total: null };
  let writtenAt = 0;
  let pending = false;
  const write = () => {
    writtenAt = Date.now();
    pending = false;
    updateJobProgress(db, job.id, progress);
  };
  const report = (update: JobProgressUpdate) => {
    progress = { ...progress, ...update };
    if (Date.now() - writtenAt >= interval) write();
    else pending = true;
  };
  try {
    const result = await work(report);
    if (pending) write();
    finishJob(db, job.id, { state: 'succeeded' });
    return result;
  } catch (error) {
    if (pending) write();
    finishJob(db, job.id, options.signal?.aborted ? { state: 'cancelled' } : { state: 'failed', error: toErrorInfo(error) });
    throw error;
  }
}
