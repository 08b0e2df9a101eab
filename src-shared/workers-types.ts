/**
 * Running detection on remote workers (BullMQ on Redis, `sonotype worker`)
 * from the app: the project's settings and what the app shows about them.
 */
import * as v from 'valibot';

/** What a project stores about its workers (engine/distributed/workers-settings.ts checks it). */
export interface WorkersSettings {
  /** redis:// or rediss:// URL of the queue (a password in it is stored in the project, never shown). */
  redisUrl: string;
  /** The shared recordings folder as mounted on this machine; null = the project's audio folder. */
  storage: string | null;
  /** Target length of a shard of a long recording, in minutes. */
  shardMinutes: number;
}

/** The workers setup as the app shows it. */
export interface WorkersStatus {
  /** The Redis URL with any password hidden, or null when the project has none. */
  redisUrl: string | null;
  /** The storage folder in use (the audio folder unless set). */
  storage: string | null;
  shardMinutes: number;
  /** Result of a connection check, when one was asked for: how many workers are connected, or why Redis cannot be reached. */
  check: { ok: true; workers: number } | { ok: false; message: string } | null;
}

/** Changes to the workers settings ('workers:set'); redisUrl null forgets them. */
export const workersSettingsPatchSchema = v.strictObject({
  redisUrl: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(2000)))),
  storage: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(4096)))),
  shardMinutes: v.optional(v.pipe(v.number(), v.minValue(0.01), v.maxValue(24 * 60))),
});
export type WorkersSettingsPatch = v.InferOutput<typeof workersSettingsPatchSchema>;
