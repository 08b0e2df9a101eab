/**
 * 'cluster' jobs: clusterProject in a worker thread, progress forwarded, the
 * distance matrix checkpointed once computed (the slow part: a cancelled or
 * crashed run resumes at the clustering phase when the regions and settings
 * have not changed). Params and result: JOB_KINDS.cluster (src-shared/job-kinds.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import { clusterProject } from '../../clusters/cluster-project';
import type { JobContext } from '../task-context';
import { taskProject } from './task-project';

const MATRIX_FILE = 'distances.f32';

export async function run(ctx: JobContext<'cluster'>, params: JobParams<'cluster'>): Promise<JobResult<'cluster'>> {
  const project = taskProject(ctx);
  let resumeDistances: { condensed: Float32Array; unitsKey: string } | undefined;
  const saved = ctx.resume?.state as { unitsKey?: string } | null | undefined;
  if (ctx.resume && saved?.unitsKey && ctx.resume.files.includes(MATRIX_FILE)) {
    const bytes = readFileSync(join(ctx.resume.dir, MATRIX_FILE));
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    resumeDistances = { condensed: new Float32Array(copy.buffer), unitsKey: saved.unitsKey };
  }
  const result = await clusterProject({ dir: project.dir, db: project.db, resolveRecordingPath: project.resolveRecordingPath }, params, {
    signal: ctx.signal,
    isCancelled: () => ctx.isCancelled(),
    resumeDistances,
    onProgress: (p) => ctx.report({ phase: p.phase, done: p.done, total: p.total, itemsLabel: p.itemsLabel }),
    onDistances: async (condensed, unitsKey) => {
      await ctx.checkpoint({ unitsKey }, { [MATRIX_FILE]: new Uint8Array(condensed.buffer, condensed.byteOffset, condensed.byteLength) });
    },
  });
  return {
    runId: result.runId, regions: result.regions, clusters: result.clusters, unclustered: result.unclustered,
    representation: result.settings.representation, linkage: result.settings.linkage, cut: result.cut, why: result.settings.why,
    seconds: result.seconds, pairs: result.pairs,
  };
}
