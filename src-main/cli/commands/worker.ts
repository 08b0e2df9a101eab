import { resolve } from 'node:path';
import type { CliCommand } from '../main';
import { EXIT_OK, UsageError } from '../exit-codes';
import { redisFromFlags, REDIS_FLAGS } from './distributed-flags';
import { BACKEND_PREFERENCES } from '../../../src-shared/job-kinds';
import { choiceFlag, positiveNumberFlag } from '../flag-values';

/**
 * `sonotype worker --redis redis://HOST:PORT [--concurrency N] [--storage DIR]
 * [--queue NAME] [--redis-ca FILE] [--lock-seconds S] [--backend auto|wasm|cpu]`
 *
 * A headless analysis worker (engine/distributed/worker-process.ts): takes
 * jobs from the queue until SIGTERM/SIGINT, one log line per job.
 */
export const workerCommand: CliCommand = {
  name: 'worker',
  synopsis: 'worker --redis redis://HOST:PORT [--concurrency N] [--storage DIR] [--queue NAME]   analyse shards for detect --distributed',
  options: {
    redis: { type: 'string' },
    concurrency: { type: 'string' },
    'lock-seconds': { type: 'string' },
    backend: { type: 'string' },
    ...REDIS_FLAGS,
  },
  async run({ positionals, values, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const redis = redisFromFlags(values.redis, values, 'redis');
    const concurrency = positiveNumberFlag(values, 'concurrency') ?? 1;
    if (!Number.isInteger(concurrency)) throw new UsageError(`--concurrency must be a whole number, got '${String(values.concurrency)}'`);
    const lockSeconds = positiveNumberFlag(values, 'lock-seconds');
    const backend = choiceFlag(values, 'backend', BACKEND_PREFERENCES);
    const log = (line: string): void => io.out(`${new Date().toISOString()} ${line}`);
    // The worker (and its BullMQ threads) load only now, so `sonotype --help` stays fast.
    const { startShardWorker } = await import('../../engine/distributed/worker-process');
    const worker = await startShardWorker({
      redis,
      storageDir: resolve((values.storage as string | undefined) ?? '.'),
      concurrency,
      queue: values.queue as string | undefined,
      log,
      lockMs: lockSeconds ? lockSeconds * 1000 : undefined,
      stalledIntervalMs: lockSeconds ? lockSeconds * 1000 : undefined,
      backend,
    });
    await new Promise<void>((done) => {
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) {
          log(`${signal} again: stopping now; running jobs go back to the queue when their lock expires`);
          void worker.close(true).finally(() => process.exit(0));
          return;
        }
        stopping = true;
        log(`${signal}: taking no new jobs, finishing the running ones (send it again to stop at once)`);
        void worker.close().then(done, done);
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
    log('stopped');
    return EXIT_OK;
  },
};
