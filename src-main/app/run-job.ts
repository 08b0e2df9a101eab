/**
 * Calls whose work is heavy (a scan, the feature pipeline, a model
 * reconstruction) run it as a job of the open project's JobRunner, off the
 * main process, and resolve when it ends: the caller gets the result as
 * before, and the job shows progress in the jobs panel and can be cancelled.
 */
import { SonotypeError } from '../../src-shared/errors';
import type { JobKind, JobParams, JobResult } from '../../src-shared/job-kinds';
import type { JobRunner } from '../engine/jobs/job-runner';

/** Starts a job of `kind` and waits for it: its result, or its error (CANCELLED when it was cancelled). */
export async function runJobToEnd<K extends JobKind>(runner: JobRunner, kind: K, params: JobParams<K>): Promise<JobResult<K>> {
  // The signature above ties params to kind; the runner checks them again against JOB_KINDS[kind].
  const final = await runner.wait(runner.startUnchecked(kind, params));
  if (final.state === 'succeeded') return final.result as JobResult<K>;
  if (final.state === 'cancelled') throw new SonotypeError('CANCELLED', `The ${kind} job (#${final.jobId}) was cancelled.`);
  throw new SonotypeError(final.error?.code ?? 'INTERNAL', final.error?.message ?? `The ${kind} job (#${final.jobId}) failed.`);
}
