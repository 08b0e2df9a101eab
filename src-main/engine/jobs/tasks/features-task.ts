/**
 * 'features' jobs: the feature pipeline over one recording in a worker thread
 * (engine/project/recording-features.ts); the app's features:describe runs one
 * and waits for it. Params and result: JOB_KINDS.features (src-shared/job-kinds.ts).
 */
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import { describeRecordingFeatures } from '../../project/recording-features';
import type { JobContext } from '../task-context';
import { taskProject } from './task-project';

export async function run(ctx: JobContext<'features'>, params: JobParams<'features'>): Promise<JobResult<'features'>> {
  const project = taskProject(ctx); // on the worker's own connection, closed when the task ends
  ctx.report({ phase: 'analysing', done: 0, total: 1, itemsLabel: 'recordings' });
  const features = await describeRecordingFeatures(project, params.recordingId, ctx.signal);
  ctx.report({ done: 1 });
  return features;
}
