/**
 * 'import' jobs: annotation tables read into labels
 * (engine/exchange/import-tables.ts) in a worker thread, with progress in
 * rows and cancel. Everything before the write can be cancelled; the write
 * is one transaction (one undo step), so a cancelled or killed import leaves
 * the project unchanged. Params and result: JOB_KINDS.import
 * (src-shared/job-kinds.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import { importAnnotationTables } from '../../exchange/import-tables';
import { openProject } from '../../project/open-project';
import type { JobContext } from '../task-context';

export async function run(ctx: JobContext<'import'>, params: JobParams<'import'>): Promise<JobResult<'import'>> {
  const project = await openProject(dirname(ctx.dbPath), { recoverInterruptedJobs: false });
  try {
    const { tables, options } = params;
    ctx.report({ phase: 'reading', done: 0, total: tables.length, itemsLabel: 'tables' });
    const inputs = tables.map((t) => ({ name: t.name, bytes: readFileSync(t.path) }));
    return importAnnotationTables(project.db, project.audioRoot, inputs, { ...options, author: params.author ?? null }, {
      checkCancelled: () => ctx.throwIfCancelled(),
      onTableRead: (done, total) => ctx.report({ done, total }),
      // The last one carries a message so that it is posted at once, not merged into the 'writing' report.
      onRows: (done, total) => ctx.report({ phase: 'matching', done, total, itemsLabel: 'rows', ...(done === total ? { message: `${total} rows read` } : {}) }),
      onWrite: (labels) => ctx.report({ phase: 'writing', done: 0, total: null, itemsLabel: 'labels', message: `${labels} labels` }),
    });
  } finally {
    project.close();
  }
}
