/**
 * 'export' jobs: the project's labels written into a folder
 * (engine/exchange/export-project.ts) in a worker thread, with progress per
 * file or WAV member and cancel; the app's exchange:export runs one and
 * waits for it. Params and result: JOB_KINDS.export (src-shared/job-kinds.ts).
 */
import { dirname } from 'node:path';
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import { exportLabels } from '../../exchange/export-project';
import { openProject } from '../../project/open-project';
import type { JobContext } from '../task-context';

export async function run(ctx: JobContext<'export'>, params: JobParams<'export'>): Promise<JobResult<'export'>> {
  const project = await openProject(dirname(ctx.dbPath), { recoverInterruptedJobs: false });
  try {
    const { format, outDir, source } = params.request;
    ctx.report({ phase: 'writing', done: 0, total: null, itemsLabel: format === 'cluster-wav' ? 'sounds' : 'files', message: outDir });
    return await exportLabels(project.db, {
      format, outDir, source: source ?? 'human', signal: ctx.signal,
      resolvePath: (rel) => project.resolveRecordingPath(rel), channel: project.featureConfig()?.channel ?? 0,
      onProgress: (done, total) => ctx.report({ done, total }),
    });
  } finally {
    project.close();
  }
}
