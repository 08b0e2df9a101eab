/**
 * 'retrain-head' jobs: retrain the detection head from the cached frame
 * features and the current labels; the new head becomes active only when it
 * scores better on held-out human labels (a tie: see isBetterHead; retrain-detector.ts).
 * The result carries both scores and the held-out confusion matrices for the
 * app's before/after plot.
 * Params and result: JOB_KINDS['retrain-head'] (src-shared/job-kinds.ts).
 */
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import { retrainDetector } from '../../detection/retrain-detector';
import type { JobContext } from '../task-context';
import { reportDetectProgress } from './detect-task';
import { taskProject } from './task-project';

export async function run(ctx: JobContext<'retrain-head'>, params: JobParams<'retrain-head'>): Promise<JobResult<'retrain-head'>> {
  return retrainDetector(taskProject(ctx), {
    signal: ctx.signal,
    regionParams: params.regionParams,
    seed: params.seed,
    onProgress: (p) => reportDetectProgress(ctx, p),
  });
}
