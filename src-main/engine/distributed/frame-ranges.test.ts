/**
 * A long recording on workers is cut into frame ranges (floors jobs, the
 * floors file, then frames jobs per range) and put back together bit for
 * bit; a coordinator stopped between ranges resumes with the floors file it
 * wrote and redoes nothing. Real BullMQ and Redis, the real processor, a
 * real 15-minute recording.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectProject } from '../detection/detect-project';
import { analysisKeyOf, frameAnalysisOf } from '../detection/recording-frames';
import { openProject } from '../project/open-project';
import { scanProject } from '../project/scan-project';
import { getFrameFeatures, type FrameFeatureRecord } from '../store/frame-data';
import { listRecordings } from '../store/recordings';
import { distributedFeatures } from './distributed-features';
import { ModelCache } from './model-store';
import { parseRedisUrl } from './redis-url';
import { QUEUE_PREFIX } from './shard-jobs';
import { processShardJob } from './shard-processor';
import { FLOORS_DIR, RESULTS_DIR, openStorageRoot } from './storage-root';
import { redisUnavailableReason, startTestRedis, type TestRedis } from './test-helpers';

const shared = resolve(fileURLToPath(new URL('../../../../shared/data/recordings', import.meta.url)));
const FILE = 'right_whale_NOPP6_20090329_121500_15min.wav';
const skip = redisUnavailableReason() ?? (existsSync(join(shared, FILE)) ? null : `${shared} is absent`);

async function featuresOf(projectDir: string): Promise<FrameFeatureRecord> {
  const project = await openProject(projectDir);
  try {
    const recording = listRecordings(project.db)[0];
    return getFrameFeatures(project.db, recording.id, analysisKeyOf(frameAnalysisOf(project.db, recording)))!;
  } finally {
    project.close();
  }
}

describe.skipIf(skip)(`a long recording in frame ranges${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let base: string;
  let redis: TestRedis;
  let local: FrameFeatureRecord;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'sonotype-ranges-'));
    mkdirSync(join(base, 'storage'));
    copyFileSync(join(shared, FILE), join(base, 'storage', FILE));
    redis = await startTestRedis();
    const project = await openProject(join(base, 'p0'), { audioRoot: join(base, 'storage') });
    await scanProject(project);
    project.close();
    cpSync(join(base, 'p0'), join(base, 'local'), { recursive: true });
    const reference = await openProject(join(base, 'local'));
    await detectProject(reference).finally(() => reference.close());
    local = await featuresOf(join(base, 'local'));
  });

  afterAll(async () => {
    await redis?.dispose();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('gives the whole-file features bit for bit, and a coordinator stopped between ranges resumes without redoing any job', async () => {
    const settings = parseRedisUrl(redis.url);
    const root = openStorageRoot(join(base, 'storage'));
    const queue = 'ranges-test';
    const ctx = { root, models: new ModelCache(root), worker: 'in-test', backend: 'wasm' };
    // The coordinator is stopped when the first range's features are computed, and the other ranges wait for
    // the gate: the stop certainly comes mid-run.
    const stop = new AbortController();
    let openGate!: () => void;
    const gate = new Promise<void>((r) => (openGate = r));
    const runs: string[] = [];
    const worker = new Worker(
      queue,
      async (job) => {
        if (job.name === 'frames' && runs.some((n) => n.startsWith('frames'))) await gate;
        runs.push(`${job.name} ${job.id}`);
        const answer = await processShardJob(String(job.id), job.name, job.data, ctx);
        if (job.name === 'frames') stop.abort();
        return answer;
      },
      { connection: settings.options, prefix: QUEUE_PREFIX },
    );
    const dir = join(base, 'p0');
    const log: string[] = [];
    const detect = async (signal?: AbortSignal) => {
      const project = await openProject(dir);
      try {
        return await detectProject(project, {
          signal,
          features: distributedFeatures({ redis: settings, storage: root, queue, shardSeconds: 120, log: (l) => log.push(l) }),
        });
      } finally {
        project.close();
      }
    };
    try {
      await expect(detect(stop.signal)).rejects.toThrow(/Stopped with \d+ of \d+ jobs outstanding/);
      expect(log.some((l) => /1 recordings to analyse .* in ranges of about 120 s/.test(l))).toBe(true);
      expect(readdirSync(join(base, 'storage', FLOORS_DIR))).toHaveLength(1);
      openGate();
      const result = await detect();
      expect(result.failures).toEqual([]);
      expect(result.work.recordingsDecoded).toBe(1);
    } finally {
      openGate();
      await worker.close();
    }
    // 15 min in ranges of 2 min: 7 floors jobs, then 7 frames jobs; each ran once.
    expect(runs.filter((r) => r.startsWith('floors'))).toHaveLength(7);
    expect(runs.filter((r) => r.startsWith('frames'))).toHaveLength(7);
    expect(new Set(runs).size).toBe(14);
    expect(readdirSync(join(base, "storage", RESULTS_DIR))).toEqual([]);
    const distributed = await featuresOf(dir);
    expect(distributed.frames).toBe(local.frames);
    expect(distributed.nativeFrames).toBe(local.nativeFrames);
    expect(distributed.noiseFloorDb).toBe(local.noiseFloorDb);
    expect(Buffer.from(distributed.data.buffer, distributed.data.byteOffset, distributed.data.byteLength).equals(Buffer.from(local.data.buffer, local.data.byteOffset, local.data.byteLength))).toBe(true);
  });
});
