/**
 * Messages between the job runner (main thread) and the worker host that
 * runs one task. Plain data only: they are structured-cloned.
 */
import type { ErrorInfo } from '../../../src-shared/errors';
import type { JobProgressUpdate } from '../../../src-shared/job-types';
import type { ResumePoint } from './task-context';

/** `workerData` of a job worker. */
export interface WorkerStartData {
  jobId: number;
  kind: string;
  /** file: URL of the task module to import. */
  taskModuleUrl: string;
  params: Record<string, unknown>;
  dbPath: string;
  /** Folder where this job writes its checkpoints. */
  checkpointDir: string;
  resume: ResumePoint | null;
  /** One Int32 slot set to 1 on cancel, readable from synchronous loops. */
  cancelFlag: SharedArrayBuffer;
}

export type MainToWorker =
  | { type: 'cancel' }
  | { type: 'checkpoint-recorded'; seq: number; error?: ErrorInfo };

export type WorkerToMain =
  | { type: 'progress'; update: JobProgressUpdate }
  | { type: 'checkpoint'; seq: number; dir: string }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: ErrorInfo };
