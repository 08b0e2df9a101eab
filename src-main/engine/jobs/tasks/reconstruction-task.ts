/**
 * 'reconstruction' jobs: one feature window and what the project's network
 * makes of it, V1 reconstruction or V3 next frame
 * (engine/models/reconstruction.ts), in a worker thread, so loading tfjs and
 * the model never blocks the main process; the app's figures:reconstruction
 * runs one and waits for it. Params and result: JOB_KINDS.reconstruction.
 */
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import { initBackend } from '../../models/backend';
import { reconstructWindow } from '../../models/reconstruction';
import type { JobContext } from '../task-context';
import { taskProject } from './task-project';

export async function run(ctx: JobContext<'reconstruction'>, params: JobParams<'reconstruction'>): Promise<JobResult<'reconstruction'>> {
  const project = taskProject(ctx); // on the worker's own connection, closed when the task ends
  await initBackend();
  return reconstructWindow(project, params.recordingId, params.windowIndex, {
    signal: ctx.signal,
    onPhase: (phase) => ctx.report({ phase }),
  });
}
