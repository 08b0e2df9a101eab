/**
 * Runs one task inside a job worker thread: builds its JobContext, imports
 * the task module, runs it and posts the outcome to the job runner. Loaded by
 * the worker bootstrap (see worker-entry.ts); not imported by main-thread code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SonotypeError, toErrorInfo } from '../../../src-shared/errors';
import type { JobProgressUpdate } from '../../../src-shared/job-types';
import { openProjectDb, type ProjectDb } from '../store/database';
import { writeCheckpoint } from './checkpoint-store';
import type { CheckpointFiles, JobContext, JsonValue, TaskModule } from './task-context';
import type { RunnableJobKind } from './task-registry';
import type { MainToWorker, WorkerStartData, WorkerToMain } from './worker-messages';

/** Progress posts are coalesced to at most one per this many ms (phase changes go at once). */
const PROGRESS_POST_INTERVAL_MS = 100;

const port = parentPort;
if (!port) throw new Error('worker-host.ts must run inside a job worker thread.');
const start = workerData as WorkerStartData;
const cancelFlag = new Int32Array(start.cancelFlag);
const abort = new AbortController();
const pendingCheckpoints = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
let checkpointSeq = 0;
let db: ProjectDb | null = null;

function post(message: WorkerToMain): void {
  port!.postMessage(message);
}

port.on('message', (message: MainToWorker) => {
  if (message.type === 'cancel') {
    if (!abort.signal.aborted) abort.abort(new SonotypeError('CANCELLED', 'The job was cancelled.'));
  } else if (message.type === 'checkpoint-recorded') {
    const waiting = pendingCheckpoints.get(message.seq);
    pendingCheckpoints.delete(message.seq);
    if (message.error) waiting?.reject(new SonotypeError(message.error.code, message.error.message));
    else waiting?.resolve();
  }
});

/** Coalesces progress so a task may call report() per item without flooding the main thread. */
function createReporter() {
  let pending: JobProgressUpdate | null = null;
  let lastPostAt = 0;
  let lastPhase: string | undefined;
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending) return;
    post({ type: 'progress', update: pending });
    pending = null;
    lastPostAt = Date.now();
  };
  const report = (update: JobProgressUpdate): void => {
    pending = { ...pending, ...update };
    const phaseChanged = update.phase !== undefined && update.phase !== lastPhase;
    if (update.phase !== undefined) lastPhase = update.phase;
    if (phaseChanged || update.message !== undefined || Date.now() - lastPostAt >= PROGRESS_POST_INTERVAL_MS) flush();
    else if (!timer) timer = setTimeout(flush, PROGRESS_POST_INTERVAL_MS);
  };
  return { report, flush };
}

async function main(): Promise<void> {
  const reporter = createReporter();
  const isCancelled = (): boolean => Atomics.load(cancelFlag, 0) === 1 || abort.signal.aborted;
  const ctx: JobContext = {
    jobId: start.jobId,
    signal: abort.signal,
    isCancelled,
    throwIfCancelled() {
      if (isCancelled()) throw new SonotypeError('CANCELLED', 'The job was cancelled.');
    },
    report: reporter.report,
    checkpoint(state: JsonValue, files?: CheckpointFiles): Promise<void> {
      const seq = ++checkpointSeq;
      // Progress up to this point must reach the runner before the checkpoint does.
      reporter.flush();
      const dir = writeCheckpoint(start.checkpointDir, seq, state, files);
      return new Promise<void>((resolve, reject) => {
        pendingCheckpoints.set(seq, { resolve, reject });
        post({ type: 'checkpoint', seq, dir });
      });
    },
    resume: start.resume,
    dbPath: start.dbPath,
    openDb() {
      // The runner owns job states: never let this connection mark running jobs as interrupted.
      db ??= openProjectDb(start.dbPath, { recoverInterruptedJobs: false });
      return db;
    },
  };
  try {
    const task = (await import(start.taskModuleUrl)) as Partial<TaskModule<RunnableJobKind>>;
    if (typeof task.run !== 'function') {
      throw new SonotypeError('INTERNAL', `The task module for "${start.kind}" jobs does not export a run() function.`);
    }
    // The runner checked the params against the kind's schema before starting this worker.
    const result = await task.run(ctx, start.params as never);
    reporter.flush();
    post({ type: 'done', result: result ?? null });
  } catch (error) {
    reporter.flush();
    post({ type: 'failed', error: toErrorInfo(error) });
  } finally {
    // The runner terminates this worker once it has the outcome, since tasks may
    // leave timers or handles open (e.g. ML backends).
    db?.close();
  }
}

await main();
