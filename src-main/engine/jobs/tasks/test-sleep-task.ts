/**
 * Test task ('test-sleep' jobs): runs `steps` steps of `stepMs` each, either
 * sleeping or busy-computing (CPU bound, to prove jobs run off the main
 * thread), checkpointing every `checkpointEvery` steps and resuming from the
 * last checkpoint. Failure modes let tests exercise every way a job ends.
 * Each completed step is appended to `logPath` (one index per line) so tests
 * can count the work independently of what the job system reports.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SonotypeError } from '../../../../src-shared/errors';
import { getJob } from '../../store/jobs';
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import type { JobContext } from '../task-context';

const CHECKPOINT_FILE = 'steps.bin';

type TestSleepParams = JobParams<'test-sleep'>;

interface TestSleepCheckpoint {
  nextStep: number;
  sum: number;
}

export async function run(ctx: JobContext<'test-sleep'>, params: TestSleepParams): Promise<JobResult<'test-sleep'>> {
  const steps = params.steps ?? 10;
  const stepMs = params.stepMs ?? 50;
  const resumed = ctx.resume?.state as TestSleepCheckpoint | undefined;
  const firstStep = resumed?.nextStep ?? 0;
  let sum = resumed?.sum ?? 0;
  const result: JobResult<'test-sleep'> = { stepsRun: steps - firstStep, firstStep, sum: 0 };
  if (params.checkpointFile && ctx.resume) {
    result.stepsInCheckpointFile = readFileSync(path.join(ctx.resume.dir, CHECKPOINT_FILE)).byteLength;
  }
  if (params.readOwnJob) result.ownJobState = getJob(ctx.openDb(), ctx.jobId)?.state;
  ctx.report({ phase: 'working', done: firstStep, total: steps, itemsLabel: 'steps', message: resumed ? `resumed at step ${firstStep}` : undefined });
  for (let step = firstStep; step < steps; step++) {
    ctx.throwIfCancelled();
    if (params.fail && step === (params.failAt ?? 0)) await misbehave(params.fail);
    if (params.busy) busyWait(stepMs, ctx);
    else await sleep(stepMs, ctx.signal);
    if (params.logPath) appendFileSync(params.logPath, `${step}\n`);
    sum += step;
    ctx.report({ done: step + 1 });
    if (params.checkpointEvery && (step + 1) % params.checkpointEvery === 0 && step + 1 < steps) {
      const files = params.checkpointFile ? { [CHECKPOINT_FILE]: Uint8Array.from({ length: step + 1 }, (_, i) => i) } : undefined;
      await ctx.checkpoint({ nextStep: step + 1, sum }, files);
    }
  }
  if (params.returnAfterCancel) {
    // The work is done (think: committed); the cancel comes after it, and the result is returned all the same.
    while (!ctx.isCancelled()) await sleep(5, new AbortController().signal);
  }
  return { ...result, sum };
}

async function misbehave(mode: NonNullable<TestSleepParams['fail']>): Promise<void> {
  if (mode === 'throw') throw new SonotypeError('INVALID_CONFIG', 'Test task failed on purpose.');
  if (mode === 'exit') process.exit(3);
  if (mode === 'uncaught') {
    setTimeout(() => {
      throw new Error('Test task crashed outside its promise chain.');
    }, 0);
    // Never settle, so only the uncaught error can end the task.
    await new Promise<never>(() => {});
  }
  if (mode === 'ignore-cancel') {
    while (true) busyWait(10_000, null);
  }
  if (mode === 'oom') {
    const hoard: number[][] = [];
    while (true) hoard.push(new Array(1_000_000).fill(hoard.length));
  }
}

/** Burns CPU for `ms`, checking for cancellation between chunks like a real batch loop would. */
function busyWait(ms: number, ctx: JobContext<'test-sleep'> | null): void {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(i + x);
    ctx?.throwIfCancelled();
  }
  if (x < 0) throw new Error('unreachable');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
