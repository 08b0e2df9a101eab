/**
 * The job processor as BullMQ runs it in each worker thread of
 * `sonotype worker` (sandboxed processor): the thread's backend, storage
 * root and model cache are set up once, from the environment the worker
 * process prepared (worker-process.ts), and reused for every job.
 */
import { initBackend, type BackendPreference } from '../models/backend';
import { ModelCache } from './model-store';
import { processShardJob, type ProcessorContext } from './shard-processor';
import type { ShardReturn } from './shard-jobs';
import { openStorageRoot } from './storage-root';

/** The part of BullMQ's sandboxed job this processor uses. */
interface SandboxedJob {
  id?: string;
  name: string;
  data: unknown;
  updateProgress(progress: number): Promise<void>;
}

let context: Promise<ProcessorContext> | null = null;

async function createContext(): Promise<ProcessorContext> {
  const env = process.env;
  const root = openStorageRoot(env.SONOTYPE_WORKER_STORAGE ?? '.');
  const backend = await initBackend((env.SONOTYPE_WORKER_BACKEND as BackendPreference | undefined) ?? 'auto', { threads: 1 });
  return {
    root,
    models: new ModelCache(root),
    worker: env.SONOTYPE_WORKER_NAME ?? 'worker',
    backend: backend.name,
    inlineLimit: env.SONOTYPE_WORKER_INLINE_LIMIT ? Number(env.SONOTYPE_WORKER_INLINE_LIMIT) : undefined,
  };
}

export default async function processSandboxedJob(job: SandboxedJob): Promise<ShardReturn> {
  context ??= createContext();
  const ctx = await context.catch((error) => {
    context = null;
    throw error;
  });
  return processShardJob(job.id ?? '', job.name, job.data, { ...ctx, onProgress: (f) => job.updateProgress(Math.round(f * 100)) });
}
