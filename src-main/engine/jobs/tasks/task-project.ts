/**
 * The project as a task sees it inside a job worker: built around
 * the worker's own database connection (ctx.openDb()), so the task never
 * opens a second connection that could mistake running jobs for crashed ones.
 */
import { dirname, resolve } from 'node:path';
import { projectOn, type Project } from '../../project/open-project';
import type { JobContext } from '../task-context';

/** The project of the job's database, with paths resolved as openProject does. */
export function taskProject(ctx: Pick<JobContext, 'dbPath' | 'openDb'>): Omit<Project, 'close'> {
  return projectOn(dirname(resolve(ctx.dbPath)), ctx.openDb());
}
