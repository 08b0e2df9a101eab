/**
 * Distributed analysis (BullMQ on Redis), on this machine:
 * - throughput of detect's audio work (frame features) in × real time with
 *   1 and 2 local `sonotype worker` processes, beside the same work run
 *   locally in-process (the baseline); and of the embeddings (detect --embed)
 *   on one worker;
 * - coordinator overhead per shard: enqueue → result stored, with empty work
 *   (one stub worker, one job at a time), and the results per second it takes
 *   from 24 stub workers;
 * - result bytes per audio hour (float32 and float16 embeddings) and Redis
 *   memory per queued shard, the inputs of the README's capacity model.
 * Needs redis-server; skipped with a message without it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { BenchSuite, BenchLine } from '../types';
import { writeBenchRecording } from './bench-audio';
import { openProject, type Project } from '../../engine/project/open-project';
import { scanProject } from '../../engine/project/scan-project';
import { initBackend } from '../../engine/models/backend';
import { loadProjectEncoder } from '../../engine/models/encoder-registry';
import { ensureFeatureConfig, upsertScannedRecording } from '../../engine/store';
import { analysableRecordings } from '../../engine/detection/analysable-recordings';
import type { AnalysisStage, FeaturesStage } from '../../engine/detection/analysis-stage';
import { computeRecordingFeatures, loadRecordingFrames } from '../../engine/detection/recording-frames';
import { predictFrames, trainBoostedHead } from '../../engine/detection/frames/detection-head';
import { resolveTeacherParams } from '../../engine/detection/frames/frame-teacher';
import { distributedFeatures } from '../../engine/distributed/distributed-features';
import type { DetectWork } from '../../engine/detection/detect-types';
import type { RecordingFailure } from '../../engine/detection/recording-failures';
import { distributedAnalysis } from '../../engine/distributed/distributed-analysis';
import { parseRedisUrl, type RedisSettings } from '../../engine/distributed/redis-url';
import { shardJobId, QUEUE_PREFIX, type WindowsJob } from '../../engine/distributed/shard-jobs';
import { openStorageRoot } from '../../engine/distributed/storage-root';
import { startTestRedis } from '../../engine/distributed/test-helpers';
import { defaultFeatureConfig } from '../../engine/features';

const AUDIO_SECONDS = 600;
const FILES = 4;
/** One long recording, cut into ranges or not. */
const LONG_SECONDS = 300;
const CLI = fileURLToPath(new URL('../../cli/bin.mjs', import.meta.url));
const FAKE_WORKERS = fileURLToPath(new URL('../../engine/distributed/testing/fake-workers-bin.mjs', import.meta.url));

function emptyWork(): DetectWork {
  return {
    recordingsDecoded: 0, audioSecondsDecoded: 0, headTrained: false, recordingsPredicted: 0, regionsDerived: 0,
    heuristicRecordings: 0, windowRowsReplaced: 0, windowsEmbedded: 0, embeddingSeconds: 0,
  };
}

