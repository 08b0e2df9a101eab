/**
 * Helpers for the jobs module's tests: a temporary project with a runner and
 * a recorder of progress events.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JobProgress } from '../../../src-shared/job-types';
import { createTempProject, type TempProject } from '../store/test-helpers';
import { JobRunner, type JobRunnerOptions } from './job-runner';

export interface RecordedProgress extends JobProgress {
  /** performance.now() when the event was received. */
  at: number;
}

export interface JobsTestBed {
  project: TempProject;
  runner: JobRunner;
  events: RecordedProgress[];
  /** Events of one job, in arrival order. */
  eventsOf(jobId: number): RecordedProgress[];
  /** Resolves with the first event (past or future) matching `match`. */
  waitForEvent(match: (p: JobProgress) => boolean, timeoutMs?: number): Promise<RecordedProgress>;
  /** A path for a test task's step log. */
  logPath(name: string): string;
  close(): Promise<void>;
}

export function createJobsTestBed(options: JobRunnerOptions = {}): JobsTestBed {
  const project = createTempProject('sonotype-jobs-');
  const runner = new JobRunner(project.db, options);
  const events: RecordedProgress[] = [];
  const waiters: { match: (p: JobProgress) => boolean; resolve: (p: RecordedProgress) => void }[] = [];
  runner.onProgress((progress) => {
    const recorded = { ...progress, at: performance.now() };
    events.push(recorded);
    for (const waiter of [...waiters]) {
      if (waiter.match(recorded)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(recorded);
      }
    }
  });
  return {
    project,
    runner,
    events,
    eventsOf: (jobId) => events.filter((e) => e.jobId === jobId),
    waitForEvent(match, timeoutMs = 10_000) {
      const past = events.find(match);
      if (past) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('expected job progress event did not arrive')), timeoutMs);
        waiters.push({ match, resolve: (p) => (clearTimeout(timer), resolve(p)) });
      });
    },
    logPath: (name) => path.join(project.dir, `${name}.log`),
    async close() {
      await runner.shutdown();
      project.cleanup();
    },
  };
}

/** Step indices a test task logged, in order (empty when it logged nothing). */
export function readStepLog(logPath: string): number[] {
  if (!existsSync(logPath)) return [];
  return readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map(Number);
}

/** 0 + 1 + … + (n − 1). */
export function sumBelow(n: number): number {
  return (n * (n - 1)) / 2;
}
