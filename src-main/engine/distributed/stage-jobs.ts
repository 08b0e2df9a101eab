/**
 * What the two detect stages on workers (distributed-features.ts,
 * distributed-analysis.ts) share around the job queue: the project's queue
 * and retry settings, each result's file removed from the shared storage
 * once it is written, and the queue's progress reported as the stage's phase.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DetectProgress, ProgressListener } from '../detection/detect-types';
import type { DistributedOptions } from './distributed-analysis';
import { DEFAULT_QUEUE } from './shard-jobs';
import { runShardJobs, type RunJobsOptions } from './shard-queue';

/**
 * The stage's own part of a run: its jobs, how a result is checked and written, and what a final failure does
 * (and, for results that are parts of a whole, the follow-up jobs and which finished jobs it keeps in Redis).
 */
export type StageJobs<P> = Pick<RunJobsOptions<P>, 'jobs' | 'verify' | 'commit' | 'onFailure' | 'discard' | 'followUp' | 'laterJobs' | 'retain' | 'release'>;

export function runStageJobs<P>(
  options: DistributedOptions,
  input: { signal?: AbortSignal; onProgress?: ProgressListener },
  progress: Pick<DetectProgress, 'phase' | 'itemsLabel'>,
  stage: StageJobs<P>,
): ReturnType<typeof runShardJobs<P>> {
  return runShardJobs({
    ...stage,
    redis: options.redis,
    queueName: options.queue ?? DEFAULT_QUEUE,
    onApplied: async (job, answer) => {
      options.onResult?.(job.name, answer);
      if (answer.path) await rm(join(options.storage.dir, answer.path), { force: true }).catch(() => {});
    },
    onProgress: (p) => {
      options.onQueueProgress?.(p);
      input.onProgress?.({ ...progress, done: p.done + p.failed, total: p.total, itemsPerSecond: p.perSecond || undefined });
    },
    log: options.log,
    signal: input.signal,
    attempts: options.attempts,
    backoffMs: options.backoffMs,
    maxRejections: options.maxRejections,
    redisTimeoutMs: options.redisTimeoutMs,
  });
}
