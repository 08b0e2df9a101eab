/**
 * One job's worker thread as seen from the main thread: starts it, turns its
 * messages and deaths into a single outcome, and implements cancellation
 * (cooperative first, `terminate()` after a grace period).
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ErrorInfo } from '../../../src-shared/errors';
import type { JobProgressUpdate } from '../../../src-shared/job-types';
import type { WorkerEntry } from './worker-entry';
import type { MainToWorker, WorkerStartData, WorkerToMain } from './worker-messages';

/** How a worker ended. 'stopped' = it ended without a result after cancellation was requested, by itself or terminated. */
export type WorkerEnd =
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'stopped' };

export interface JobWorkerHandlers {
  onProgress(update: JobProgressUpdate): void;
  /** Records a written checkpoint; returns an error to pass back to the task, if recording failed. */
  onCheckpoint(dir: string): ErrorInfo | undefined;
  /** Called exactly once. */
  onEnd(end: WorkerEnd): void;
}

export interface JobWorkerOptions {
  /** How long a cancelled task may take to stop by itself before its thread is terminated. */
  cancelGraceMs: number;
  resourceLimits?: ResourceLimits;
}

export class JobWorker {
  private readonly worker: Worker;
  private readonly cancelFlag: Int32Array;
  private ended = false;
  private cancelRequested = false;
  private graceTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly data: Omit<WorkerStartData, 'cancelFlag' | 'taskModuleUrl'>,
    entry: WorkerEntry,
    private readonly handlers: JobWorkerHandlers,
    private readonly options: JobWorkerOptions,
  ) {
    const cancelFlag = new SharedArrayBuffer(4);
    this.cancelFlag = new Int32Array(cancelFlag);
    const workerData: WorkerStartData & { hostModuleUrl: string } = {
      ...data,
      taskModuleUrl: entry.taskModuleUrl,
      cancelFlag,
      hostModuleUrl: entry.hostModuleUrl,
    };
    this.worker = new Worker(entry.entry, {
      workerData,
      name: `sonotype-job-${data.jobId}-${data.kind}`,
      resourceLimits: options.resourceLimits,
    });
    this.worker.on('message', (message: WorkerToMain) => this.handleMessage(message));
    this.worker.on('error', (error: Error) => this.end({ type: 'failed', error: describeCrash(data.kind, error) }));
    this.worker.on('messageerror', (error: Error) => this.end({ type: 'failed', error: describeCrash(data.kind, error) }));
    this.worker.on('exit', (code: number) =>
      this.end({
        type: 'failed',
        error: { code: 'INTERNAL', message: `The ${data.kind} job stopped unexpectedly (its worker exited with code ${code}).` },
      }),
    );
  }

  /** Asks the task to stop; terminates the thread if it has not ended after the grace period. */
  requestCancel(): void {
    if (this.ended || this.cancelRequested) return;
    this.cancelRequested = true;
    Atomics.store(this.cancelFlag, 0, 1);
    this.post({ type: 'cancel' });
    this.graceTimer = setTimeout(() => void this.worker.terminate(), this.options.cancelGraceMs);
  }

  private handleMessage(message: WorkerToMain): void {
    if (this.ended) return;
    switch (message.type) {
      case 'progress':
        this.handlers.onProgress(message.update);
        break;
      case 'checkpoint': {
        const error = this.handlers.onCheckpoint(message.dir);
        this.post({ type: 'checkpoint-recorded', seq: message.seq, error });
        break;
      }
      case 'done':
        this.end({ type: 'done', result: message.result });
        break;
      case 'failed':
        this.end({ type: 'failed', error: message.error });
        break;
    }
  }

  private end(outcome: WorkerEnd): void {
    if (this.ended) return;
    this.ended = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    // Once cancellation was asked for, the job is cancelled — unless the task had
    // already returned its result: its work is committed, and calling it cancelled
    // would tell the user that nothing changed when it did.
    this.handlers.onEnd(this.cancelRequested && outcome.type !== 'done' ? { type: 'stopped' } : outcome);
    // The outcome is known; tasks may leave handles open, so do not wait for the thread to drain.
    void this.worker.terminate();
  }

  private post(message: MainToWorker): void {
    try {
      this.worker.postMessage(message);
    } catch {
      // The thread is already gone; its 'exit' event reports the outcome.
    }
  }
}

/** A readable explanation of a worker thread that died instead of returning. */
function describeCrash(kind: string, error: Error): ErrorInfo {
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { code: 'INTERNAL', message: `The ${kind} job ran out of memory and was stopped. Try smaller batches or fewer recordings at once.` };
  }
  if (code === 'ERR_WORKER_INIT_FAILED' || code === 'ERR_WORKER_PATH') {
    return { code: 'INTERNAL', message: `The ${kind} job could not start: ${error.message}` };
  }
  return { code: 'INTERNAL', message: `The ${kind} job crashed: ${error.message}` };
}
