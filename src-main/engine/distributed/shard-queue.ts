/**
 * The coordinator's side of BullMQ: puts a set of jobs on the queue, follows
 * them through the queue's event stream, hands each finished result to
 * `apply` (the only place anything is written), and says when it is all done.
 *
 * - Idempotent: job ids are content hashes; adding an id that exists is a
 *   no-op, and jobs already completed (a previous run was stopped or killed
 *   after the workers finished) are applied straight away.
 * - Retries: a worker-side failure is retried by BullMQ with exponential
 *   backoff (`attempts`); a result the coordinator rejects (CORRUPT_DATA: bad
 *   checksum, truncated file, malformed answer) sends the job back to the
 *   queue, up to `maxRejections` times. After that the job's failure is
 *   final and reported through `onFailure` (a per-file error).
 * - Stop and resume: aborting leaves queued jobs and finished results where
 *   they are; the next run adds nothing new and picks up from there.
 * - Follow-up jobs: an applied result may bring new jobs into the run (a long
 *   recording's feature ranges once its noise floors are known).
 * - Parts: a result the caller only holds in memory until the rest of its
 *   whole arrives (`retain`) stays in Redis, finished, until the caller
 *   `release`s it; a stopped run then loses no finished part.
 * - Redis lost: when Redis cannot be reached for `redisTimeoutMs`, the run
 *   ends with SERVICE_UNAVAILABLE; what was applied stays applied.
 */
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { SonotypeError, toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';
import type { RedisSettings } from './redis-url';
import { CompletionRate, type QueueProgress } from './queue-progress';
import { parseShardReturn, QUEUE_PREFIX, type ShardKind, type ShardReturn } from './shard-jobs';

export { describeQueueProgress, type QueueProgress } from './queue-progress';

export interface PlannedJob {
  id: string;
  name: ShardKind;
  data: object;
}


export interface RunJobsOptions<P> {
  redis: RedisSettings;
  queueName: string;
  jobs: readonly PlannedJob[];
  /**
   * Reads and checks one job's result (results are prepared concurrently);
   * throw CORRUPT_DATA to reject it (the job goes back to the queue), anything
   * else fails the job.
   */
  verify: (job: PlannedJob, answer: ShardReturn) => Promise<P>;
  /**
   * Writes a batch of prepared results, synchronously (the caller makes it one
   * database transaction: one commit for many results). Per-file problems are
   * the caller's to record; a throw ends the run.
   */
  commit: (batch: readonly { job: PlannedJob; prepared: P }[]) => void;
  /** A job whose failure is final (retries exhausted or its result keeps being rejected). */
  onFailure: (job: PlannedJob, error: ErrorInfo) => void;
  /** Called after a result was committed and its job removed (e.g. to delete its result file). */
  onApplied?: (job: PlannedJob, answer: ShardReturn) => void | Promise<void>;
  /** Jobs that follow from an applied result; they join this run (after onApplied). */
  followUp?: (job: PlannedJob, answer: ShardReturn) => Promise<readonly PlannedJob[]>;
  /** How many jobs are still to come through followUp (counted in the progress total). */
  laterJobs?: () => number;
  /** Jobs whose results the caller already holds: removed from Redis if a finished copy is there. */
  discard?: readonly string[];
  /** Results committed only into the caller's memory: their jobs stay in Redis (and their files) until released. */
  retain?: (job: PlannedJob) => boolean;
  /** Retained jobs the caller no longer needs (their whole is written, or failed): removed, then onApplied. */
  release?: () => readonly { job: PlannedJob; answer: ShardReturn }[];
  onProgress?: (progress: QueueProgress) => void;
  /** A line for the log (rejections, retries, Redis trouble). */
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Worker-side attempts per job (default 4), first retry after backoffMs (default 5 s), then doubling. */
  attempts?: number;
  backoffMs?: number;
  /** Rejected results before the job fails for good (default 3). */
  maxRejections?: number;
  /** How long Redis may be unreachable before the run stops (default 20 s). */
  redisTimeoutMs?: number;
  /** How often progress is reported (default 1 s). */
  tickMs?: number;
  /** Results written per transaction at most (default 64). */
  batchSize?: number;
}

type Inbox = { kind: 'completed'; id: string; returnvalue: unknown } | { kind: 'failed'; id: string; reason: string };

const ADD_CHUNK = 500;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)))]).finally(() => clearTimeout(timer));
}

function unavailable(redis: RedisSettings, seconds: number, cause?: unknown): SonotypeError {
  const why = cause ? ` (${(cause as Error).message ?? String(cause)})` : '';
  return new SonotypeError(
    'SERVICE_UNAVAILABLE',
    `Lost the connection to Redis at ${redis.display} for ${seconds} s${why}. Every result received so far is saved in the project; ` +
      'run the same command again once Redis is back to resume where it stopped.',
  );
}

