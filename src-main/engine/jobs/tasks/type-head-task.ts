/**
 * 'type-head' jobs: train the type head on the regions people typed, score it
 * on held-out recordings, and store a prediction for every region of the
 * current clustering. Params and result: JOB_KINDS['type-head'].
 */
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import { trainProjectTypeHead, featureConfigIdOf } from '../../clusters/train-type-head';
import type { JobContext } from '../task-context';
import { taskProject } from './task-project';

export async function run(ctx: JobContext<'type-head'>, params: JobParams<'type-head'>): Promise<JobResult<'type-head'>> {
  const project = taskProject(ctx);
  return trainProjectTypeHead(
    { dir: project.dir, db: project.db, resolveRecordingPath: project.resolveRecordingPath, featureConfigId: () => featureConfigIdOf(project.db, project.featureConfig()) },
    { seed: params.seed, signal: ctx.signal, onPhase: (phase) => ctx.report({ phase }) },
  );
}
