/**
 * A project's workers setup for the app's "Run on workers": where the queue
 * is (Redis URL), where the shared recordings are mounted here, shard length;
 * checking it (is Redis reachable, how many workers listen) and turning it
 * into the distributed analysis stage of a detect job.
 */
import { Queue } from 'bullmq';
import { SonotypeError } from '../../../src-shared/errors';
import type { WorkersSettings, WorkersStatus } from '../../../src-shared/workers-types';
import type { AnalysisStage, FeaturesStage } from '../detection/analysis-stage';
import { distributedFeatures } from './distributed-features';
import { distributedAnalysis, type DistributedOptions } from './distributed-analysis';
import { parseRedisUrl } from './redis-url';
import { DEFAULT_QUEUE, QUEUE_PREFIX } from './shard-jobs';
import { openStorageRoot } from './storage-root';

export const DEFAULT_SHARD_MINUTES = 10;

/** Checks a settings object (as stored or as typed in the app); INVALID_ARGUMENT says what is wrong. */
export function checkWorkersSettings(settings: WorkersSettings): WorkersSettings {
  parseRedisUrl(settings.redisUrl, { env: {} });
  if (!(settings.shardMinutes > 0)) throw new SonotypeError('INVALID_ARGUMENT', `The shard length must be a positive number of minutes (got ${settings.shardMinutes}).`);
  return settings;
}

/** What the app shows about `settings` (no secrets), with an optional connection check. */
export function workersStatus(settings: WorkersSettings | undefined, audioRoot: string, check: WorkersStatus['check'] = null): WorkersStatus {
  if (!settings) return { redisUrl: null, storage: null, shardMinutes: DEFAULT_SHARD_MINUTES, check };
  return { redisUrl: parseRedisUrl(settings.redisUrl, { env: {} }).display, storage: settings.storage ?? audioRoot, shardMinutes: settings.shardMinutes, check };
}

/** Connects to the queue and counts the workers listening on it (within `timeoutMs`). */
export async function checkWorkers(settings: WorkersSettings, timeoutMs = 5000): Promise<NonNullable<WorkersStatus['check']>> {
  const redis = parseRedisUrl(settings.redisUrl);
  const queue = new Queue(DEFAULT_QUEUE, { connection: { ...redis.options, retryStrategy: () => null }, prefix: QUEUE_PREFIX });
  let lastError: unknown = null;
  queue.on('error', (e) => (lastError = e));
  let timer: NodeJS.Timeout | undefined;
  try {
    const workers = await Promise.race([
      queue.waitUntilReady().then(() => queue.getWorkersCount()),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(lastError ?? new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs))),
    ]);
    return { ok: true, workers };
  } catch (error) {
    return { ok: false, message: `Cannot reach Redis at ${redis.display}: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
    await Promise.race([queue.close().catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
    await Promise.race([queue.disconnect().catch(() => {}), new Promise((r) => setTimeout(r, 500))]);
  }
}

/** The stages that run a detect job's audio work (frame features; embeddings when asked) on the project's workers. */
export function workersStages(settings: WorkersSettings | undefined, audioRoot: string, extra: Partial<DistributedOptions> = {}): { features: FeaturesStage; analysis: AnalysisStage } {
  if (!settings) throw new SonotypeError('INVALID_CONFIG', 'This project has no Redis URL for workers yet: set one under "Run on workers" first.');
  const options: DistributedOptions = {
    redis: parseRedisUrl(settings.redisUrl),
    storage: openStorageRoot(settings.storage ?? audioRoot),
    shardSeconds: settings.shardMinutes * 60,
    ...extra,
  };
  return { features: distributedFeatures(options), analysis: distributedAnalysis(options) };
}
