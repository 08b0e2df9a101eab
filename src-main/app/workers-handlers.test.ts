/**
 * "Run on workers" from the app: the project's Redis setup (checked, stored,
 * its password never sent back), a connection check that counts workers,
 * and a detect job whose labels and embeddings come from workers on the
 * queue (fake workers here: real BullMQ and Redis, stub computation).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src-shared/job-types';
import { jobResultOf } from '../../src-shared/job-kinds';
import { parseRedisUrl } from '../engine/distributed/redis-url';
import { redisUnavailableReason, startTestRedis, type TestRedis } from '../engine/distributed/test-helpers';
import { startFakeWorkers } from '../engine/distributed/testing/fake-workers';
import { openAndScan, createTestApp, valueOf, type TestApp } from './test-helpers';

const skip = redisUnavailableReason();

describe.skipIf(skip)(`workers:* calls and detect on workers${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let redis: TestRedis;
  let app: TestApp;
  beforeAll(async () => {
    redis = await startTestRedis({ password: 'lab-secret' });
  });
  afterAll(async () => {
    await redis?.dispose();
  });
  beforeEach(async () => {
    app = createTestApp();
    await openAndScan(app);
  });
  afterEach(async () => {
    await app.close();
  });

  it('stores a checked setup, never returns its password, and counts the connected workers', async () => {
    expect(valueOf(await app.call('workers:get'))).toEqual({ redisUrl: null, storage: null, shardMinutes: 10, check: null });
    const bad = await app.call('workers:set', { redisUrl: 'http://10.0.0.5:6379' });
    expect(bad.ok || bad.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/neither redis: nor rediss:/) });
    const nowhere = await app.call('workers:set', { redisUrl: redis.url, storage: join(app.projectDir, 'no-such-folder') });
    expect(nowhere.ok || nowhere.error).toMatchObject({ code: 'NOT_FOUND' });

    const status = valueOf(await app.call('workers:set', { redisUrl: redis.url, shardMinutes: 5 }));
    expect(status).toMatchObject({ redisUrl: redis.url.replace('lab-secret', '***'), storage: app.state.project!.audioRoot, shardMinutes: 5, check: null });
    expect(JSON.stringify(valueOf(await app.call('workers:get')))).not.toContain('lab-secret');

    expect(valueOf(await app.call('workers:check')).check).toEqual({ ok: true, workers: 0 });
    const workers = await startFakeWorkers(parseRedisUrl(redis.url), 2, 1);
    try {
      expect(valueOf(await app.call('workers:check')).check).toEqual({ ok: true, workers: 2 });
    } finally {
      await workers.close();
    }
    valueOf(await app.call('workers:set', { redisUrl: `redis://:wrong@127.0.0.1:${redis.port}` }));
    const refused = valueOf(await app.call('workers:check')).check;
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/Cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: .*(WRONGPASS|invalid)/i) });
    expect(valueOf(await app.call('workers:set', { redisUrl: null })).redisUrl).toBeNull();
  });

  it('runs a detect job on the workers of the queue', async () => {
    const refused = await app.call('jobs:start', 'detect', { onWorkers: true });
    // Without a setup the job fails readably (it is still a job: the error arrives with it).
    if (refused.ok) expect((await finalEvent(app, refused.value)).error?.message).toMatch(/no Redis URL for workers yet/);
    valueOf(await app.call('workers:set', { redisUrl: redis.url }));
    const workers = await startFakeWorkers(parseRedisUrl(redis.url), 2, 2);
    try {
      const jobId = valueOf(await app.call('jobs:start', 'detect', { onWorkers: true }));
      const end = await finalEvent(app, jobId);
      expect(end.error).toBeUndefined();
      expect(end.state).toBe('succeeded');
      const result = jobResultOf(end, 'detect')!;
      // The frame features of the three recordings came from the workers (stub values here), regions followed here.
      expect(result.work.recordingsDecoded).toBe(3);
      expect(result.recordings).toHaveLength(3);
      expect(result.recordings.every((r) => r.frames > 0)).toBe(true);
      expect(app.events.some((e) => e.event === 'jobs:progress' && /jobs \d+\/\d+ done, 0 failed/.test((e.payload as JobProgress).message ?? ''))).toBe(true);
    } finally {
      await workers.close();
    }
  });
});

async function finalEvent(app: TestApp, jobId: number, timeoutMs = 90_000): Promise<JobProgress> {
  const ended = (p: JobProgress) => p.jobId === jobId && ['succeeded', 'failed', 'cancelled'].includes(p.state);
  const started = Date.now();
  for (;;) {
    const hit = app.events.find((e) => e.event === 'jobs:progress' && ended(e.payload as JobProgress));
    if (hit) return hit.payload as JobProgress;
    if (Date.now() - started > timeoutMs) throw new Error(`job ${jobId} did not end within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
