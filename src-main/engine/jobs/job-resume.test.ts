import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { getJob, INTERRUPTED_MESSAGE } from '../store/jobs';
import { resolveCheckpointPath } from './checkpoint-store';
import { JobRunner } from './job-runner';
import { createJobsTestBed, readStepLog, sumBelow, type JobsTestBed } from './test-helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

let bed: JobsTestBed;

afterEach(async () => {
  await bed?.close();
});

/** Checks that `resumed` picked up at a checkpoint boundary after the steps of `first`, redoing at most one interval. */
function expectContinuation(first: number[], resumed: number[], steps: number, checkpointEvery: number): number {
  const resumedAt = resumed[0];
  expect(first).toEqual(Array.from({ length: first.length }, (_, i) => i));
  expect(resumedAt).toBeGreaterThan(0);
  expect(resumedAt % checkpointEvery).toBe(0);
  expect(resumedAt).toBeLessThanOrEqual(first.length);
  expect(first.length - resumedAt).toBeLessThan(checkpointEvery); // only work after the last checkpoint is redone
  expect(resumed).toEqual(Array.from({ length: steps - resumedAt }, (_, i) => resumedAt + i));
  return resumedAt;
}

describe('JobRunner: checkpoints and resume', () => {
  it('resumes a cancelled job from its last checkpoint without redoing completed steps', async () => {
    bed = createJobsTestBed();
    const steps = 20;
    const checkpointEvery = 4;
    const firstLog = bed.logPath('first');
    const first = bed.runner.start('test-sleep', { steps, stepMs: 30, checkpointEvery, checkpointFile: true, logPath: firstLog });
    await bed.waitForEvent((p) => p.jobId === first && p.done >= 10);
    bed.runner.cancel(first);
    expect((await bed.runner.wait(first)).state).toBe('cancelled');
    const checkpointPath = getJob(bed.project.db, first)!.checkpointPath;
    expect(checkpointPath).not.toBeNull();
    expect(existsSync(resolveCheckpointPath(bed.project.dbPath, checkpointPath!))).toBe(true);

    // The resumed job is a new job with the same parameters except where it logs.
    const secondLog = bed.logPath('second');
    const second = bed.runner.start('test-sleep', { steps, stepMs: 30, checkpointEvery, checkpointFile: true, logPath: secondLog }, { resumeFrom: first });
    expect(second).not.toBe(first);
    const final = await bed.runner.wait(second);
    expect(final.state).toBe('succeeded');
    expect(final.resumedFrom).toBe(first);

    const resumedAt = expectContinuation(readStepLog(firstLog), readStepLog(secondLog), steps, checkpointEvery);
    // The file saved with the checkpoint comes back with it (one byte per completed step).
    expect(final.result).toEqual({ stepsRun: steps - resumedAt, firstStep: resumedAt, sum: sumBelow(steps), stepsInCheckpointFile: resumedAt });
    expect(bed.eventsOf(second).find((e) => e.phase === 'working')?.done).toBe(resumedAt);

    // A finished job's checkpoints are removed, and those of the job it continued (they stayed forever, ~5 MB per run).
    for (const job of [first, second]) {
      expect(getJob(bed.project.db, job)!.checkpointPath).toBeNull();
      expect(existsSync(path.join(bed.project.dir, 'sonotype-checkpoints', `job-${job}`))).toBe(false);
    }
    expect(() => bed.runner.resume(second)).toThrow(/already finished successfully/);
  });

  it('starts over when the job failed before its first checkpoint', async () => {
    bed = createJobsTestBed();
    const log = bed.logPath('steps');
    const first = bed.runner.start('test-sleep', { steps: 6, stepMs: 10, checkpointEvery: 4, fail: 'throw', failAt: 2, logPath: log });
    expect((await bed.runner.wait(first)).state).toBe('failed');
    const second = bed.runner.start('test-sleep', { steps: 6, stepMs: 10, checkpointEvery: 4, logPath: log }, { resumeFrom: first });
    const final = await bed.runner.wait(second);
    expect(final.result).toEqual({ stepsRun: 6, firstStep: 0, sum: sumBelow(6) });
    expect(readStepLog(log)).toEqual([0, 1, 0, 1, 2, 3, 4, 5]);
  });

  it('refuses to resume a job that is still running or does not exist', async () => {
    bed = createJobsTestBed();
    const running = bed.runner.start('test-sleep', { steps: 50, stepMs: 20 });
    expect(() => bed.runner.resume(running)).toThrow(/has not ended yet/);
    expect(() => bed.runner.resume(9999)).toThrow(/does not exist/);
    bed.runner.cancel(running);
    await bed.runner.wait(running);
  });

  it('resumes a job interrupted by a crash of the whole process', async () => {
    bed = createJobsTestBed();
    const log = bed.logPath('crash');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-test-child.ts'), bed.project.dbPath, log], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const crashedJob = await new Promise<number>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const reports = [...buffered.matchAll(/job (\d+) running done (\d+)\n/g)];
        const latest = reports.at(-1);
        if (latest && Number(latest[2]) >= 10) {
          child.kill('SIGKILL');
          resolve(Number(latest[1]));
        }
      });
      child.on('exit', () => reject(new Error(`the child ended before it was killed: ${stderr}`)));
    });
    await new Promise((resolve) => child.once('close', resolve));
    const stepsBeforeCrash = readStepLog(log);
    expect(stepsBeforeCrash.length).toBeGreaterThanOrEqual(10);

    // Reopening the project after the crash marks the job interrupted; it can be resumed.
    const db = bed.project.reopen();
    const runner = new JobRunner(db);
    const crashed = getJob(db, crashedJob)!;
    expect(crashed.state).toBe('failed');
    expect(crashed.error?.message).toBe(INTERRUPTED_MESSAGE);
    expect(crashed.checkpointPath).not.toBeNull();
    const logBeforeResume = stepsBeforeCrash.length;
    const resumed = runner.resume(crashedJob);
    const final = await runner.wait(resumed);
    expect(final.state).toBe('succeeded');
    const all = readStepLog(log);
    const resumedAt = expectContinuation(all.slice(0, logBeforeResume), all.slice(logBeforeResume), 40, 4);
    expect(final.result).toEqual({ stepsRun: 40 - resumedAt, firstStep: resumedAt, sum: sumBelow(40) });
    expect(getJob(db, resumed)!.state).toBe('succeeded');
  });
});
