/**
 * Job calls: list, start and cancel the project's long-running work (run by
 * the project's JobRunner in worker threads), and the last retrain's report.
 */
import { SonotypeError } from '../../../src-shared/errors';
import { jobResultOf, type JobResult } from '../../../src-shared/job-kinds';
import type { RetrainReport } from '../../../src-shared/review-types';
import { jobRecordToProgress } from '../../engine/jobs/job-records';
import { getJob, listJobs } from '../../engine/store/jobs';
import type { ProjectDb } from '../../engine/store/database';
import { requireProject, requireSession, type AppState } from '../app-state';
import type { HandlersFor } from './handler-types';

type JobCalls = 'jobs:list' | 'jobs:start' | 'jobs:cancel' | 'retrain:lastReport';

export function jobHandlers(state: AppState): HandlersFor<JobCalls> {
  return {
    'jobs:list': async () => requireSession(state).runner.list(),
    // Kind and params were checked against JOB_KINDS by dispatchCall (and are checked again by the runner).
    'jobs:start': async (...args) => requireSession(state).runner.start(...args),
    'jobs:cancel': async (jobId) => {
      const session = requireSession(state);
      if (!getJob(session.project.db, jobId)) throw new SonotypeError('NOT_FOUND', `Job ${jobId} does not exist in this project.`);
      return session.runner.cancel(jobId);
    },
    'retrain:lastReport': async () => lastRetrainReport(requireProject(state).db),
  };
}

/**
 * The newest succeeded 'retrain-head' job as a RetrainReport. A retrain that
 * had no held-out recordings (too few recordings with labels) has no
 * confusion matrices, so it yields null rather than invented counts.
 */
export function lastRetrainReport(db: ProjectDb): RetrainReport | null {
  const newest = listJobs(db, { states: ['succeeded'] }).find((job) => job.kind === 'retrain-head');
  if (!newest) return null;
  const result = jobResultOf(jobRecordToProgress(newest), 'retrain-head');
  return result ? toRetrainReport(result) : null;
}

/** Maps the retrain task's result onto the contract's report; null when it has no held-out scores. */
export function toRetrainReport(result: JobResult<'retrain-head'>): RetrainReport | null {
  if (!result.heldOut) return null;
  const metricsCurve = result.head.metrics.lossCurve;
  const lossCurve = Array.isArray(metricsCurve)
    ? metricsCurve.map((v) => (typeof v === 'number' ? v : (v as { loss?: unknown })?.loss)).filter((v): v is number => typeof v === 'number')
    : [result.training.loss];
  const h = result.heldOut;
  return {
    headModelId: result.head.id,
    heldOutBy: h.by,
    folds: h.folds,
    heldOutRecordings: h.testRecordingIds.length,
    heldOutFrames: h.windows,
    trainFrames: result.training.examples,
    before: h.before?.counts ?? null,
    after: h.after.counts,
    // Reports of retrains from before onset-F1 was kept have balanced accuracy only.
    scores: {
      before: h.before ? { score: h.beforeScore ?? null, balancedAccuracy: h.beforeBalancedAccuracy, onsetF1: h.beforeOnsetF1 ?? null } : null,
      after: { score: h.afterScore ?? null, balancedAccuracy: h.afterBalancedAccuracy, onsetF1: h.afterOnsetF1 ?? null },
    },
    seconds: result.seconds,
    lossCurve,
    adopted: result.adopted,
    decision: result.decision,
    activeHeadId: result.activeHeadId,
  };
}
