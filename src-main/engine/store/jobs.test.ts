import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectDb } from './database';
import {
  createJob, finishJob, getJob, heartbeatJobs, INTERRUPTED_MESSAGE, LEASE_TIMEOUT_MS, listJobs, LOCAL_LEASE_TIMEOUT_MS, startJob, updateJobProgress,
} from './jobs';
import { createTempProject, type TempProject } from './test-helpers';

let project: TempProject;
beforeEach(() => {
  project = createTempProject();
});
afterEach(() => project.cleanup());

/** The pid of a process that has just exited (so it exists nowhere now). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

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
    // The process that ran it crashed: its pid no longer exists.
    db.sql.prepare('UPDATE jobs SET owner_pid = ? WHERE id = ?').run(deadPid(), running.id);
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

  it('leaves running jobs of live processes alone: another process here, or a fresh heartbeat from another host', async () => {
    const { db } = project;
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const stamp = (id: number, pid: number, host: string, heartbeatAgoMs: number) =>
        db.sql.prepare('UPDATE jobs SET owner_pid = ?, owner_host = ?, heartbeat_at = ? WHERE id = ?').run(pid, host, Date.now() - heartbeatAgoMs, id);
      const started = (kind: string) => {
        const job = createJob(db, { kind });
        startJob(db, job.id);
        return job.id;
      };
      const liveLocal = started('train');
      stamp(liveLocal, sleeper.pid!, hostname(), 10 * 60_000); // quiet for 10 min, but its process lives
      const deadLocal = started('train');
      stamp(deadLocal, deadPid(), hostname(), 1000);
      const liveRemote = started('detect');
      stamp(liveRemote, 4242, 'another-host', 1000);
      const staleRemote = started('detect');
      stamp(staleRemote, 4242, 'another-host', LEASE_TIMEOUT_MS + 1000);
      const reusedPid = started('detect');
      stamp(reusedPid, sleeper.pid!, hostname(), LOCAL_LEASE_TIMEOUT_MS + 1000);
      const mine = started('scan'); // this process runs it right now

      const second = openProjectDb(project.dbPath);
      const state = (id: number) => getJob(second, id)!.state;
      expect([liveLocal, deadLocal, liveRemote, staleRemote, reusedPid, mine].map(state)).toEqual(['running', 'failed', 'running', 'failed', 'failed', 'running']);
      second.close();
      // This process ends its job; a heartbeat renews only the jobs it owns.
      heartbeatJobs(db, [mine, liveRemote]);
      expect(getJob(db, liveRemote)!.state).toBe('running');
      finishJob(db, mine, { state: 'succeeded' });
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
