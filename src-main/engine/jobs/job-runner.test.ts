import { afterEach, describe, expect, it } from 'vitest';
import { getJob } from '../store/jobs';
import { createJobsTestBed, readStepLog, sumBelow, type JobsTestBed } from './test-helpers';

let bed: JobsTestBed;

afterEach(async () => {
  await bed?.close();
});

describe('JobRunner: running a job', () => {
  it('runs a CPU-bound task off the main thread with ordered progress and an ETA', async () => {
    bed = createJobsTestBed();
    const steps = 12;
    const stepMs = 100;
    const id = bed.runner.start('test-sleep', { steps, stepMs, busy: true });
    expect(Number.isInteger(id)).toBe(true);
    await bed.waitForEvent((p) => p.jobId === id && p.phase === 'working');

    // The main thread keeps ticking while the worker burns a core.
    const gaps: number[] = [];
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 10);
    const final = await bed.runner.wait(id);
    clearInterval(ticker);

    expect(final.state).toBe('succeeded');
    expect(final.result).toEqual({ stepsRun: steps, firstStep: 0, sum: sumBelow(steps) });
    expect(gaps.length).toBeGreaterThan(40); // ~1.2 s of 10 ms ticks, not a handful
    expect(Math.max(...gaps)).toBeLessThan(100);

    const events = bed.eventsOf(id);
    expect(events[0].state).toBe('queued');
    expect(events.at(-1)!.state).toBe('succeeded');
    const working = events.filter((e) => e.state === 'running' && e.phase === 'working');
    for (let i = 1; i < working.length; i++) expect(working[i].done).toBeGreaterThanOrEqual(working[i - 1].done);
    expect(working.every((e) => e.total === steps)).toBe(true);
    expect(working.at(-1)!.done).toBe(steps);

    // Once a few steps are done the ETA is a number close to the real time left.
    const estimated = working.filter((e) => e.etaSeconds !== null && e.done >= 3 && e.done < steps);
    expect(estimated.length).toBeGreaterThan(3);
    for (const e of estimated) {
      const trueSecondsLeft = ((steps - e.done) * stepMs) / 1000;
      expect(e.etaSeconds!).toBeGreaterThan(trueSecondsLeft * 0.5);
      expect(e.etaSeconds!).toBeLessThan(trueSecondsLeft * 2);
      expect(e.itemsPerSecond!).toBeGreaterThan(0);
    }

    const row = getJob(bed.project.db, id)!;
    expect(row.state).toBe('succeeded');
    expect(row.progress).toMatchObject({ done: steps, total: steps });
    expect(row.finishedAt).not.toBeNull();
  });

  it('lets a task open its own database connection without disturbing running jobs', async () => {
    bed = createJobsTestBed();
    const id = bed.runner.start('test-sleep', { steps: 1, stepMs: 10, readOwnJob: true });
    const final = await bed.runner.wait(id);
    expect(final.result).toMatchObject({ ownJobState: 'running' });
    expect(final.state).toBe('succeeded');
  });

  it('refuses an unknown kind without recording a job', () => {
    bed = createJobsTestBed();
    expect(() => bed.runner.startUnchecked('no-such-kind', {})).toThrow(/no job of kind "no-such-kind"/);
    expect(bed.runner.list()).toEqual([]);
  });

  it('writes progress to the database at most about twice a second while running', async () => {
    bed = createJobsTestBed();
    const db = bed.project.db;
    let progressWrites = 0;
    const statement = db.statement.bind(db);
    db.statement = (source: string) => {
      const prepared = statement(source);
      if (!source.includes('progress_json = ?')) return prepared;
      return new Proxy(prepared, {
        get(target, key) {
          if (key === 'run') return (...args: unknown[]) => (progressWrites++, target.run(...args));
          const value = Reflect.get(target, key) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    };
    const id = bed.runner.start('test-sleep', { steps: 60, stepMs: 25 }); // reports ~40 times a second for 1.5 s
    await bed.waitForEvent((p) => p.jobId === id && p.done >= 30);
    expect(getJob(db, id)!.progress?.done).toBeGreaterThan(0); // saved while running, not only at the end
    await bed.runner.wait(id);
    const seconds = (bed.eventsOf(id).at(-1)!.at - bed.eventsOf(id)[0].at) / 1000;
    expect(bed.eventsOf(id).length).toBeGreaterThan(8);
    expect(progressWrites).toBeGreaterThanOrEqual(2);
    expect(progressWrites).toBeLessThanOrEqual(Math.ceil(seconds * 2) + 2);
  });
});

describe('JobRunner: cancellation', () => {
  it('cancels a running task promptly and records it', async () => {
    bed = createJobsTestBed();
    const log = bed.logPath('cancel');
    const id = bed.runner.start('test-sleep', { steps: 200, stepMs: 50, logPath: log });
    await bed.waitForEvent((p) => p.jobId === id && p.done >= 3);
    const t0 = performance.now();
    expect(bed.runner.cancel(id)).toBe(true);
    const final = await bed.runner.wait(id);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(final.state).toBe('cancelled');
    expect(getJob(bed.project.db, id)!.state).toBe('cancelled');
    const ran = readStepLog(log).length;
    await new Promise((r) => setTimeout(r, 200));
    expect(readStepLog(log).length).toBe(ran); // nothing keeps running behind our back
    expect(ran).toBeLessThan(200);
    expect(bed.runner.cancel(id)).toBe(false);
  });

  it('sees the cancel inside a long synchronous computation', async () => {
    bed = createJobsTestBed();
    const id = bed.runner.start('test-sleep', { steps: 2, stepMs: 20_000, busy: true });
    await bed.waitForEvent((p) => p.jobId === id && p.phase === 'working');
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    bed.runner.cancel(id);
    const final = await bed.runner.wait(id);
    // Well under the 2 s grace period: the task stopped itself, it was not terminated.
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(final.state).toBe('cancelled');
  });

  it('terminates a task that ignores the cancel after the grace period', async () => {
    bed = createJobsTestBed();
    const id = bed.runner.start('test-sleep', { steps: 5, fail: 'ignore-cancel', failAt: 0 });
    // Running for sure (not just reported): on a loaded machine the first report can precede the state change.
    await bed.waitForEvent((p) => p.jobId === id && p.state === 'running' && p.phase === 'working');
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    bed.runner.cancel(id);
    const final = await bed.runner.wait(id);
    const elapsed = performance.now() - t0;
    expect(final).toMatchObject({ state: 'cancelled' });
    expect(elapsed).toBeGreaterThan(1900);
    expect(elapsed).toBeLessThan(6000); // generous: CI machines are loaded
    expect(getJob(bed.project.db, id)!.state).toBe('cancelled');
  });
});

describe('JobRunner: a cancel that comes too late', () => {
  it('reports a task that returned its result after the cancel as succeeded, with its result', async () => {
    bed = createJobsTestBed();
    const id = bed.runner.start('test-sleep', { steps: 3, stepMs: 1, returnAfterCancel: true });
    await bed.waitForEvent((p) => p.jobId === id && p.done === 3);
    expect(bed.runner.cancel(id)).toBe(true);
    const final = await bed.runner.wait(id);
    // Its work is kept, so "cancelled" would tell the user that nothing changed.
    expect(final.state).toBe('succeeded');
    expect(final.result).toMatchObject({ stepsRun: 3, sum: 3 });
    expect(final.message).toMatch(/finished before the cancel took effect/);
    expect(getJob(bed.project.db, id)!.state).toBe('succeeded');
  });
});

describe('JobRunner: failures', () => {
  it('reports a task that throws as failed with its code and message', async () => {
    bed = createJobsTestBed();
    const id = bed.runner.start('test-sleep', { steps: 5, stepMs: 10, fail: 'throw', failAt: 2 });
    const final = await bed.runner.wait(id);
    expect(final.state).toBe('failed');
    expect(final.error).toEqual({ code: 'INVALID_CONFIG', message: 'Test task failed on purpose.' });
    expect(final.done).toBe(2);
    const row = getJob(bed.project.db, id)!;
    expect(row.state).toBe('failed');
    expect(row.error).toEqual({ code: 'INVALID_CONFIG', message: 'Test task failed on purpose.' });
  });

  it('reports a worker that calls process.exit as failed', async () => {
    bed = createJobsTestBed();
    const id = bed.runner.start('test-sleep', { steps: 5, stepMs: 10, fail: 'exit', failAt: 1 });
    const final = await bed.runner.wait(id);
    expect(final.state).toBe('failed');
    expect(final.error?.message).toBe('The test-sleep job stopped unexpectedly (its worker exited with code 3).');
    expect(getJob(bed.project.db, id)!.error?.message).toMatch(/exited with code 3/);
  });

  it('reports an uncaught error in the worker as failed', async () => {
    bed = createJobsTestBed();
    const id = bed.runner.start('test-sleep', { steps: 5, stepMs: 10, fail: 'uncaught' });
    const final = await bed.runner.wait(id);
    expect(final.state).toBe('failed');
    expect(final.error?.message).toBe('The test-sleep job crashed: Test task crashed outside its promise chain.');
  });

  it('reports a worker that runs out of memory as failed', async () => {
    bed = createJobsTestBed({ resourceLimits: { maxOldGenerationSizeMb: 96 } });
    const id = bed.runner.start('test-sleep', { steps: 5, stepMs: 10, fail: 'oom' });
    const final = await bed.runner.wait(id);
    expect(final.state).toBe('failed');
    expect(final.error?.message).toMatch(/ran out of memory/);
    expect(getJob(bed.project.db, id)!.state).toBe('failed');
  });
});

describe('JobRunner: queue', () => {
  it('runs one heavy job at a time and starts queued jobs when the previous one ends', async () => {
    bed = createJobsTestBed();
    const first = bed.runner.start('test-sleep', { steps: 4, stepMs: 50 });
    const second = bed.runner.start('test-sleep', { steps: 4, stepMs: 50 });
    const third = bed.runner.start('test-sleep', { steps: 4, stepMs: 50, logPath: bed.logPath('third') });
    expect(getJob(bed.project.db, second)!.state).toBe('queued');
    expect(bed.runner.list().find((j) => j.jobId === second)?.state).toBe('queued');
    expect(bed.runner.cancel(third)).toBe(true); // a queued job is cancelled at once
    expect(getJob(bed.project.db, third)!.state).toBe('cancelled');

    const [a, b] = await Promise.all([bed.runner.wait(first), bed.runner.wait(second)]);
    expect([a.state, b.state]).toEqual(['succeeded', 'succeeded']);
    const firstEnded = bed.eventsOf(first).find((e) => e.state === 'succeeded')!.at;
    const secondStarted = bed.eventsOf(second).find((e) => e.state === 'running')!.at;
    expect(secondStarted).toBeGreaterThanOrEqual(firstEnded);
    expect(bed.eventsOf(second)[0].state).toBe('queued');
    expect(readStepLog(bed.logPath('third'))).toEqual([]);
    expect((await bed.runner.wait(third)).state).toBe('cancelled');

    const rows = bed.runner.list().map((j) => [j.jobId, j.state]);
    expect(rows).toEqual([[third, 'cancelled'], [second, 'succeeded'], [first, 'succeeded']]);
  });

  it('runs jobs side by side up to maxConcurrent', async () => {
    bed = createJobsTestBed({ maxConcurrent: 2 });
    const first = bed.runner.start('test-sleep', { steps: 6, stepMs: 50 });
    const second = bed.runner.start('test-sleep', { steps: 6, stepMs: 50 });
    await Promise.all([bed.runner.wait(first), bed.runner.wait(second)]);
    const secondStarted = bed.eventsOf(second).find((e) => e.state === 'running')!.at;
    const firstEnded = bed.eventsOf(first).at(-1)!.at;
    expect(secondStarted).toBeLessThan(firstEnded);
  });
});