async function waitForLine(child: ChildProcess, re: RegExp): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      if (re.test(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before ${re}: ${text}`)));
  });
}

/** CPU seconds a process (all its threads) has used so far, from /proc (Linux); null elsewhere. */
function processCpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat (12 and 13 after the command), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Runs only detect's analysis stage (labels, window rows, embeddings) on a scanned project; seconds. */
async function timeStage(project: Project, stage: AnalysisStage): Promise<number> {
  const config = project.featureConfig()!;
  const encoder = await loadProjectEncoder(project.dir, project.db, config);
  const failures: RecordingFailure[] = [];
  const started = performance.now();
  try {
    await stage({
      project, recordings: analysableRecordings(project), config, featureConfigId: ensureFeatureConfig(project.db, config), encoder, head: null,
      work: emptyWork(), failures,
    });
  } finally {
    encoder.model.dispose();
  }
  if (failures.length > 0) throw new Error(`${failures[0].path}: ${failures[0].error.message}`);
  return (performance.now() - started) / 1000;
}

export const distributedSuite: BenchSuite = {
  names: [
    'distributed_local_baseline_x_realtime', 'coordinator_head_predict_x_realtime', 'distributed_1_worker_x_realtime', 'distributed_2_workers_x_realtime', 'distributed_long_file_2_workers_x_realtime', 'distributed_embeddings_1_worker_x_realtime',
    'coordinator_overhead_ms_per_shard', 'coordinator_results_per_s', 'result_bytes_per_audio_hour', 'redis_memory_bytes_per_queued_shard',
  ],
  async run(ctx, emit) {
    if (spawnSync('redis-server', ['--version']).status !== 0) {
      ctx.log('distributed: redis-server is not installed; skipped');
      return;
    }
    const redis = await startTestRedis();
    const settings = parseRedisUrl(redis.url);
    const children: ChildProcess[] = [];
    try {
      await initBackend('wasm');
      const storage = join(ctx.tmpDir, 'distributed-storage');
      mkdirSync(storage, { recursive: true });
      // Several recordings: one of up to 10 min is one frames job (longer ones are cut into ranges), so workers share this season by recordings.
      ctx.log(`distributed: writing ${FILES} × ${AUDIO_SECONDS / FILES} s at 48 kHz`);
      // Lengths differ by a few seconds so the files differ (identical files would share one job).
      for (let i = 0; i < FILES; i++) await writeBenchRecording(join(storage, `season-${i}.wav`), 48_000, AUDIO_SECONDS / FILES + 5 * i - 2.5 * (FILES - 1));
      const fresh = async (name: string): Promise<Project> => {
        const project = await openProject(join(ctx.tmpDir, name), { audioRoot: storage });
        await scanProject(project);
        return project;
      };

      const startWorkers = async (count: number): Promise<ChildProcess[]> => {
        const workers = Array.from({ length: count }, () =>
          spawn(process.execPath, [CLI, 'worker', '--redis', redis.url, '--storage', storage], { stdio: ['ignore', 'pipe', 'inherit'] }));
        children.push(...workers);
        await Promise.all(workers.map((w) => waitForLine(w, /sonotype worker/)));
        return workers;
      };
      const bytes = { frames: 0, framesF16: 0, recording: 0, windows: 0, windowsF16: 0 };

      // Detection's audio work (frame features): locally in-process (the baseline), then on 1 and 2 workers.
      const localProject = await fresh('distributed-local');
      const localCpu = process.cpuUsage();
      const localSeconds = await timeFeatures(localProject, null);
      const localUsed = process.cpuUsage(localCpu);
      // What stays on the coordinator after the features arrive: the head's per-frame probabilities.
      emit(headPredictionLine(localProject));
      localProject.close();
      emit({
        name: 'distributed_local_baseline_x_realtime', value: round(AUDIO_SECONDS / localSeconds), unit: 'x realtime', better: 'higher',
        detail: { audioSeconds: AUDIO_SECONDS, seconds: round(localSeconds), xRealtimePerCpuSecond: round(AUDIO_SECONDS / ((localUsed.user + localUsed.system) / 1e6)), stage: 'frame features' },
      });
      for (const count of [1, 2]) {
        const workers = await startWorkers(count);
        const project = await fresh(`distributed-${count}`);
        ctx.log(`distributed: frame features on ${count} worker(s)`);
        const cpuBefore = workers.map((w) => processCpuSeconds(w.pid!) ?? 0);
        const seconds = await timeFeatures(project, distributedFeatures({
          redis: settings, storage: openStorageRoot(storage),
          onResult: (_kind, answer) => {
            if (count === 1) bytes.frames += answer.bytes;
          },
        }));
        project.close();
        const workerCpu = workers.reduce((sum, w, i) => sum + (processCpuSeconds(w.pid!) ?? NaN) - cpuBefore[i], 0);
        for (const w of workers) w.kill('SIGTERM');
        emit({
          name: `distributed_${count}_worker${count === 1 ? '' : 's'}_x_realtime`, value: round(AUDIO_SECONDS / seconds), unit: 'x realtime', better: 'higher',
          detail: {
            audioSeconds: AUDIO_SECONDS, seconds: round(seconds), stage: 'frame features', baselineLocalXRealtime: round(AUDIO_SECONDS / localSeconds),
            // Load-independent: audio seconds per CPU second the workers spent (what one core of a worker gives).
            workerXRealtimePerCpuSecond: round(AUDIO_SECONDS / workerCpu),
          },
        });
      }

      // One long recording on 2 workers: whole, it is one job (one worker busy); cut into 60-s ranges (floors
      // jobs, the floors file, then frames jobs) both workers share it.
      {
        mkdirSync(join(storage, 'long'), { recursive: true });
        await writeBenchRecording(join(storage, 'long', 'one-file.wav'), 48_000, LONG_SECONDS);
        const timeLong = async (name: string, shardSeconds: number): Promise<number> => {
          const project = await openProject(join(ctx.tmpDir, name), { audioRoot: join(storage, 'long') });
          try {
            await scanProject(project);
            return await timeFeatures(project, distributedFeatures({ redis: settings, storage: openStorageRoot(storage), shardSeconds }));
          } finally {
            project.close();
          }
        };
        const workers = await startWorkers(2);
        ctx.log(`distributed: one ${LONG_SECONDS}-s recording on 2 workers, whole and in 60-s ranges`);
        const whole = await timeLong('distributed-long-whole', 3600);
        const ranges = await timeLong('distributed-long-ranges', 60);
        for (const w of workers) w.kill('SIGTERM');
        // Out of the season folder again: the projects below scan it.
        rmSync(join(storage, 'long'), { recursive: true, force: true });
        emit({
          name: 'distributed_long_file_2_workers_x_realtime', value: round(LONG_SECONDS / ranges), unit: 'x realtime', better: 'higher',
          detail: { audioSeconds: LONG_SECONDS, rangeSeconds: 60, seconds: round(ranges), wholeFileJobSeconds: round(whole), wholeFileJobXRealtime: round(LONG_SECONDS / whole) },
        });
      }

      // Embeddings for the map (detect --embed), on one worker: the encoder is the expensive part of them.
      {
        const [worker] = await startWorkers(1);
        const project = await fresh('distributed-embed');
        ctx.log('distributed: embeddings on 1 worker');
        const cpuBefore = processCpuSeconds(worker.pid!) ?? 0;
        const seconds = await timeStage(project, distributedAnalysis({
          redis: settings, storage: openStorageRoot(storage), shardSeconds: 60,
          onResult: (kind, answer) => {
            if (kind === 'recording' || kind === 'windows') bytes[kind] += answer.bytes;
          },
        }));
        project.close();
        const workerCpu = (processCpuSeconds(worker.pid!) ?? NaN) - cpuBefore;
        worker.kill('SIGTERM');
        emit({
          name: 'distributed_embeddings_1_worker_x_realtime', value: round(AUDIO_SECONDS / seconds), unit: 'x realtime', better: 'higher',
          detail: { audioSeconds: AUDIO_SECONDS, seconds: round(seconds), shardSeconds: 60, workerXRealtimePerCpuSecond: round(AUDIO_SECONDS / workerCpu) },
        });
      }

      // float16 halves the bytes: measured on the same audio.
      {
        const [worker] = await startWorkers(1);
        const options = {
          redis: settings, storage: openStorageRoot(storage), shardSeconds: 60, precision: 'f16' as const,
          onResult: (kind: string, answer: { bytes: number }) => {
            if (kind === 'frames') bytes.framesF16 += answer.bytes;
            if (kind === 'windows') bytes.windowsF16 += answer.bytes;
          },
        };
        const project = await fresh('distributed-f16');
        await timeFeatures(project, distributedFeatures(options));
        await timeStage(project, distributedAnalysis(options));
        project.close();
        worker.kill('SIGTERM');
      }
      const perHour = (b: number) => Math.round((b * 3600) / AUDIO_SECONDS);
      emit({
        name: 'result_bytes_per_audio_hour', value: perHour(bytes.frames), unit: 'bytes', better: 'lower',
        detail: {
          frameFeaturesFloat32: perHour(bytes.frames), frameFeaturesFloat16: perHour(bytes.framesF16),
          embeddingsFloat32: perHour(bytes.recording + bytes.windows), embeddingsFloat16: perHour(bytes.recording + bytes.windowsF16),
          sampleRate: 48_000, note: 'value = frame features (detection), float32',
        },
      });

      await coordinatorFigures(ctx, settings, emit, children);
      emit(await redisMemoryPerShard(settings));
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      await redis.dispose();
    }
  },
};

/** Runs only detect's step 1 (frame features of every recording) locally or with `stage`; seconds. */
async function timeFeatures(project: Project, stage: FeaturesStage | null): Promise<number> {
  const failures: RecordingFailure[] = [];
  const recordings = analysableRecordings(project);
  const work = emptyWork();
  const started = performance.now();
  if (stage) await stage({ project, recordings, work, failures });
  else for (const recording of recordings) await computeRecordingFeatures(project, recording);
  if (failures.length > 0) throw new Error(`${failures[0].path}: ${failures[0].error.message}`);
  return (performance.now() - started) / 1000;
}

/** Per-frame probabilities on the coordinator, day-one teacher and a head trained on (synthetic) corrections, in × real time per CPU second. */
function headPredictionLine(project: Project): BenchLine {
  const frames = analysableRecordings(project).map((r) => loadRecordingFrames(project.db, r));
  const seconds = frames.reduce((s, f) => s + f.nativeFrames / f.analysis.sampleRate, 0);
  const cpuSeconds = (work: () => void): number => {
    const before = process.cpuUsage();
    work();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1e6;
  };
  const teacher = { type: 'teacher' as const, version: 1 as const, teacher: resolveTeacherParams() };
  const teacherCpu = cpuSeconds(() => frames.forEach((f) => predictFrames(teacher, f)));
  // Corrections: a sound/silence pattern on the first recording, the teacher elsewhere.
  const targets = new Map([[frames[0].recordingId, Int8Array.from({ length: frames[0].frames }, (_, i) => (i % 400 < 100 ? 1 : i % 400 < 200 ? 0 : -1))]]);
  const { payload } = trainBoostedHead(frames, targets, [], { seed: 1 });
  const boostedCpu = cpuSeconds(() => frames.forEach((f) => predictFrames(payload, f)));
  return {
    name: 'coordinator_head_predict_x_realtime', value: round(seconds / boostedCpu), unit: 'x realtime per CPU second', better: 'higher',
    detail: { audioSeconds: round(seconds), boostedTrees: payload.trees.trees.length, teacherXRealtimePerCpuSecond: round(seconds / teacherCpu), note: 'value = head trained on corrections' },
  };
}

/** Stub workers: per-shard latency with one worker, results per second with 24. */
async function coordinatorFigures(ctx: { tmpDir: string; log(m: string): void }, settings: RedisSettings, emit: (l: BenchLine) => void, children: ChildProcess[]): Promise<void> {
  for (const { workers, concurrency, recordings } of [{ workers: 1, concurrency: 1, recordings: 100 }, { workers: 24, concurrency: 4, recordings: 600 }]) {
    const stub = spawn(process.execPath, [FAKE_WORKERS, settings.url, String(workers), String(concurrency)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(stub);
    await waitForLine(stub, /ready/);
    const project = await openProject(join(ctx.tmpDir, `coordinator-${workers}`), { audioRoot: join(ctx.tmpDir, 'nowhere'), analysisSampleRate: 48_000 });
    project.db.transaction(() => {
      for (let i = 0; i < recordings; i++) {
        upsertScannedRecording(project.db, {
          relPath: `r${i}.wav`, sizeBytes: 480_044, mtimeMs: 1, hash: i.toString(16).padStart(64, '0'), status: 'ok',
          info: { sampleRate: 48_000, channels: 1, frames: 240_000, durationSeconds: 5, codec: 'pcm_s16le', container: 'wav', bitsPerSample: 16 },
        });
      }
    });
    mkdirSync(join(ctx.tmpDir, 'nowhere'), { recursive: true });
    const cpu = process.cpuUsage();
    const seconds = await timeStage(project, distributedAnalysis({ redis: settings, storage: openStorageRoot(join(ctx.tmpDir, 'nowhere')) }));
    const used = process.cpuUsage(cpu);
    project.close();
    stub.kill('SIGTERM');
    const jobs = recordings * 2;
    if (workers === 1) {
      emit({ name: 'coordinator_overhead_ms_per_shard', value: round((seconds * 1000) / jobs), unit: 'ms', better: 'lower', detail: { jobs, stubWorkers: 1, note: 'enqueue → result stored, one job at a time, empty work' } });
    } else {
      emit({
        name: 'coordinator_results_per_s', value: round(jobs / seconds), unit: 'results/s', better: 'higher', target: 200,
        detail: { jobs, stubWorkers: workers * concurrency, coordinatorCpuSeconds: round((used.user + used.system) / 1e6), resultsPerCpuSecond: round(jobs / ((used.user + used.system) / 1e6)) },
      });
    }
  }
}

/** Redis memory taken by queued (waiting) shard jobs, per job. */
async function redisMemoryPerShard(settings: RedisSettings): Promise<BenchLine> {
  const client = new Redis({ ...settings.options, maxRetriesPerRequest: 3 });
  const queue = new Queue('sonotype-memory-probe', { connection: settings.options, prefix: QUEUE_PREFIX });
  const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
  try {
    await queue.waitUntilReady();
    const before = await used();
    const n = 5000;
    const config = defaultFeatureConfig(48_000);
    const jobs = Array.from({ length: n }, (_, i) => {
      const data: WindowsJob = {
        v: 1, recording: { path: `site-${i % 50}/2024-06-${String(1 + (i % 28)).padStart(2, '0')}/AM01_${i}.wav`, hash: i.toString(16).padStart(64, '0'), sampleRate: 96_000, channels: 1, frames: 345_600_000, sizeBytes: 691_200_044 },
        featureConfig: config, range: { first: (i % 6) * 7040, end: ((i % 6) + 1) * 7040 }, encoder: 'e'.repeat(64), head: null, precision: 'f32',
      };
      return { name: 'windows', data, opts: { jobId: shardJobId({ kind: 'windows', data }), attempts: 4, backoff: { type: 'exponential', delay: 5000 } } };
    });
    for (let i = 0; i < n; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
    const after = await used();
    return { name: 'redis_memory_bytes_per_queued_shard', value: Math.round((after - before) / n), unit: 'bytes', better: 'lower', detail: { jobs: n } };
  } finally {
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    client.disconnect();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
