/**
 * Results that fail their checks never reach the project: a result whose
 * bytes do not match their checksum is rejected and its job goes back to the
 * queue; one that keeps failing ends as a per-file error. (Frames jobs here;
 * every kind goes through the same queue runner.) Real BullMQ and
 * Redis, the real processor on a real recording, with the transport
 * corrupted in between.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectProject } from '../detection/detect-project';
import { listRecordings } from '../store/recordings';
import { loadRecordingFrames } from '../detection/recording-frames';
import { openProject } from '../project/open-project';
import { scanProject } from '../project/scan-project';
import { initBackend } from '../models/backend';
import { distributedFeatures } from './distributed-features';
import { ModelCache } from './model-store';
import { parseRedisUrl } from './redis-url';
import { DEFAULT_QUEUE, QUEUE_PREFIX, type ShardReturn } from './shard-jobs';
import { processShardJob } from './shard-processor';
import { openStorageRoot } from './storage-root';
import { redisUnavailableReason, startTestRedis, type TestRedis } from './test-helpers';

const shared = resolve(fileURLToPath(new URL('../../../../shared/data/recordings', import.meta.url)));
const FILE = 'orca_srkw_calltype_S12-J-1.wav';
const skip = redisUnavailableReason() ?? (existsSync(join(shared, FILE)) ? null : `${shared} is absent`);

/** Flips one bit in the middle of an inline result (what a damaged disk or network would do). */
function corrupt(answer: ShardReturn): ShardReturn {
  const bytes = Buffer.from(answer.inline!, 'base64');
  bytes[bytes.length >> 1] ^= 0x10;
  return { ...answer, inline: bytes.toString('base64') };
}

/** The recording's cached frame features. */
async function featuresOf(projectDir: string): Promise<Float32Array> {
  const project = await openProject(projectDir);
  try {
    return loadRecordingFrames(project.db, listRecordings(project.db)[0]).base;
  } finally {
    project.close();
  }
}

describe.skipIf(skip)(`rejected shard results${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let base: string;
  let redis: TestRedis;
  let p0: string;
  let local: Float32Array;

  beforeAll(async () => {
    await initBackend('wasm');
    base = mkdtempSync(join(tmpdir(), 'sonotype-reject-'));
    mkdirSync(join(base, 'storage'));
    copyFileSync(join(shared, FILE), join(base, 'storage', FILE));
    redis = await startTestRedis();
    p0 = join(base, 'p0');
    const project = await openProject(p0, { audioRoot: join(base, 'storage') });
    await scanProject(project);
    project.close();
    cpSync(p0, join(base, 'local'), { recursive: true });
    const reference = await openProject(join(base, 'local'));
    await detectProject(reference, { backend: 'wasm', embed: true }).finally(() => reference.close());
    local = await featuresOf(join(base, 'local'));
    expect(local.length).toBeGreaterThan(1000);
  });

  afterAll(async () => {
    await redis?.dispose();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /** Runs detect --distributed on a fresh copy with one in-process worker whose answers pass through `tamper`. */
  async function run(name: string, tamper: (jobName: string, answer: ShardReturn, attempt: number) => ShardReturn) {
    const dir = join(base, name);
    cpSync(p0, dir, { recursive: true });
    const settings = parseRedisUrl(redis.url);
    const root = openStorageRoot(join(base, 'storage'));
    const ctx = { root, models: new ModelCache(root), worker: 'tampering', backend: 'wasm' };
    const seen = new Map<string, number>();
    const worker = new Worker(
      DEFAULT_QUEUE,
      async (job) => {
        const attempt = (seen.get(String(job.id)) ?? 0) + 1;
        seen.set(String(job.id), attempt);
        return tamper(job.name, await processShardJob(String(job.id), job.name, job.data, ctx), attempt);
      },
      { connection: settings.options, prefix: QUEUE_PREFIX },
    );
    const log: string[] = [];
    const project = await openProject(dir);
    try {
      const result = await detectProject(project, {
        backend: 'wasm',
        features: distributedFeatures({ redis: settings, storage: root, log: (l) => log.push(l), maxRejections: 2 }),
      });
      return { result, log, seen, dir };
    } finally {
      project.close();
      await worker.close();
    }
  }

  it('rejects a result whose checksum does not match, runs its job again and stores the good one', async () => {
    let corrupted = false;
    const { result, log, seen, dir } = await run('once', (name, answer) => {
      if (name !== 'frames' || corrupted) return answer;
      corrupted = true;
      return corrupt(answer);
    });
    expect(corrupted).toBe(true);
    expect(log.filter((l) => /rejected the result of frm-.*checksum mismatch.*sending it back to the queue \(1 of 2\)/.test(l))).toHaveLength(1);
    expect([...seen.values()].some((n) => n === 2)).toBe(true);
    expect(result.failures).toEqual([]);
    expect(Buffer.from((await featuresOf(dir)).buffer).equals(Buffer.from(local.buffer))).toBe(true);
  });

  it('reports a recording whose results keep failing their checks as a per-file error', async () => {
    await expect(run('always', (name, answer) => (name === 'frames' ? corrupt(answer) : answer))).rejects.toThrow(
      /No recording could be analysed.*its frames job kept failing: Shard result rejected: checksum mismatch.*rejected 3 times/,
    );
  });
});