/** Runs `jobs` to completion (see the file header). Resolves when every job is applied or has failed for good. */
export async function runShardJobs<P>(options: RunJobsOptions<P>): Promise<{ applied: number; failed: number }> {
  const { redis, jobs, signal } = options;
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 5000;
  const maxRejections = options.maxRejections ?? 3;
  const redisTimeoutMs = options.redisTimeoutMs ?? 20_000;
  const log = options.log ?? (() => {});
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const outstanding = new Set(byId.keys());
  const running = new Set<string>();
  const rejections = new Map<string, number>();
  const inbox: Inbox[] = [];
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  let lastRedisError: unknown = null;
  const onError = (error: unknown): void => {
    // Keep what Redis said (WRONGPASS, a certificate problem, ECONNREFUSED…) over the generic errors that follow it.
    const generic = /Connection is closed|Stream isn't writeable|enableOfflineQueue/i.test((error as Error)?.message ?? '');
    if (!generic || lastRedisError === null) lastRedisError = error;
  };
  const connection = { ...redis.options };
  const queue = new Queue(options.queueName, { connection, prefix: QUEUE_PREFIX });
  const events = new QueueEvents(options.queueName, { connection, prefix: QUEUE_PREFIX });
  // A connection of our own for the watchdog: commands fail fast instead of queueing while Redis is away.
  const probe = new Redis({ ...redis.options, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => 1000 });
  queue.on('error', onError);
  events.on('error', onError);
  probe.on('error', onError);
  events.on('completed', ({ jobId, returnvalue }) => {
    if (!outstanding.has(jobId)) return;
    inbox.push({ kind: 'completed', id: jobId, returnvalue });
    notify();
  });
  events.on('failed', ({ jobId, failedReason }) => {
    if (!outstanding.has(jobId)) return;
    inbox.push({ kind: 'failed', id: jobId, reason: failedReason });
    notify();
  });
  events.on('active', ({ jobId }) => {
    if (outstanding.has(jobId)) running.add(jobId);
  });
  events.on('waiting', ({ jobId }) => running.delete(jobId));
  events.on('stalled', ({ jobId }) => {
    if (!outstanding.has(jobId)) return;
    running.delete(jobId);
    log(`job ${jobId.slice(0, 16)}… lost its worker (stalled); it is back in the queue`);
  });

  let applied = 0;
  const progressNow = (): QueueProgress =>
    rate.progress({ total: byId.size + (options.laterJobs?.() ?? 0), done: applied, failed, running: running.size, workers, outstanding: outstanding.size });
  let failed = 0;
  const rate = new CompletionRate();
  let workers = 0;
  let lastRedisOk = Date.now();
  /**
   * Closes the connections. With Redis reachable, politely (QUIT); without, at
   * once: a polite close would wait for a reply that never comes, and the
   * clients' reconnect timers would keep the process alive after the run ended.
   */
  const stopAll = async (reachable: boolean): Promise<void> => {
    probe.disconnect();
    // Forced: the connections are dropped first; close() then marks the objects closed, so their own loops
    // (the event stream's reader retries) stop instead of keeping timers alive.
    const forced = reachable ? [] : [events.backend.close(true), queue.backend.close(true)];
    await Promise.race([Promise.allSettled([...forced, events.close(), queue.close()]), delay(2000)]);
  };

  const finish = (id: string): void => {
    outstanding.delete(id);
    running.delete(id);
  };
  const failFor = (job: PlannedJob, error: ErrorInfo): void => {
    finish(job.id);
    failed++;
    options.onFailure(job, error);
  };

  /** A result that failed its checks: back to the queue, or a final failure after maxRejections. */
  async function reject(job: PlannedJob, error: unknown): Promise<void> {
    const info = toErrorInfo(error);
    if (info.code === 'DATABASE' || info.code === 'CANCELLED') throw error;
    if (info.code !== 'CORRUPT_DATA') return failFor(job, info);
    const n = (rejections.get(job.id) ?? 0) + 1;
    rejections.set(job.id, n);
    if (n > maxRejections) return failFor(job, { code: 'CORRUPT_DATA', message: `${info.message} (rejected ${n} times)` });
    log(`rejected the result of ${job.id.slice(0, 16)}…: ${info.message}; sending it back to the queue (${n} of ${maxRejections})`);
    const stored = await queue.getJob(job.id);
    if (stored) await stored.retry('completed', { resetAttemptsMade: true });
    else await addJobs([job]);
  }

  /** Prepares finished jobs concurrently, writes the good ones in one commit, then clears them from Redis. */
  async function handleCompleted(batch: readonly { job: PlannedJob; returnvalue: unknown }[]): Promise<void> {
    type Outcome = { ok: true; job: PlannedJob; answer: ShardReturn; prepared: P } | { ok: false; job: PlannedJob; error: unknown };
    const outcomes = await Promise.all(
      batch.map(async ({ job, returnvalue }): Promise<Outcome> => {
        try {
          const answer = parseShardReturn(returnvalue);
          return { ok: true, job, answer, prepared: await options.verify(job, answer) };
        } catch (error) {
          return { ok: false, job, error };
        }
      }),
    );
    const good = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
    if (good.length > 0) options.commit(good);
    for (const o of outcomes) if (!o.ok) await reject(o.job, o.error);
    const now = Date.now();
    for (const { job } of good) {
      finish(job.id);
      applied++;
      rate.record(now);
    }
    await clear(good.filter(({ job }) => !options.retain?.(job)));
    if (options.followUp) {
      const more = await Promise.all(good.map(({ job, answer }) => options.followUp!(job, answer)));
      await join(more.flat());
    }
    await clear([]);
  }

  /** Removes a job whose result the caller holds; a finished copy then goes through onApplied (its result file). */
  async function discard(id: string): Promise<void> {
    const job = await queue.getJob(id);
    if (!job) return;
    let answer: ShardReturn | null = null;
    try {
      if ((await job.getState()) === 'completed') answer = parseShardReturn(job.returnvalue);
    } catch {
      // Not a result we can read: there is no file of ours to clear.
    }
    await queue.remove(id).catch(() => 0);
    if (answer) await options.onApplied?.({ id, name: job.name as ShardKind, data: job.data as object }, answer);
  }

  /** Removes applied jobs (and those the caller releases) from Redis, then onApplied (e.g. deleting their result files). */
  async function clear(list: readonly { job: PlannedJob; answer: ShardReturn }[]): Promise<void> {
    const all = [...list, ...(options.release?.() ?? [])];
    await Promise.all(all.map(({ job }) => queue.remove(job.id).catch(() => 0)));
    await Promise.all(all.map(({ job, answer }) => options.onApplied?.(job, answer)));
  }

  /** Brings follow-up jobs into the run: new ones are queued, finished ones (an earlier run's) applied, failed ones retried. */
  async function join(list: readonly PlannedJob[]): Promise<void> {
    const fresh = list.filter((j) => !byId.has(j.id));
    if (fresh.length === 0) return;
    for (const j of fresh) {
      byId.set(j.id, j);
      outstanding.add(j.id);
    }
    const known = await Promise.all(fresh.map((j) => queue.getJob(j.id)));
    await addJobs(fresh.filter((_, i) => !known[i]));
    for (const job of known) {
      if (!job) continue;
      const state = await job.getState();
      if (state === 'completed') inbox.push({ kind: 'completed', id: String(job.id), returnvalue: job.returnvalue });
      else if (state === 'failed') await job.retry('failed', { resetAttemptsMade: true });
    }
    notify();
  }

  async function handleFailed(job: PlannedJob, reason: string): Promise<void> {
    // BullMQ reports every failed attempt; only a job that ended in 'failed' is final.
    const state = await queue.getJobState(job.id);
    if (state !== 'failed') return;
    failFor(job, { code: 'DECODE_FAILED', message: `${reason} (after ${attempts} attempts)` });
  }

  async function addJobs(list: readonly PlannedJob[]): Promise<void> {
    for (let i = 0; i < list.length; i += ADD_CHUNK) {
      await queue.addBulk(
        list.slice(i, i + ADD_CHUNK).map((j) => ({
          name: j.name,
          data: j.data,
          opts: { jobId: j.id, attempts, backoff: { type: 'exponential', delay: backoffMs }, removeOnComplete: false, removeOnFail: false },
        })),
      );
    }
  }

  /** Finds jobs that finished while nobody listened (a previous run, a lost event stream) and queues failed ones again. */
  async function reconcile(retryFailed: boolean): Promise<void> {
    const [completed, failedIds] = await Promise.all([queue.getRanges(['completed'], 0, -1), queue.getRanges(['failed'], 0, -1)]);
    const queued = new Set(inbox.map((m) => m.id));
    for (const id of completed) {
      if (!outstanding.has(id) || queued.has(id)) continue;
      const job: Job | undefined = await queue.getJob(id);
      if (job) inbox.push({ kind: 'completed', id, returnvalue: job.returnvalue });
    }
    for (const id of failedIds) {
      if (!outstanding.has(id)) continue;
      const job = await queue.getJob(id);
      if (!job) continue;
      if (retryFailed) await job.retry('failed', { resetAttemptsMade: true });
      else inbox.push({ kind: 'failed', id, reason: job.failedReason });
    }
    notify();
  }

  const ready = await withTimeout(Promise.all([queue.waitUntilReady(), events.waitUntilReady(), probe.connect()]), redisTimeoutMs).catch((e) => (onError(e), 'timeout' as const));
  if (ready === 'timeout') {
    // The reason is what Redis said (or why it could not be reached), not what closing the clients reports.
    const why = unavailable(redis, Math.round(redisTimeoutMs / 1000), lastRedisError);
    await stopAll(false);
    throw why;
  }
  const ticker = setInterval(() => notify(), options.tickMs ?? 1000);
  let lastWorkerCount = 0;
  let lastReconcile = Date.now();
  let lastProgress = 0;
  let wasDown = false;
  let cameBack = false;
  // The watchdog runs on its own timer, so a run waiting on Redis (a reply that never comes) still ends readably.
  const waiting = new Set<(error: Error) => void>();
  let lostWith: Error | null = null;
  const loseRedis = (error: Error): void => {
    lostWith ??= error;
    for (const reject of waiting) reject(error);
  };
  let pinging = false;
  const watchdog = setInterval(() => {
    if (pinging) return;
    pinging = true;
    void withTimeout(probe.ping(), 2000)
      .catch((e) => (onError(e), 'timeout'))
      .then((ping) => {
        const now = Date.now();
        if (ping === 'PONG') {
          lastRedisOk = now;
          if (wasDown) {
            wasDown = false;
            cameBack = true;
            log(`Redis at ${redis.display} is back`);
          }
          return;
        }
        if (!wasDown) log(`cannot reach Redis at ${redis.display}; waiting up to ${Math.round(redisTimeoutMs / 1000)} s`);
        wasDown = true;
        if (now - lastRedisOk > redisTimeoutMs) loseRedis(unavailable(redis, Math.round((now - lastRedisOk) / 1000), lastRedisError));
      })
      .finally(() => (pinging = false));
  }, 1000);
  /** `work`, or the Redis-lost error as soon as the watchdog gives up (whatever `work` is waiting for). */
  const guarded = <T>(work: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (lostWith) return reject(lostWith);
      waiting.add(reject);
      work.then(resolve, reject).finally(() => waiting.delete(reject));
    });

  /** One turn of the loop: results in the inbox, else housekeeping and a wait for the next event or tick. */
  async function turn(): Promise<void> {
    if (inbox.length > 0) {
      const seen = new Set<string>();
      const completed: { job: PlannedJob; returnvalue: unknown }[] = [];
      for (const message of inbox.splice(0, options.batchSize ?? 64)) {
        const job = byId.get(message.id);
        if (!job || !outstanding.has(job.id) || seen.has(job.id)) continue;
        seen.add(job.id);
        if (message.kind === 'completed') completed.push({ job, returnvalue: message.returnvalue });
        else await handleFailed(job, message.reason);
      }
      if (completed.length > 0) await handleCompleted(completed);
      if (Date.now() - lastProgress >= (options.tickMs ?? 1000)) {
        lastProgress = Date.now();
        options.onProgress?.(progressNow());
      }
      return;
    }
    const now = Date.now();
    if (cameBack) {
      cameBack = false;
      // Events sent while Redis was away are not replayed to us: ask for the jobs' states.
      await reconcile(false);
    }
    if (!wasDown && now - lastWorkerCount > 5000) {
      lastWorkerCount = now;
      workers = await queue.getWorkersCount().catch(() => workers);
    }
    if (!wasDown && now - lastReconcile > 30_000) {
      lastReconcile = now;
      await reconcile(false);
    }
    lastProgress = Date.now();
    options.onProgress?.(progressNow());
    if (inbox.length === 0 && outstanding.size > 0) await new Promise<void>((resolve) => (wake = resolve));
  }

  try {
    if (options.discard?.length) await guarded(Promise.all(options.discard.map(discard)));
    if (jobs.length > 0) {
      await guarded(addJobs(jobs));
      // A run that resumes: jobs failed in an earlier run get another chance; finished ones are applied.
      await guarded(reconcile(true));
    }
    while (outstanding.size > 0) {
      if (signal?.aborted) throw new SonotypeError('CANCELLED', `Stopped with ${outstanding.size} of ${byId.size} jobs outstanding; they stay queued: run again to resume.`);
      await guarded(turn());
    }
    await guarded(clear([]));
    options.onProgress?.(progressNow());
    return { applied, failed };
  } finally {
    clearInterval(ticker);
    clearInterval(watchdog);
    await stopAll(!wasDown);
  }


}
