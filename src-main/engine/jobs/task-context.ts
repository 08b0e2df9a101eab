/**
 * What a job's task sees. A task module runs inside a worker thread and
 * exports `run(ctx, params)`; everything it needs from the job system comes
 * through `ctx`.
 */
import type { JobKind, JobParams, JobPhase, JobResult } from '../../../src-shared/job-kinds';
import type { JobProgressUpdate } from '../../../src-shared/job-types';
import type { ProjectDb } from '../store/database';

/** JSON-compatible data, as stored in a checkpoint's state.json. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A checkpoint to continue from. */
export interface ResumePoint {
  /** The job that wrote the checkpoint (this job after a restart, or the job named in `resumeFrom`). */
  jobId: number;
  /** The state passed to `ctx.checkpoint`. */
  state: JsonValue;
  /** Folder holding the checkpoint's files (read them with node:fs). */
  dir: string;
  /** Names of the files saved with the checkpoint, relative to `dir`. */
  files: string[];
}

/** Extra files saved with a checkpoint: name (a plain file name) → contents. */
export type CheckpointFiles = Record<string, Uint8Array | string>;

/** A progress report of a task of kind K: its phases are the ones JOB_KINDS lists for K. */
export type TaskProgressUpdate<K extends JobKind> = Omit<JobProgressUpdate, 'phase'> & { phase?: JobPhase<K> };

export interface JobContext<K extends JobKind = JobKind> {
  readonly jobId: number;
  /** Fires when the user cancels; stop at the next consistent point and throw (or return). */
  readonly signal: AbortSignal;
  /**
   * True once cancellation was requested. Unlike `signal`, this is visible
   * inside a long synchronous loop that never yields to the event loop.
   */
  isCancelled(): boolean;
  /** Throws a CANCELLED error if cancellation was requested (cheap; call it once per batch). */
  throwIfCancelled(): void;
  /** Reports progress; fields not given keep their previous value. Cheap: posts are coalesced. */
  report(update: TaskProgressUpdate<K>): void;
  /**
   * Saves `state` (JSON) and optional files so the work can continue from
   * here after a cancel or crash. Resolves once the checkpoint is on disk
   * and recorded in the project; only the latest checkpoint is kept.
   */
  checkpoint(state: JsonValue, files?: CheckpointFiles): Promise<void>;
  /** The checkpoint to continue from, or null for a fresh start. */
  readonly resume: ResumePoint | null;
  /** Path of the project database, for tasks that read or write project data. */
  readonly dbPath: string;
  /**
   * Opens this worker's own connection to the project database (once; later
   * calls return the same one). It is closed when the task ends. Prefer it to
   * opening `dbPath` directly: it never mistakes running jobs for crashed ones.
   */
  openDb(): ProjectDb;
}

/**
 * The shape of the task module of kind K (registered in task-registry.ts):
 * `run` gets the parameters the runner checked against JOB_KINDS[K] and
 * returns that kind's result (plain data; it becomes the job's `result`).
 */
export interface TaskModule<K extends JobKind> {
  run: (ctx: JobContext<K>, params: JobParams<K>) => Promise<JobResult<K>> | JobResult<K>;
}
