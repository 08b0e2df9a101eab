/**
 * Which task module runs each kind of job. Module paths are relative to this
 * folder (src-main/engine/jobs); resolveWorkerEntry() turns them into what
 * the worker imports. Kinds, their parameters and results are declared in
 * src-shared/job-kinds.ts; every kind the runner runs must be registered
 * here, and the compiler checks each module's `run()` against its kind.
 */
import * as v from 'valibot';
import { SonotypeError } from '../../../src-shared/errors';
import { JOB_KINDS, type JobKind } from '../../../src-shared/job-kinds';
import { describeIssues } from '../../../src-shared/schemas';
import type { TaskModule } from './task-context';
import type * as ClusterTask from './tasks/cluster-task';
import type * as DetectTask from './tasks/detect-task';
import type * as ExportTask from './tasks/export-task';
import type * as FeaturesTask from './tasks/features-task';
import type * as ImportTask from './tasks/import-task';
import type * as ReconstructionTask from './tasks/reconstruction-task';
import type * as TypeHeadTask from './tasks/type-head-task';
import type * as RetrainHeadTask from './tasks/retrain-head-task';
import type * as ScanTask from './tasks/scan-task';
import type * as TestSleepTask from './tasks/test-sleep-task';
import type * as TilesTask from './tasks/tiles-task';
import type * as TrainEncoderTask from './tasks/train-encoder-task';

/** Kinds the JobRunner runs: all of them. */
export type RunnableJobKind = JobKind;

export interface TaskRegistration {
  /** Task module path relative to src-main/engine/jobs, e.g. './tasks/train-task.ts'. */
  module: string;
  /**
   * Heavy jobs (training, embedding, detection) share the runner's
   * concurrency limit and wait in the queue; light ones start at once.
   */
  heavy: boolean;
}

export const TASK_REGISTRY: Readonly<Record<RunnableJobKind, TaskRegistration>> = {
  'test-sleep': { module: './tasks/test-sleep-task.ts', heavy: true },
  train: { module: './tasks/train-encoder-task.ts', heavy: true },
  tiles: { module: './tasks/tiles-task.ts', heavy: false },
  detect: { module: './tasks/detect-task.ts', heavy: true },
  'retrain-head': { module: './tasks/retrain-head-task.ts', heavy: true },
  // The app's calls that wait for their job: never queued behind a training.
  scan: { module: './tasks/scan-task.ts', heavy: false },
  features: { module: './tasks/features-task.ts', heavy: false },
  reconstruction: { module: './tasks/reconstruction-task.ts', heavy: false },
  cluster: { module: './tasks/cluster-task.ts', heavy: true },
  'type-head': { module: './tasks/type-head-task.ts', heavy: false },
  export: { module: './tasks/export-task.ts', heavy: false },
  import: { module: './tasks/import-task.ts', heavy: false },
};

/** The modules above, by kind: a compile error here means a task's run() does not fit its kind in JOB_KINDS. */
type RegisteredTaskModules = CheckTasks<{
  'test-sleep': typeof TestSleepTask;
  train: typeof TrainEncoderTask;
  tiles: typeof TilesTask;
  detect: typeof DetectTask;
  'retrain-head': typeof RetrainHeadTask;
  scan: typeof ScanTask;
  features: typeof FeaturesTask;
  reconstruction: typeof ReconstructionTask;
  cluster: typeof ClusterTask;
  'type-head': typeof TypeHeadTask;
  export: typeof ExportTask;
  import: typeof ImportTask;
}>;
type CheckTasks<T extends { [K in RunnableJobKind]: TaskModule<K> }> = T;
export type { RegisteredTaskModules };

export function isRunnableKind(kind: string): kind is RunnableJobKind {
  return Object.prototype.hasOwnProperty.call(TASK_REGISTRY, kind);
}

/** Whether jobs of `kind` count against the concurrency limit (unknown kinds count as heavy). */
export function isHeavyKind(kind: string): boolean {
  return isRunnableKind(kind) ? TASK_REGISTRY[kind].heavy : true;
}

/** The parameters of a job of `kind`, checked against its schema in JOB_KINDS (unknown keys are refused). */
export function checkJobParams(kind: RunnableJobKind, params: unknown): Record<string, unknown> {
  const parsed = v.safeParse(JOB_KINDS[kind].params, params ?? {});
  if (!parsed.success) throw new SonotypeError('INVALID_ARGUMENT', `Invalid parameters for a ${kind} job: ${describeIssues(parsed.issues)}.`);
  return parsed.output;
}
