import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectDb } from './database';
import { createJob, finishJob, getJob, INTERRUPTED_MESSAGE, listJobs, startJob, updateJobProgress } from './jobs';
import { createTempProject, type TempProject } from './test-helpers';

let project: TempProject;
beforeEach(() => {
  project = createTempProject();
});
afterEach(() => project.cleanup());

describe('jobs', () => {
  it('go from queued to running to an end state, and cannot end twice', () => {
    const { db } = project;
    const job = createJob(db, { kind: 'train', params: { epochs: 5 } });
    expect(job).toMatchObject({ state: 'queued', params: { epochs: 5 }, progress: null, error: null, startedAt: null });
    updateJobProgress(db, job.id, { epoch: 1, loss: 0.5 }, 'checkpoints/train-1');
    expect(getJob(db, job.id)).toMatchObject({ state: 'running', progress: { epoch: 1, loss: 0.5 }, checkpointPath: 'checkpoints/train-1' });
    expect(getJob(db, job.id)!.startedAt).not.toBeNull();
    updateJobProgress(db, job.id, { epoch: 2 });
    expect(getJob(db, job.id)).toMatchObject({ progress: { epoch: 2 }, checkpointPath: 'checkpoints/train-1' });
    const done = finishJob(db, job.id, { state: 'succeeded' });
    expect(done.state).toBe('succeeded');
    expect(done.finishedAt).not.toBeNull();
    expect(() => finishJob(db, job.id, { state: 'cancelled' })).toThrow(/already ended/);
    expect(() => updateJobProgress(db, job.id, {})).toThrow(/already ended/);
    expect(() => startJob(db, 12345)).toThrow(/does not exist/);

    const failing = createJob(db, { kind: 'scan' });
    startJob(db, failing.id);
    finishJob(db, failing.id, { state: 'failed', error: { code: 'UNREADABLE', message: 'Folder cannot be read' } });
    expect(getJob(db, failing.id)!.error).toEqual({ code: 'UNREADABLE', message: 'Folder cannot be read' });
    expect(listJobs(db).map((j) => j.id)).toEqual([failing.id, job.id]);
    expect(listJobs(db, { states: ['failed'] }).map((j) => j.id)).toEqual([failing.id]);
    expect(listJobs(db, { limit: 1 })).toHaveLength(1);
  });

  it('jobs left running by a crash are failed as "interrupted" on the next open; queued ones stay queued', () => {
    const { db } = project;
    const running = createJob(db, { kind: 'train' });
    updateJobProgress(db, running.id, { epoch: 3 });
    const queued = createJob(db, { kind: 'predict' });
    const finished = createJob(db, { kind: 'scan' });
    finishJob(db, finished.id, { state: 'succeeded' });

    // Another process opening the project can opt out of recovery.
    const second = openProjectDb(project.dbPath, { recoverInterruptedJobs: false });
    expect(getJob(second, running.id)!.state).toBe('running');
    second.close();

    const reopened = project.reopen();
    expect(getJob(reopened, running.id)).toMatchObject({ state: 'failed', error: { code: 'INTERNAL', message: INTERRUPTED_MESSAGE }, progress: { epoch: 3 } });
    expect(INTERRUPTED_MESSAGE).toBe('interrupted');
    expect(getJob(reopened, queued.id)!.state).toBe('queued');
    expect(getJob(reopened, finished.id)!.state).toBe('succeeded');
  });
});
