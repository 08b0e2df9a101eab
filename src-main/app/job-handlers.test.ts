import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src-shared/job-types';
import { createJob, finishJob, startJob, updateJobProgress } from '../engine/store/jobs';
import { openProjectDb, projectDbPath } from '../engine/store/database';
import { runRecordedJob } from '../engine/jobs/recorded-job';
import { recordingIdsOf, requireSession } from './app-state';
import { jobResultOf, type JobResult } from '../../src-shared/job-kinds';
import type { ConfusionCounts, RetrainReport } from '../../src-shared/review-types';
import { createTestApp, openAndScan, TEST_RATE, valueOf, type TestApp } from './test-helpers';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../engine/testing/wav-writer';
import { whiteNoise } from '../engine/testing/synth';

let app: TestApp;
beforeEach(async () => {
  app = createTestApp();
  await openAndScan(app); // in-process: no scan job per test (the scan job is tested below and in handlers.test.ts)
});
afterEach(async () => {
  await app.close();
});

/** Resolves with the job's final progress event (as forwarded to the UI). */
async function finalEvent(jobId: number, timeoutMs = 60_000): Promise<JobProgress> {
  const ended = (p: JobProgress) => p.jobId === jobId && ['succeeded', 'failed', 'cancelled'].includes(p.state);
  const started = Date.now();
  for (;;) {
    const hit = app.events.find((e) => e.event === 'jobs:progress' && ended(e.payload as JobProgress));
    if (hit) return hit.payload as JobProgress;
    if (Date.now() - started > timeoutMs) throw new Error(`job ${jobId} did not end within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('jobs', () => {
  it("runs a 'tiles' job in a worker, forwarding progress, and lists it", async () => {
    // Long enough (> 4096 STFT frames) for the pyramid to store coarse levels on disk.
    writeFileSync(join(app.projectDir, 'long.wav'), encodeWav([whiteNoise(TEST_RATE, 80, 0.05, 9)], { sampleRate: TEST_RATE, format: 'pcm16' }));
    valueOf(await app.call('project:scan'));
    const longId = valueOf(await app.call('recordings:list')).find((r) => r.path === 'long.wav')!.id;
    expect(valueOf(await app.call('review:open', longId)).spectrogram.exactComplete).toBe(false);
    const jobId = valueOf(await app.call('jobs:start', 'tiles', { recordingIds: [longId] }));
    const final = await finalEvent(jobId);
    expect(final.state, JSON.stringify(final.error)).toBe('succeeded');
    const result = final.result as { recordingIds: number[]; tiles: number; failed: unknown[] };
    expect(result).toMatchObject({ recordingIds: [longId], failed: [] });
    expect(result.tiles).toBeGreaterThan(0);
    // The exact pyramid is now on disk.
    expect(valueOf(await app.call('review:open', longId)).spectrogram.exactComplete).toBe(true);
    const listed = valueOf(await app.call('jobs:list'));
    expect(listed.find((j) => j.jobId === jobId)).toMatchObject({ kind: 'tiles', state: 'succeeded', done: 1, total: 1 });
    // Progress came through jobs:progress: queued → running → succeeded.
    const states = app.events.filter((e) => e.event === 'jobs:progress' && (e.payload as JobProgress).jobId === jobId).map((e) => (e.payload as JobProgress).state);
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    // A tiles job changes no regions.
    expect(app.events.some((e) => e.event === 'recording:changed')).toBe(false);
  });

  it('cancels a job once; unknown jobs are NOT_FOUND', async () => {
    const jobId = valueOf(await app.call('jobs:start', 'tiles', {}));
    expect(valueOf(await app.call('jobs:cancel', jobId))).toBe(true);
    const final = await finalEvent(jobId);
    expect(final.state).toBe('cancelled');
    expect(valueOf(await app.call('jobs:cancel', jobId))).toBe(false);
    expect(await app.call('jobs:cancel', 12_345)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a tiles job for an unknown recording with a readable failure', async () => {
    const jobId = valueOf(await app.call('jobs:start', 'tiles', { recordingIds: [999] }));
    const final = await finalEvent(jobId);
    expect(final.state).toBe('failed');
    expect(final.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/999/) });
  });

  it('cancels running jobs when another project is opened', async () => {
    // A job that cannot end by itself during the test (10 s of steps), seen running before the switch.
    const jobId = requireSession(app.state).runner.start('test-sleep', { steps: 200, stepMs: 50 });
    for (let i = 0; !app.events.some((e) => e.event === 'jobs:progress' && (e.payload as JobProgress).jobId === jobId && (e.payload as JobProgress).state === 'running'); i++) {
      if (i > 600) throw new Error('the job never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    valueOf(await app.call('project:open', app.projectDir));
    const final = await finalEvent(jobId);
    expect(final.state).toBe('cancelled');
    expect(valueOf(await app.call('jobs:list')).find((j) => j.jobId === jobId)?.state).toBe('cancelled');
  });

  it("runs a 'detect' job and announces the recordings whose regions changed", async () => {
    const ids = valueOf(await app.call('recordings:list')).map((r) => r.id);
    const jobId = valueOf(await app.call('jobs:start', 'detect', {}));
    const final = await finalEvent(jobId, 300_000);
    expect(final.state, JSON.stringify(final.error)).toBe('succeeded');
    const announced = app.events.filter((e) => e.event === 'recording:changed').map((e) => (e.payload as { recordingId: number }).recordingId);
    expect(announced.sort()).toEqual([...ids].sort());
    for (const id of ids) expect(valueOf(await app.call('regions:list', id)).length).toBeGreaterThan(0);
    // The task computes each recording's silence fraction itself (from its regions and native length): the table agrees.
    const detected = jobResultOf(final, 'detect')!.recordings;
    const rows = valueOf(await app.call('recordings:table'));
    for (const d of detected) {
      const row = rows.find((r) => r.id === d.recordingId)!;
      expect(row.regionCount).toBeGreaterThan(0);
      expect(row.silenceFraction).toBeCloseTo(d.silenceFraction, 3);
    }

    // Retrain from people's labels on all three recordings: every region is derived again ('recordings:changed'),
    // recordings are held out, and the report carries the task's held-out matrices.
    for (const id of ids) {
      valueOf(await app.call('labels:create', { recordingId: id, startSample: 0, endSample: 8_000, value: 'sound' }));
      valueOf(await app.call('labels:create', { recordingId: id, startSample: 16_000, endSample: 24_000, value: 'silence' }));
    }
    app.events.length = 0;
    const retrainId = valueOf(await app.call('jobs:start', 'retrain-head', {}));
    const retrained = await finalEvent(retrainId, 300_000);
    expect(retrained.state, JSON.stringify(retrained.error)).toBe('succeeded');
    expect(app.events.some((e) => e.event === 'recordings:changed')).toBe(true);
    const r = jobResultOf(retrained, 'retrain-head')!;
    expect(r.heldOut, 'three labelled recordings: some are held out').not.toBeNull();
    const report = valueOf(await app.call('retrain:lastReport'));
    expect(report).toMatchObject({ headModelId: r.head.id, after: r.heldOut!.after.counts, before: r.heldOut!.before?.counts ?? null });
  }, 320_000);
});

describe('jobs of other processes and their facts', () => {
  it('lists the scan with its file count, start, end and folder (not a bare 0)', async () => {
    valueOf(await app.call('project:scan'));
    const scan = valueOf(await app.call('jobs:list')).find((j) => j.kind === 'scan')!;
    expect(scan).toMatchObject({ state: 'succeeded', done: 3, total: 3, itemsLabel: 'files', params: { audioRoot: expect.any(String) } });
    expect(scan.message).toMatch(/3 readable, 0 unreadable/);
    expect(scan.startedAt).toBeGreaterThan(0);
    expect(scan.finishedAt).toBeGreaterThanOrEqual(scan.startedAt!);
  });

  it('forwards progress of a job another process runs on the project (the CLI) while it runs', async () => {
    // A second connection, as `sonotype detect` in a terminal would open.
    const other = openProjectDb(projectDbPath(app.projectDir));
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const running = runRecordedJob(other, 'detect', { regionParams: { threshold: 0.4 } }, async (report) => {
        report({ phase: 'embedding', done: 10, total: 40, itemsLabel: 'windows' });
        await gate;
        return 'done';
      }, { persistIntervalMs: 0 });
      const seen = async (state: string) => {
        for (let i = 0; i < 100; i++) {
          const hit = app.events.map((e) => e.payload as JobProgress).find((p) => p?.kind === 'detect' && p.state === state);
          if (hit) return hit;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`no ${state} event for the other process's job`);
      };
      const live = await seen('running');
      expect(live).toMatchObject({ phase: 'embedding', done: 10, total: 40, params: { regionParams: { threshold: 0.4 } } });
      expect(live.startedAt).toBeGreaterThan(0);
      release();
      await running;
      expect((await seen('succeeded')).finishedAt).toBeGreaterThan(0);
      expect(valueOf(await app.call('jobs:list')).find((j) => j.jobId === live.jobId)?.state).toBe('succeeded');
    } finally {
      other.close();
    }
  });
});

