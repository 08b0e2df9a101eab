/**
 * The project as a detection task sees it inside a job worker: built around
 * the worker's own database connection (ctx.openDb()), so the task never
 * opens a second connection that could mistake running jobs for crashed ones.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { DetectionProject } from '../../detection/detect-types';
import { projectFeatureConfig, projectFeatureConfigFor, projectRateGroups } from '../../project/open-project';
import type { ProjectDb } from '../../store/database';
import { getSetting } from '../../store/settings';
import type { JobContext } from '../task-context';

/** The project of the job's database, with paths resolved as openProject does. */
export function taskProject(ctx: Pick<JobContext, 'dbPath' | 'openDb'>): DetectionProject & { audioRoot: string } {
  const db: ProjectDb = ctx.openDb();
  const dir = dirname(resolve(ctx.dbPath));
  const storedRoot = getSetting(db, 'audioRoot') ?? '.';
  const audioRoot = isAbsolute(storedRoot) ? storedRoot : resolve(dir, storedRoot);
  return {
    dir,
    audioRoot,
    db,
    featureConfig: () => projectFeatureConfig(db),
    featureConfigFor: (nativeRate) => projectFeatureConfigFor(db, nativeRate),
    rateGroups: () => projectRateGroups(db),
    resolveRecordingPath: (relPath) => join(audioRoot, ...relPath.split('/')),
  };
}
