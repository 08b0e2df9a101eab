/**
 * The "Run on workers" calls of the contract (spread into CALLS in
 * contract.ts); handlers in src-main/app/handlers/workers-handlers.ts.
 */
import * as v from 'valibot';
import { returns } from './schemas';
import { workersSettingsPatchSchema, type WorkersStatus } from './workers-types';

const noArgs = v.strictTuple([]);

export const WORKERS_CALLS = {
  /** The project's "Run on workers" setup: Redis URL (password hidden), shared storage folder, shard length. */
  'workers:get': { args: noArgs, result: returns<WorkersStatus>() },
  /**
   * Changes the workers setup and stores it in the project (checked: a redis:// or rediss:// URL, a storage
   * folder that exists); `redisUrl: null` removes it. Args: the fields to change.
   */
  'workers:set': { args: v.strictTuple([workersSettingsPatchSchema]), result: returns<WorkersStatus>() },
  /** Connects to the configured Redis and counts the workers listening on the queue (answer in `check`, within 5 s). */
  'workers:check': { args: noArgs, result: returns<WorkersStatus>() },
} as const;
