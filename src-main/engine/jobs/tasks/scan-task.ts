/**
 * 'scan' jobs: the project's audio root scanned into its database in a worker
 * thread (engine/project/scan-project.ts), with progress per file and cancel.
 * The app's project:scan runs one and waits for it. Params and result:
 * JOB_KINDS.scan (src-shared/job-kinds.ts).
 */
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import { scanProjectFiles, scanSummary } from '../../project/scan-project';
import type { JobContext } from '../task-context';
import { taskProject } from './task-project';

export async function run(ctx: JobContext<'scan'>, _params: JobParams<'scan'>): Promise<JobResult<'scan'>> {
  const project = taskProject(ctx); // on the worker's own connection, closed when the task ends
  ctx.report({ phase: 'scanning', done: 0, total: null, itemsLabel: 'files', message: project.audioRoot });
  const report = await scanProjectFiles(project, { signal: ctx.signal, onFile: (done, relPath) => ctx.report({ done, message: relPath }) });
  // The jobs panel then shows what the scan found, not the last file name and a bare count.
  ctx.report(scanSummary(report.totals));
  return report.totals;
}
