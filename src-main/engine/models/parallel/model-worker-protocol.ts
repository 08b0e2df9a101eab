/** Messages between the main thread and a model worker thread (structured-clone safe). */
import type { ErrorInfo } from '../../../../src-shared/errors';
import type { BackendName } from '../backend';
import type { EncoderKind } from '../encoder-registry';

/** What a model worker is started with (its `workerData`). */
export interface ModelWorkerStartData {
  /** Module the job bootstrap imports (see resolveModelWorkerEntry). */
  hostModuleUrl: string;
  /** Backend the worker must use: the same as the main thread's, so replicas compute the same bits. */
  backend: BackendName;
}

/** A tfjs layers model in memory: what `tf.io.fromMemory` accepts. */
export interface SerializedModel {
  modelTopology: object;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

/** How to rebuild an encoder trainer in another thread (see createEncoderTrainer). */
export interface TrainerRecipe {
  kind: EncoderKind;
  predictFrames?: 1 | 10;
  learningRate?: number;
  dropout?: number;
  seed?: number;
}

export type ModelWorkerRequest =
  | { op: 'load-model'; model: SerializedModel }
  | { op: 'embed'; windows: Float32Array; count: number }
  | { op: 'create-trainer'; recipe: TrainerRecipe; weights: Float32Array[] }
  | { op: 'gradients'; x: Float32Array; y: Float32Array; count: number }
  | { op: 'apply'; gradients: Float32Array; statistics: Float32Array }
  | { op: 'read-weights' };

export type ModelWorkerResult =
  | { op: 'load-model' }
  | { op: 'embed'; embeddings: Float32Array }
  | { op: 'create-trainer' }
  | { op: 'gradients'; loss: number; gradients: Float32Array; statistics: Float32Array }
  | { op: 'apply' }
  | { op: 'read-weights'; weights: Float32Array[] };

export type ModelWorkerMessage = { id: number; request: ModelWorkerRequest };
export type ModelWorkerReply = { id: number; result: ModelWorkerResult } | { id: number; error: ErrorInfo };
