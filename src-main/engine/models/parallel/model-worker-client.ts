/**
 * Starting model worker threads and talking to them with promises.
 * resolveModelWorkerEntry() is the ONE place that knows which script a model
 * worker runs, so the Electron build only has to change it to return its
 * bundled JavaScript entry.
 */
import { engineFileUrl } from '../../util/source-root';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { SonotypeError } from '../../../../src-shared/errors';
import type { BackendName } from '../backend';
import type {
  ModelWorkerMessage, ModelWorkerReply, ModelWorkerRequest, ModelWorkerResult, ModelWorkerStartData,
} from './model-worker-protocol';

export interface ModelWorkerEntry {
  /** Script given to `new Worker()`. */
  entry: URL;
  /** file: URL of the model worker host, imported by the entry. */
  hostModuleUrl: string;
}

/**
 * From TypeScript sources the job bootstrap (which registers tsx in the new
 * thread) imports the TypeScript host; a bundled build returns its own files here.
 */
export function resolveModelWorkerEntry(): ModelWorkerEntry {
  return {
    entry: engineFileUrl('jobs/worker-bootstrap.mjs'),
    hostModuleUrl: engineFileUrl('models/parallel/model-worker-host.ts').href,
  };
}

type RequestOf<K extends ModelWorkerRequest['op']> = Extract<ModelWorkerRequest, { op: K }>;
type ResultOf<K extends ModelWorkerRequest['op']> = Extract<ModelWorkerResult, { op: K }>;

/** One model worker thread with request/response messaging. */
export class ModelWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: ModelWorkerResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(backend: BackendName) {
    const { entry, hostModuleUrl } = resolveModelWorkerEntry();
    const workerData: ModelWorkerStartData = { hostModuleUrl, backend };
    this.worker = new Worker(entry, { workerData });
    this.worker.on('message', (reply: ModelWorkerReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiting) return;
      if ('error' in reply) waiting.reject(new SonotypeError(reply.error.code, reply.error.message));
      else waiting.resolve(reply.result);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const w of this.pending.values()) w.reject(this.failure);
      this.pending.clear();
    };
    this.worker.on('error', (e) => fail(new SonotypeError('INTERNAL', `A model worker thread failed: ${e.message}`)));
    this.worker.on('exit', (code) => fail(new SonotypeError('INTERNAL', `A model worker thread stopped (exit code ${code}).`)));
  }

  /** Sends a request; buffers in `transfer` move to the worker (the sender's copies become empty). */
  request<K extends ModelWorkerRequest['op']>(
    request: RequestOf<K>, transfer: ArrayBuffer[] = [],
  ): Promise<ResultOf<K>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: ModelWorkerResult) => void, reject });
      const message: ModelWorkerMessage = { id, request };
      this.worker.postMessage(message, transfer);
    });
  }

  /** Stops the thread; pending requests are rejected. */
  async terminate(): Promise<void> {
    this.failure ??= new SonotypeError('CANCELLED', 'The model worker was closed.');
    await this.worker.terminate();
  }
}

/** Starts `count` workers on the active tfjs backend. */
export function startModelWorkers(count: number): ModelWorker[] {
  const backend = tf.getBackend() as BackendName;
  return Array.from({ length: count }, () => new ModelWorker(backend));
}

/** Splits `count` items into `parts` contiguous shares differing by at most one (larger first). */
export function splitShares(count: number, parts: number): { start: number; count: number }[] {
  const shares: { start: number; count: number }[] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const n = Math.floor(count / parts) + (i < count % parts ? 1 : 0);
    shares.push({ start, count: n });
    start += n;
  }
  return shares;
}