describe('retrain:lastReport', () => {
  function recordRetrain(result: JobResult<'retrain-head'>): number {
    const db = app.state.project!.db;
    const job = createJob(db, { kind: 'retrain-head', params: {} });
    startJob(db, job.id);
    updateJobProgress(db, job.id, { phase: 'done', done: 1, total: 1, result });
    finishJob(db, job.id, { state: 'succeeded' });
    return job.id;
  }

  it("maps the newest succeeded retrain's held-out confusion matrices", async () => {
    expect(valueOf(await app.call('retrain:lastReport'))).toBeNull();
    // Typed as the task's result, so this fixture cannot drift from what the task returns.
    const result = (headId: number, after: ConfusionCounts): JobResult<'retrain-head'> => ({
      head: {
        id: headId, version: 1, type: 'boosted', description: 'detection head v1',
        learnedFrom: { teacherFrames: 1000, humanFrames: 300, humanSoundFrames: 200, humanSilenceFrames: 100, recordingsWithHumanLabels: 3 },
        metrics: { lossCurve: [{ epoch: 0, loss: 0.7 }, { epoch: 1, loss: 0.5 }] },
      },
      previousHeadId: null,
      activeHeadId: headId,
      adopted: true,
      decision: 'New head adopted',
      labelled: { windows: 300, silence: 100, sound: 200, bySource: {} },
      training: { loss: 0.5, examples: 240, epochs: 2, batchSize: 32, seconds: 1.5 },
      heldOut: {
        by: 'recording', folds: 2, testRecordingIds: [2, 3], trainRecordingIds: [1], truthSource: 'human', windows: 60,
        before: { counts: [[10, 5], [4, 41]] }, beforeBalancedAccuracy: 0.8, after: { counts: after }, afterBalancedAccuracy: 0.9,
        beforeOnsetF1: 0.7, afterOnsetF1: 0.75, beforeScore: 0.75, afterScore: 0.825,
      },
      recordingsPredicted: 3,
      regionsDerived: 3,
      seconds: 4.25,
    });
    recordRetrain(result(7, [[1, 2], [3, 4]]));
    recordRetrain(result(8, [[12, 3], [2, 43]]));
    // A failed later retrain does not replace the report.
    const db = app.state.project!.db;
    const failed = createJob(db, { kind: 'retrain-head', params: {} });
    finishJob(db, failed.id, { state: 'failed', error: { code: 'INTERNAL', message: 'boom' } });
    expect(valueOf(await app.call('retrain:lastReport'))).toEqual({
      headModelId: 8, heldOutBy: 'recording', folds: 2, heldOutRecordings: 2, heldOutFrames: 60, trainFrames: 240,
      before: [[10, 5], [4, 41]], after: [[12, 3], [2, 43]], seconds: 4.25, lossCurve: [0.7, 0.5],
      scores: { before: { score: 0.75, balancedAccuracy: 0.8, onsetF1: 0.7 }, after: { score: 0.825, balancedAccuracy: 0.9, onsetF1: 0.75 } },
      adopted: true, decision: 'New head adopted', activeHeadId: 8,
    });
    // Without held-out recordings there are no matrices to show.
    // A report stored before onset-F1 was kept: balanced accuracy only, the rest unknown.
    const old = result(10, [[12, 3], [2, 43]]);
    const { beforeOnsetF1: _b, afterOnsetF1: _a, beforeScore: _bs, afterScore: _as, ...oldHeldOut } = old.heldOut!;
    recordRetrain({ ...old, heldOut: oldHeldOut });
    expect((valueOf(await app.call('retrain:lastReport')) as RetrainReport).scores).toEqual({
      before: { score: null, balancedAccuracy: 0.8, onsetF1: null }, after: { score: null, balancedAccuracy: 0.9, onsetF1: null },
    });
    recordRetrain({ ...result(9, [[0, 0], [0, 0]]), heldOut: null });
    expect(valueOf(await app.call('retrain:lastReport'))).toBeNull();
  });
});

describe('recordingIdsOf', () => {
  const detectJob = (result: unknown): JobProgress => ({ jobId: 1, kind: 'detect', state: 'succeeded', phase: 'regions', done: 1, total: 1, etaSeconds: 0, result });
  it('reads the recordings of a succeeded detect job, once each', () => {
    const recordings = [3, 5, 3].map((recordingId) => ({ recordingId, path: 'x.wav', windows: 1, soundRegions: 0, silenceFraction: 1 }));
    expect(recordingIdsOf(detectJob({ recordings }))).toEqual([3, 5]);
    expect(recordingIdsOf({ ...detectJob({ recordings }), state: 'running' })).toEqual([]);
    expect(recordingIdsOf({ ...detectJob({ recordings }), kind: 'retrain-head' })).toEqual([]);
    expect(recordingIdsOf(detectJob(null))).toEqual([]);
  });
});
