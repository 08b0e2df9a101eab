/**
 * Chooses the tfjs backend for the engine: native TensorFlow (tfjs-node) when it
 * loads, otherwise the portable WASM backend with our convolution kernels, and
 * the pure-JS CPU backend only as a last resort.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { SonotypeError } from '../../../src-shared/errors';
import type { BACKEND_PREFERENCES } from '../../../src-shared/job-kinds';
import { registerWasmTrainingKernels } from './wasm-kernels/register-wasm-kernels';

/** 'auto' or a backend by name (the list is the contract's: CLI flags and job parameters check against it). */
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
export type BackendName = Exclude<BackendPreference, 'auto'>;

export interface ActiveBackend {
  name: BackendName;
  /** Why this backend is active (and why better ones were not), for logs and the UI. */
  reason: string;
}

export interface InitBackendOptions {
  /** Folder holding tfjs-backend-wasm's *.wasm files (e.g. app.asar.unpacked/...); default: next to the package. */
  wasmDir?: string;
  /** WASM threads; only used where the threaded binary can run. Default: all cores. */
  threads?: number;
}

const TFJS_NODE = '@tensorflow/tfjs-node';

/** Folder with the WASM binaries as a file path (Node's loader reads files, not URLs). */
export function defaultWasmDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
}

async function tryTensorflow(): Promise<string | undefined> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    await import(/* @vite-ignore */ TFJS_NODE);
    if (await tf.setBackend('tensorflow')) return undefined;
    return 'tfjs-node loaded but its backend did not initialise';
  } catch (error) {
    return `tfjs-node is not available (${(error as Error).message.split('\n')[0]})`;
  }
}

async function tryWasm(options: InitBackendOptions): Promise<string> {
  registerWasmTrainingKernels();
  setWasmPaths(options.wasmDir ?? defaultWasmDir());
  const threads = options.threads ?? (await import('node:os')).availableParallelism();
  setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('the WASM backend failed to initialise');
  await tf.ready();
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
  const threaded = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? `${threads} threads` : 'single-threaded (no WASM threads in this runtime)';
  return `WASM backend, ${simd}, ${threaded}, with im2col convolution kernels`;
}

/**
 * Activates a backend and says which one and why.
 * @param preference 'auto' (default) tries tensorflow → wasm → cpu; a named backend is tried
 *   first and the others are used as fallbacks, with the reason saying so.
 */
export async function initBackend(
  preference: BackendPreference = 'auto', options: InitBackendOptions = {},
): Promise<ActiveBackend> {
  const notes: string[] = [];
  if (preference === 'auto' || preference === 'tensorflow') {
    const whyNot = await tryTensorflow();
    if (!whyNot) return { name: 'tensorflow', reason: 'native TensorFlow via tfjs-node' };
    notes.push(whyNot);
  }
  if (preference !== 'cpu') {
    try {
      const detail = await tryWasm(options);
      return { name: 'wasm', reason: [...notes, detail].join('; ') };
    } catch (error) {
      notes.push(`WASM backend unavailable (${(error as Error).message})`);
    }
  }
  if (!(await tf.setBackend('cpu'))) {
    throw new SonotypeError('INTERNAL', `No machine-learning backend could be started: ${notes.join('; ')}`);
  }
  const chosen = preference === 'cpu' ? 'CPU backend as requested (slow: pure JavaScript)' : 'falling back to the slow pure-JavaScript CPU backend';
  return { name: 'cpu', reason: [...notes, chosen].join('; ') };
}
