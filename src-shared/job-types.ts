/**
 * Long-running work (scanning, training, embedding, detection …) runs as a
 * job: it starts, gets an id, reports typed progress with an ETA, can be
 * cancelled and resumes from its last checkpoint. These types are shared by
 * the engine, the main process and the UI; they are plain data (structured
 * clone and JSON safe).
 */
import type { ErrorInfo } from './errors';
import type { JobKind } from './job-kinds';

/** Job kinds, their parameters and results are defined once, in job-kinds.ts. */
export type { JobKind } from './job-kinds';

/** Life cycle of a job; 'succeeded', 'failed' and 'cancelled' are final (they never change again). */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What `done`/`total` count, for display ("1 200 / 5 000 windows"). */
export type ProgressItemsLabel = 'windows' | 'files' | 'batches' | 'epochs' | 'recordings' | 'steps' | (string & {});

/** A snapshot of a job's progress, as pushed to listeners and stored in the project. */
export interface JobProgress {
  jobId: number;
  kind: JobKind;
  state: JobState;
  /** Current phase in the task's words ("loading windows", "training", "writing predictions"). */
  phase: string;
  /** Units of work done so far; counts up within a phase. */
  done: number;
  /** Units of work in total, or null while unknown. */
  total: number | null;
  epoch?: number;
  epochs?: number;
  batch?: number;
  batches?: number;
  /** Latest training loss, when training. */
  loss?: number;
  /** Smoothed processing rate in `itemsLabel` per second. */
  itemsPerSecond?: number;
  itemsLabel?: ProgressItemsLabel;
  /** Seconds until the job is expected to end, or null while it cannot be estimated yet. */
  etaSeconds: number | null;
  /** A short human-readable note ("resumed from epoch 3"). */
  message?: string;
  /** Why the job failed (state 'failed' only). */
  error?: ErrorInfo;
  /** The id of the job this one resumed from, if it continued another job's checkpoint. */
  resumedFrom?: number;
  /** What the task returned when it succeeded (plain data; typed per kind by `jobResultOf` in job-kinds.ts). */
  result?: unknown;
  /** The parameters the job was started with (as stored with it). */
  params?: Record<string, unknown>;
  /** When the job was created, started running and ended (ms since 1970), where known. */
  createdAt?: number;
  startedAt?: number;
  finishedAt?: number;
}

/**
 * What a task may report: any subset of the descriptive progress fields. The
 * runner adds job id, kind, state and ETA itself; fields not given keep their
 * previous value.
 */
export type JobProgressUpdate = Partial<
  Pick<
    JobProgress,
    'phase' | 'done' | 'total' | 'epoch' | 'epochs' | 'batch' | 'batches' | 'loss' | 'itemsPerSecond' | 'itemsLabel' | 'message'
  >
>;
