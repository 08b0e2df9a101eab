/**
 * Job calls: list, start and cancel the project's long-running work (run by
 * the project's JobRunner in worker threads), and the last retrain's report.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ConfusionCounts, RetrainReport } from '../../../src-shared/review-types';
import { jobRecordToProgress } from '../../engine/jobs/job-records';
import { getJob, listJobs } from '../../engine/store/jobs';
import type { ProjectDb } from '../../engine/store/database';
import { requireProject, requireSession, type AppState } from '../app-state';
import type { HandlersFor } from './handler-types';

type JobCalls = 'jobs:list' | 'jobs:start' | 'jobs:cancel' | 'retrain:lastReport';

export function jobHandlers(state: AppState): HandlersFor<JobCalls> {
  return {
    'jobs:list': async () => requireSession(state).runner.list(),
    // Unknown kinds (a task not registered in this build) are refused by the runner with INVALID_ARGUMENT.
    'jobs:start': async (kind, params) => requireSession(state).runner.start(kind, params),
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
  return toRetrainReport(jobRecordToProgress(newest).result);
}

/** Maps the retrain task's result (engine/detection RetrainResult) onto the contract's report; null when it has no held-out scores. */
export function toRetrainReport(result: unknown): RetrainReport | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as {
    head?: { id?: unknown; metrics?: Record<string, unknown> };
    training?: { loss?: unknown; examples?: unknown };
    labelled?: { windows?: unknown };
    heldOut?: { testRecordingIds?: unknown; before?: { counts?: unknown } | null; after?: { counts?: unknown } } | null;
    seconds?: unknown;
  };
  const after = confusionCounts(r.heldOut?.after?.counts);
  if (typeof r.head?.id !== 'number' || !after) return null;
  const metricsCurve = r.head.metrics?.lossCurve;
  const lossCurve = Array.isArray(metricsCurve)
    ? metricsCurve.map((v) => (typeof v === 'number' ? v : (v as { loss?: unknown })?.loss)).filter((v): v is number => typeof v === 'number')
    : typeof r.training?.loss === 'number' ? [r.training.loss] : [];
  return {
    headModelId: r.head.id,
    heldOutRecordings: Array.isArray(r.heldOut?.testRecordingIds) ? r.heldOut.testRecordingIds.length : 0,
    trainWindows: typeof r.training?.examples === 'number' ? r.training.examples : typeof r.labelled?.windows === 'number' ? r.labelled.windows : 0,
    before: confusionCounts(r.heldOut?.before?.counts),
    after,
    seconds: typeof r.seconds === 'number' ? r.seconds : 0,
    lossCurve,
  };
}

function confusionCounts(value: unknown): ConfusionCounts | null {
  const ok = (row: unknown): row is [number, number] => Array.isArray(row) && row.length === 2 && row.every((n) => typeof n === 'number');
  if (!Array.isArray(value) || value.length !== 2 || !ok(value[0]) || !ok(value[1])) return null;
  return [[value[0][0], value[0][1]], [value[1][0], value[1][1]]];
}
