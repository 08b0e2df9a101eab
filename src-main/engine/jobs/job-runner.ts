/**
 * Runs long work as jobs in worker threads, off the main thread: each job gets
 * a row in the project's jobs table, typed progress with a smoothed ETA,
 * cancellation, a queue (heavy jobs one at a time by default) and resume from
 * the last checkpoint of a cancelled, failed or crashed job. Plain Node; the
 * Electron main process and the CLI both use it.
 */
import type { ResourceLimits } from 'node:worker_threads';
import { SonotypeError, toErrorInfo } from '../../../src-shared/errors';
import type { JobParams } from '../../../src-shared/job-kinds';
import type { JobProgress, JobProgressUpdate } from '../../../src-shared/job-types';
import type { ProjectDb } from '../store/database';
import { createJob, finishJob, getJob, heartbeatJobs, HEARTBEAT_INTERVAL_MS, listJobs, startJob, updateJobProgress } from '../store/jobs';
import { jobCheckpointDir, pruneCheckpoints, setJobCheckpointPath } from './checkpoint-store';
import { CANCELLING_NOTE, endedProgress, jobRecordToProgress, progressToRecord } from './job-records';
import { JobWorker, type WorkerEnd } from './job-worker';
import { progressWithRate, RateEstimator } from './progress-rate';
import { forgetCheckpointsOfSucceeded, loadResumePoint, removeCheckpointsOfSucceeded } from './resume-points';
import type { ResumePoint } from './task-context';
import { checkJobParams, isHeavyKind, type RunnableJobKind } from './task-registry';
import { resolveWorkerEntry } from './worker-entry';

export interface JobRunnerOptions {
  /** Heavy jobs running at the same time; the rest wait in state 'queued'. Default 1. */
  maxConcurrent?: number;
  /** Time a cancelled task gets to stop by itself before its thread is terminated. Default 2000 ms. */
  cancelGraceMs?: number;
  /** Minimum time between progress writes to the database while a job runs. Default 500 ms. */
  persistIntervalMs?: number;
  /** Memory limits for job threads (a task over the limit fails with a readable message). */
  resourceLimits?: ResourceLimits;
  /** Called when progress could not be saved to the database (the job keeps running). */
  onPersistError?: (error: unknown, jobId: number) => void;
}

export interface StartJobOptions {
  /** Continue from the last checkpoint of this (cancelled, failed or interrupted) job of the same kind. */
  resumeFrom?: number;
}

export type JobProgressListener = (progress: JobProgress) => void;

/** `start()`'s arguments: a kind the runner runs, that kind's parameters (src-shared/job-kinds.ts), options. */
export type RunnerStartArgs = { [K in RunnableJobKind]: [kind: K, params: JobParams<K>, options?: StartJobOptions] }[RunnableJobKind];

interface ActiveJob {
  progress: JobProgress;
  params: Record<string, unknown>;
  heavy: boolean;
  resume: ResumePoint | null;
  rate: RateEstimator;
  worker: JobWorker | null;
  lastPersistAt: number;
  persistTimer: NodeJS.Timeout | null;
  finished: Promise<JobProgress>;
  settle: (final: JobProgress) => void;
}

