/**
 * Where job workers' code lives. This is the ONE place that knows how a
 * worker is started and where task modules are found, so packaging only
 * changes this file.
 *
 * From TypeScript sources (vitest, tsx, the `sonotype` CLI) a worker starts
 * at worker-bootstrap.mjs, which registers tsx and then imports the
 * TypeScript worker host, which imports the task module.
 *
 * The Electron build (electron-vite) will bundle worker-host.ts and every
 * task module as separate JavaScript entries; this function must then return
 * those bundled files (the host directly as the entry, no tsx).
 */
import { engineFileUrl } from '../util/source-root';
import { SonotypeError } from '../../../src-shared/errors';
import { isRunnableKind, TASK_REGISTRY } from './task-registry';

export interface WorkerEntry {
  /** Script given to `new Worker()`. */
  entry: URL;
  /** file: URL of the worker host module, imported by the entry. */
  hostModuleUrl: string;
  /** file: URL of the task module for the requested kind. */
  taskModuleUrl: string;
}

/** The worker entry and task module for jobs of `kind`; INVALID_ARGUMENT for an unknown kind. */
export function resolveWorkerEntry(kind: string): WorkerEntry {
  const task = isRunnableKind(kind) ? TASK_REGISTRY[kind] : undefined;
  if (!task) {
    const known = Object.keys(TASK_REGISTRY).sort().join(', ');
    throw new SonotypeError('INVALID_ARGUMENT', `There is no job of kind "${kind}" (known kinds: ${known}).`);
  }
  const jobsDir = new URL('./', engineFileUrl('jobs/worker-entry.ts'));
  return {
    entry: new URL('./worker-bootstrap.mjs', jobsDir),
    hostModuleUrl: new URL('./worker-host.ts', jobsDir).href,
    taskModuleUrl: new URL(task.module, jobsDir).href,
  };
}
