/**
 * Flags shared by `sonotype worker` and `sonotype detect --distributed`, and
 * the distributed analysis stage built from them.
 */
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../exit-codes';
import type { CliIo } from '../output';
import { parseRedisUrl, type RedisSettings } from '../../engine/distributed/redis-url';
import { describeQueueProgress, type QueueProgress } from '../../engine/distributed/shard-queue';

export const REDIS_FLAGS: NonNullable<ParseArgsConfig['options']> = {
  'redis-ca': { type: 'string' },
  queue: { type: 'string' },
  storage: { type: 'string' },
};

/** Detect's extra flags for `--distributed redis://…`. */
export const DISTRIBUTED_DETECT_FLAGS: NonNullable<ParseArgsConfig['options']> = {
  distributed: { type: 'string' },
  ...REDIS_FLAGS,
  'shard-minutes': { type: 'string' },
  precision: { type: 'string' },
  'retry-delay': { type: 'string' },
  'redis-timeout': { type: 'string' },
};

/** The Redis settings of `--redis`/`--distributed` (usage error for a malformed URL). */
export function redisFromFlags(url: unknown, values: Record<string, unknown>, flag: string): RedisSettings {
  if (typeof url !== 'string' || url === '') throw new UsageError(`--${flag} needs a Redis URL, e.g. redis://127.0.0.1:6379`);
  try {
    return parseRedisUrl(url, { caFile: values['redis-ca'] as string | undefined });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Progress for a terminal (one line, redrawn) or a log (a line every `everyMs`). */
export function queueProgressPrinter(io: CliIo, tty: boolean, everyMs = 5000): (p: QueueProgress) => void {
  let last = 0;
  let lastLine = '';
  return (p) => {
    const line = describeQueueProgress(p);
    if (tty) {
      process.stderr.write(`\r${line}`.padEnd(100));
      return;
    }
    const now = Date.now();
    if (line !== lastLine && (now - last >= everyMs || p.done + p.failed === p.total)) {
      last = now;
      lastLine = line;
      io.err(line);
    }
  };
}