export class JobRunner {
  private readonly maxConcurrent: number;
  private readonly cancelGraceMs: number;
  private readonly persistIntervalMs: number;
  private readonly listeners = new Set<JobProgressListener>();
  /** Jobs of this runner not yet ended, in start order (the queue is the queued ones among them). */
  private readonly active = new Map<number, ActiveJob>();
  private readonly ended = new Map<number, JobProgress>();
  private startingJobs = false;
  private startAgain = false;
  /** Renews the leases of this runner's jobs so other processes see them alive (store/jobs.ts). */
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: ProjectDb,
    private readonly options: JobRunnerOptions = {},
  ) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 1);
    this.cancelGraceMs = options.cancelGraceMs ?? 2000;
    this.persistIntervalMs = options.persistIntervalMs ?? 500;
  }

  /**
   * Records a job and schedules it; returns its id at once. Throws
   * INVALID_ARGUMENT for an unknown kind, parameters that do not fit the
   * kind's schema or a job that cannot be resumed, NOT_FOUND when
   * `resumeFrom` or its checkpoint does not exist.
   */
  start(...[kind, params, options]: RunnerStartArgs): number {
    return this.enqueue(kind, params, options ?? {});
  }

  /** start() for a kind and parameters not known at compile time (stored rows, tests of refusals): checked at run time only. */
  startUnchecked(kind: string, params: unknown, options: StartJobOptions = {}): number {
    return this.enqueue(kind, params, options);
  }

  private enqueue(kind: string, rawParams: unknown, options: StartJobOptions): number {
    resolveWorkerEntry(kind); // refuse unknown kinds before writing anything
    const params = checkJobParams(kind as RunnableJobKind, rawParams);
    const resume = options.resumeFrom === undefined ? null : loadResumePoint(this.db, kind, options.resumeFrom);
    const record = createJob(this.db, { kind, params });
    if (resume) setJobCheckpointPath(this.db, record.id, resume.dir); // resumable again even before its own first checkpoint
    let settle!: (final: JobProgress) => void;
    const finished = new Promise<JobProgress>((resolve) => (settle = resolve));
    const job: ActiveJob = {
      progress: {
        jobId: record.id, kind: kind as RunnableJobKind, state: 'queued', phase: 'waiting for other jobs', done: 0, total: null, etaSeconds: null,
        params, createdAt: record.createdAt,
      },
      params, heavy: isHeavyKind(kind), resume, rate: new RateEstimator(), worker: null,
      lastPersistAt: 0, persistTimer: null, finished, settle,
    };
    if (options.resumeFrom !== undefined) job.progress.resumedFrom = options.resumeFrom;
    this.active.set(record.id, job);
    this.keepLeasesAlive();
    this.emit(job);
    this.startWaitingJobs();
    return record.id;
  }

  /** Starts a new job continuing `jobId` (same kind and parameters) from its last checkpoint. */
  resume(jobId: number): number {
    const record = getJob(this.db, jobId);
    if (!record) throw new SonotypeError('NOT_FOUND', `Job ${jobId} does not exist in this project.`);
    return this.enqueue(record.kind, record.params, { resumeFrom: jobId });
  }

  /** Cancels a queued or running job. Returns false when it had already ended (or is not this runner's). */
  cancel(jobId: number): boolean {
    const job = this.active.get(jobId);
    if (!job) return false;
    if (job.progress.state === 'queued') {
      this.finish(job, { type: 'stopped' });
    } else if (job.worker) {
      job.progress.message = CANCELLING_NOTE;
      this.emit(job);
      job.worker.requestCancel();
    }
    return true;
  }

  /** Whether this runner runs (or ran) the job; other jobs of the project belong to other processes. */
  owns(jobId: number): boolean {
    return this.active.has(jobId) || this.ended.has(jobId);
  }

  /** Calls `listener` with every progress snapshot of every job; returns the unsubscribe function. */
  onProgress(listener: JobProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** All jobs of the project, newest first; live progress for the ones this runner is running. */
  list(): JobProgress[] {
    return listJobs(this.db).map((record) => {
      const live = this.active.get(record.id)?.progress ?? this.ended.get(record.id);
      return live ? { ...live } : jobRecordToProgress(record);
    });
  }

  /** Resolves with the job's final progress once it has ended. NOT_FOUND for an unknown job. */
  wait(jobId: number): Promise<JobProgress> {
    const job = this.active.get(jobId);
    if (job) return job.finished;
    const ended = this.ended.get(jobId);
    if (ended) return Promise.resolve(ended);
    const record = getJob(this.db, jobId);
    if (!record) return Promise.reject(new SonotypeError('NOT_FOUND', `Job ${jobId} does not exist in this project.`));
    if (record.state === 'queued' || record.state === 'running') {
      return Promise.reject(new SonotypeError('INVALID_ARGUMENT', `Job ${jobId} is run by another Sonotype process; it cannot be awaited here.`));
    }
    return Promise.resolve(jobRecordToProgress(record));
  }

  /** Cancels every job of this runner and waits until all have ended (on project close / app quit). */
  async shutdown(): Promise<void> {
    const pending = [...this.active.values()].map((job) => job.finished);
    // Queued first, so cancelling a running job does not start the next one.
    for (const job of [...this.active.values()].reverse()) this.cancel(job.progress.jobId);
    await Promise.all(pending);
  }

  private keepLeasesAlive(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      const ids = [...this.active.keys()];
      if (ids.length === 0) {
        clearInterval(this.heartbeat!);
        this.heartbeat = null;
        return;
      }
      try {
        heartbeatJobs(this.db, ids);
      } catch (error) {
        this.options.onPersistError?.(error, ids[0]);
      }
    }, HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  private startWaitingJobs(): void {
    // A launch that fails at once ends its job, which calls back in here: finish this pass first, then go again.
    if (this.startingJobs) {
      this.startAgain = true;
      return;
    }
    this.startingJobs = true;
    try {
      do {
        this.startAgain = false;
        let heavyRunning = [...this.active.values()].filter((j) => j.heavy && j.progress.state === 'running').length;
        for (const job of [...this.active.values()]) {
          if (job.progress.state !== 'queued') continue;
          if (job.heavy) {
            if (heavyRunning >= this.maxConcurrent) continue;
            heavyRunning++;
          }
          this.launch(job);
        }
      } while (this.startAgain);
    } finally {
      this.startingJobs = false;
    }
  }

  private launch(job: ActiveJob): void {
    const { jobId, kind } = job.progress;
    job.progress = { ...job.progress, state: 'running', phase: 'starting', startedAt: Date.now() };
    try {
      startJob(this.db, jobId);
      this.emit(job);
      const entry = resolveWorkerEntry(kind);
      job.worker = new JobWorker(
        { jobId, kind, params: job.params, dbPath: this.db.path, checkpointDir: jobCheckpointDir(this.db.path, jobId), resume: job.resume },
        entry,
        {
          onProgress: (update) => this.applyProgress(job, update),
          onCheckpoint: (dir) => this.recordCheckpoint(job, dir),
          onEnd: (end) => this.finish(job, end),
        },
        { cancelGraceMs: this.cancelGraceMs, resourceLimits: this.options.resourceLimits },
      );
    } catch (error) {
      this.finish(job, { type: 'failed', error: toErrorInfo(error) });
    }
  }

  private applyProgress(job: ActiveJob, update: JobProgressUpdate): void {
    job.progress = progressWithRate(job.progress, update, job.rate, performance.now());
    this.emit(job);
    this.persistThrottled(job);
  }

  private recordCheckpoint(job: ActiveJob, dir: string): ReturnType<typeof toErrorInfo> | undefined {
    try {
      this.db.transaction(() => {
        updateJobProgress(this.db, job.progress.jobId, progressToRecord(job.progress));
        setJobCheckpointPath(this.db, job.progress.jobId, dir);
      });
      job.lastPersistAt = Date.now();
      pruneCheckpoints(jobCheckpointDir(this.db.path, job.progress.jobId), dir);
      return undefined;
    } catch (error) {
      return toErrorInfo(error);
    }
  }

  private finish(job: ActiveJob, end: WorkerEnd): void {
    const { jobId } = job.progress;
    if (!this.active.has(jobId)) return;
    if (job.persistTimer) clearTimeout(job.persistTimer);
    const { outcome, final } = endedProgress(job.progress, end, Date.now());
    job.progress = final;
    try {
      this.db.transaction(() => {
        updateJobProgress(this.db, jobId, progressToRecord(final));
        finishJob(this.db, jobId, outcome);
        if (outcome.state === 'succeeded') forgetCheckpointsOfSucceeded(this.db, jobId, job.resume);
      });
      if (outcome.state === 'succeeded') removeCheckpointsOfSucceeded(this.db.path, jobId, job.resume);
    } catch (error) {
      this.options.onPersistError?.(error, jobId);
    }
    this.active.delete(jobId);
    this.ended.set(jobId, final);
    this.emit(job);
    job.settle(final);
    this.startWaitingJobs();
  }

  /** Writes progress at most once per persistIntervalMs; the latest snapshot always gets written. */
  private persistThrottled(job: ActiveJob): void {
    if (job.persistTimer) return;
    const write = (): void => {
      job.persistTimer = null;
      if (!this.active.has(job.progress.jobId)) return;
      job.lastPersistAt = Date.now();
      try {
        updateJobProgress(this.db, job.progress.jobId, progressToRecord(job.progress));
      } catch (error) {
        this.options.onPersistError?.(error, job.progress.jobId);
      }
    };
    const wait = job.lastPersistAt + this.persistIntervalMs - Date.now();
    if (wait <= 0) write();
    else job.persistTimer = setTimeout(write, wait);
  }

  private emit(job: ActiveJob): void {
    for (const listener of this.listeners) {
      try {
        listener({ ...job.progress });
      } catch {
        // One faulty listener (e.g. a closed window) must not stop the job or the others.
      }
    }
  }
}
