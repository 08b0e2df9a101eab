/**
 * Converting between the runner's JobProgress and the jobs table (which
 * stores the progress snapshot as JSON), so jobs of earlier sessions and of
 * other processes can be listed alongside live ones.
 */
import type { JobKind, JobProgress } from '../../../src-shared/job-types';
import type { JobOutcome, JobRecord } from '../store/jobs';
import type { WorkerEnd } from './job-worker';

/** The JobProgress of a stored job; state and error always come from the row, not the snapshot. */
export function jobRecordToProgress(record: JobRecord): JobProgress {
  const stored = (record.progress ?? {}) as Partial<JobProgress>;
  const progress: JobProgress = {
    ...stored,
    jobId: record.id,
    // A row of a kind this build does not know (written by a newer Sonotype) is still listed as it is.
    kind: record.kind as JobKind,
    state: record.state,
    phase: typeof stored.phase === 'string' ? stored.phase : record.state,
    done: typeof stored.done === 'number' ? stored.done : 0,
    total: typeof stored.total === 'number' ? stored.total : null,
    // An ETA saved while the job ran means nothing once it is read back later.
    etaSeconds: record.state === 'succeeded' ? 0 : null,
    params: record.params,
    createdAt: record.createdAt,
  };
  if (record.startedAt !== null) progress.startedAt = record.startedAt;
  else delete progress.startedAt;
  if (record.finishedAt !== null) progress.finishedAt = record.finishedAt;
  else delete progress.finishedAt;
  if (record.error) progress.error = record.error;
  else delete progress.error;
  return progress;
}

/** The snapshot written to jobs.progress_json (everything but what the row keeps in columns). */
export function progressToRecord(progress: JobProgress): Record<string, unknown> {
  const { jobId: _jobId, kind: _kind, params: _params, createdAt: _c, startedAt: _s, finishedAt: _f, ...rest } = progress;
  return rest;
}

/** The note a running job shows between the cancel request and its end. */
export const CANCELLING_NOTE = 'cancelling…';

/** How a job ended (as its worker says) as the stored outcome and the job's final progress. */
export function endedProgress(progress: JobProgress, end: WorkerEnd, finishedAt: number): { outcome: JobOutcome; final: JobProgress } {
  const outcome: JobOutcome =
    end.type === 'done' ? { state: 'succeeded' } : end.type === 'stopped' ? { state: 'cancelled' } : { state: 'failed', error: end.error };
  const final: JobProgress = { ...progress, state: outcome.state, etaSeconds: outcome.state === 'succeeded' ? 0 : null, finishedAt };
  // A succeeded job keeps its last note (a scan's summary, a training's speed); others lose transient ones ("cancelling…").
  if (outcome.state !== 'succeeded') delete final.message;
  // The cancel came too late: the task had finished and its work is kept.
  else if (final.message === CANCELLING_NOTE) final.message = 'finished before the cancel took effect; its results are kept';
  if (outcome.state === 'failed') final.error = outcome.error;
  if (end.type === 'done') final.result = end.result;
  return { outcome, final };
}
