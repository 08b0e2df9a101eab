/**
 * 'retrain-head' jobs: retrain the silence head from cached embeddings and
 * the current labels, re-derive every region, and return the held-out
 * before/after confusion matrices for the app's comparison plot.
 * Params and result: JOB_KINDS['retrain-head'] (src-shared/job-kinds.ts).
 */
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import { initBackend } from '../../models/backend';
import { retrainHead } from '../../detection/retrain-head';
import type { JobContext } from '../task-context';
import { reportDetectProgress } from './detect-task';
import { taskProject } from './task-project';

export async function run(ctx: JobContext<'retrain-head'>, params: JobParams<'retrain-head'>): Promise<JobResult<'retrain-head'>> {
  const backend = await initBackend(params.backend ?? 'auto');
  const result = await retrainHead(taskProject(ctx), {
    signal: ctx.signal,
    regionParams: params.regionParams,
    evaluate: params.evaluate,
    onProgress: (p) => reportDetectProgress(ctx, p),
  });
  return { ...result, backend: `${backend.name} (${backend.reason})` };
}
