/**
 * The coordinator keeps up with many workers: 400 short recordings, 20 of
 * them copies of another (380 frames jobs, then 380 recording + 380 windows
 * jobs for the embeddings)
 * served by 24 fake workers in another process (real BullMQ and Redis, stub
 * computation), every result checked and written into the project.
 *
 * The coordinator is one thread; what it can take is results per second of
 * its own CPU time, which is what is asserted (≥ 200/s) — on this shared
 * 2-core machine the wall-clock rate also depends on everyone else's load,
 * so it is printed, and `npm run bench -- distributed` measures it quietly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysableRecordings } from '../detection/analysable-recordings';
import { recordingWindowCount } from '../features';
import { loadProjectEncoder } from '../models/encoder-registry';
import { openProject, type Project } from '../project/open-project';
import { ensureFeatureConfig } from '../store/feature-configs';
import { upsertScannedRecording } from '../store/recordings';
import type { DetectWork } from '../detection/detect-types';
import type { RecordingFailure } from '../detection/recording-failures';
import { distributedAnalysis } from './distributed-analysis';
import { distributedFeatures } from './distributed-features';
import { Queue } from 'bullmq';
import { parseRedisUrl } from './redis-url';
import { QUEUE_PREFIX } from './shard-jobs';
import { openStorageRoot } from './storage-root';
import { redisUnavailableReason, startTestRedis, type TestRedis } from './test-helpers';

// CI's Redis (SONOTYPE_TEST_REDIS_URL, a queue of our own on it), else a private one.
const sharedRedis = process.env.SONOTYPE_TEST_REDIS_URL;
const skip = sharedRedis ? null : redisUnavailableReason();
const QUEUE = `sonotype-analysis-test-${randomBytes(4).toString('hex')}`;
const RECORDINGS = 400;
const FRAMES = 5 * 48_000;

describe.skipIf(skip)(`coordinator throughput with fake workers${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let base: string;
  let redis: TestRedis | null = null;
  let url: string;
  let project: Project;
  let workers: ChildProcess;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'sonotype-sim-'));
    mkdirSync(join(base, 'storage'));
    if (!sharedRedis) redis = await startTestRedis();
    url = sharedRedis ?? redis!.url;
    project = await openProject(join(base, 'project'), { audioRoot: join(base, 'storage'), analysisSampleRate: 48_000 });
    project.db.transaction(() => {
      for (let i = 0; i < RECORDINGS; i++) {
        upsertScannedRecording(project.db, {
          // Every 20th file is a copy of the one before (same content, same jobs): each copy still gets its results.
          relPath: `site${i % 10}/rec${i}.wav`, sizeBytes: FRAMES * 2 + 44, mtimeMs: 1, hash: (i % 20 === 19 ? i - 1 : i).toString(16).padStart(64, '0'), status: 'ok',
          info: { sampleRate: 48_000, channels: 1, frames: FRAMES, durationSeconds: FRAMES / 48_000, codec: 'pcm_s16le', container: 'wav', bitsPerSample: 16 },
        });
      }
    });
    const bin = fileURLToPath(new URL('./testing/fake-workers-bin.mjs', import.meta.url));
    workers = spawn(process.execPath, [bin, url, '24', '4', QUEUE], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      workers.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      workers.once('exit', (code) => reject(new Error(`fake workers exited (${code})`)));
    });
  });

  const countRows = (table: string): number => (project.db.statement(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  afterAll(async () => {
    workers?.kill('SIGTERM');
    project?.close();
    if (sharedRedis) {
      // Leave CI's Redis as we found it.
      const queue = new Queue(QUEUE, { connection: parseRedisUrl(url).options, prefix: QUEUE_PREFIX });
      await queue.obliterate({ force: true }).finally(() => queue.close());
    }
    await redis?.dispose();
    rmSync(base, { recursive: true, force: true });
  });

  it('applies every result, each once, at ≥ 200 results per second', async () => {
    const config = project.featureConfig()!;
    const featureConfigId = ensureFeatureConfig(project.db, config);
    const encoder = await loadProjectEncoder(project.dir, project.db, config);
    const work: DetectWork = {
      recordingsDecoded: 0, audioSecondsDecoded: 0, headTrained: false, recordingsPredicted: 0, regionsDerived: 0,
      heuristicRecordings: 0, windowRowsReplaced: 0, windowsEmbedded: 0, embeddingSeconds: 0,
    };
    const failures: RecordingFailure[] = [];
    let applied = 0;
    const options = {
      redis: parseRedisUrl(url),
      queue: QUEUE,
      storage: openStorageRoot(join(base, 'storage')),
      onResult: () => applied++,
    };
    const recordings = analysableRecordings(project);
    const started = performance.now();
    const cpu = process.cpuUsage();
    await distributedFeatures(options)({ project, recordings, work, failures });
    const windowsOf = await distributedAnalysis(options)({ project, recordings, config, featureConfigId, encoder, head: null, work, failures });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    encoder.model.dispose();
    expect(failures).toEqual([]);
    const perRecording = recordingWindowCount(FRAMES, 48_000, config);
    expect(windowsOf.size).toBe(RECORDINGS);
    expect(work.recordingsDecoded).toBe(RECORDINGS);
    expect(countRows('frame_features')).toBe(RECORDINGS);
    expect(work.heuristicRecordings).toBe(RECORDINGS);
    expect(work.windowsEmbedded).toBe(RECORDINGS * perRecording);
    const rows = project.db.statement('SELECT count(*) AS n, count(DISTINCT window_id) AS d FROM embeddings').get() as { n: number; d: number };
    expect(rows).toEqual({ n: RECORDINGS * perRecording, d: RECORDINGS * perRecording });
    const jobs = (RECORDINGS - RECORDINGS / 20) * 3;
    expect(applied).toBe(jobs);
    const capacity = jobs / cpuSeconds;
    console.log(`coordinator: ${jobs} results in ${seconds.toFixed(2)} s wall (${(jobs / seconds).toFixed(0)}/s), ${cpuSeconds.toFixed(2)} s of its CPU = ${capacity.toFixed(0)} results per CPU-second`);
    expect(capacity).toBeGreaterThanOrEqual(200);
  });
});
