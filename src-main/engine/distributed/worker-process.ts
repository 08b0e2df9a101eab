/**
 * `sonotype worker`: a headless process that takes analysis jobs from the
 * queue and runs them — no Electron, no project database.
 *
 * Each of the `concurrency` slots is a BullMQ sandboxed processor in its own
 * worker thread (its own tfjs backend and model cache), so the main thread
 * stays free to renew job locks however long a shard computes. One log line
 * per job. Stopping:
 * - SIGTERM/SIGINT: takes no new jobs, finishes the ones it has, exits 0;
 *   a second signal stops at once and leaves its jobs to BullMQ's stalled
 *   check, which puts them back in the queue for another worker;
 * - SIGKILL (or a crash, a lost machine): the job's lock expires and the
 *   stalled check re-queues it. Nothing is lost either way: only the
 *   coordinator writes results, and only complete, checksummed ones.
 */
import { fileURLToPath } from 'node:url';
import { Worker, type Job } from 'bullmq';
import { toErrorInfo } from '../../../src-shared/errors';
import type { RedisSettings } from './redis-url';
import { DEFAULT_QUEUE, QUEUE_PREFIX, type ShardReturn } from './shard-jobs';
import { defaultWorkerName } from './shard-processor';
import { openStorageRoot } from './storage-root';

export interface ShardWorkerOptions {
  redis: RedisSettings;
  /** Folder every path in a job is relative to (the shared storage as mounted here). */
  storageDir: string;
  concurrency?: number;
  queue?: string;
  /** One line per job and per notable event. */
  log: (line: string) => void;
  /** Job lock (default 30 s): after a crash, the job is re-queued within about lockMs + stalledIntervalMs. */
  lockMs?: number;
  stalledIntervalMs?: number;
  /** Results up to this many bytes go inline through Redis (default 64 KiB). */
  inlineLimit?: number;
  backend?: string;
  name?: string;
}

export interface RunningShardWorker {
  name: string;
  /** Stops taking jobs; waits for running ones unless `force`. */
  close(force?: boolean): Promise<void>;
}

function describeJob(job: Job | undefined): string {
  if (!job) return '(unknown job)';
  const data = job.data as { recording?: { path?: string }; range?: { first?: number; end?: number | null; firstFrame?: number; endFrame?: number | null } };
  const r = data.range;
  const what =
    job.name === 'windows' && r ? `windows ${r.first}–${r.end ?? 'end'}`
    : (job.name === 'frames' || job.name === 'floors') && r ? `${job.name} of frames ${r.firstFrame}–${r.endFrame ?? 'end'}`
    : job.name;
  return `${String(job.id).slice(0, 16)}… ${data.recording?.path ?? '?'} ${what}`;
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

/** Starts a worker (see the file header); resolves once it is connected. */
export async function startShardWorker(options: ShardWorkerOptions): Promise<RunningShardWorker> {
  const root = openStorageRoot(options.storageDir);
  const name = options.name ?? defaultWorkerName();
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const queueName = options.queue ?? DEFAULT_QUEUE;
  // The sandbox threads read these when they start (process.env is copied into each thread).
  process.env.SONOTYPE_WORKER_STORAGE = root.dir;
  process.env.SONOTYPE_WORKER_NAME = name;
  if (options.inlineLimit !== undefined) process.env.SONOTYPE_WORKER_INLINE_LIMIT = String(options.inlineLimit);
  if (options.backend) process.env.SONOTYPE_WORKER_BACKEND = options.backend;
  const processor = fileURLToPath(new URL('./shard-sandbox-entry.mjs', import.meta.url));
  const worker = new Worker(queueName, processor, {
    connection: { ...options.redis.options },
    prefix: QUEUE_PREFIX,
    name,
    concurrency,
    useWorkerThreads: true,
    lockDuration: options.lockMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    // A job whose worker vanished is tried again, up to twice, before it counts as failed.
    maxStalledCount: 2,
    autorun: false,
  });
  let redisDown = false;
  worker.on('error', (error) => {
    if (redisDown) return;
    redisDown = true;
    options.log(`redis: ${toErrorInfo(error).message}; retrying`);
  });
  worker.on('ready', () => {
    if (redisDown) options.log(`redis: connected again to ${options.redis.display}`);
    redisDown = false;
  });
  worker.on('completed', (job: Job, answer: ShardReturn) => {
    const where = answer?.path ? `→ storage ${formatBytes(answer.bytes)}` : `→ inline ${formatBytes(answer?.bytes ?? 0)}`;
    options.log(`done ${describeJob(job)} in ${(answer?.seconds ?? 0).toFixed(1)} s ${where}`);
  });
  worker.on('failed', (job: Job | undefined, error: Error) => {
    const attempts = job?.opts.attempts ?? 1;
    options.log(`failed ${describeJob(job)} (attempt ${job?.attemptsMade ?? '?'} of ${attempts}): ${toErrorInfo(error).message}`);
  });
  void worker.run().catch((error) => options.log(`worker stopped: ${toErrorInfo(error).message}`));
  await worker.waitUntilReady();
  options.log(`sonotype worker ${name}: queue '${queueName}' on ${options.redis.display}, ${concurrency} slot${concurrency === 1 ? '' : 's'}, storage ${root.dir}`);
  return {
    name,
    close: (force = false) => worker.close(force),
  };
}
