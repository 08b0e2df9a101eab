/**
 * Which task module runs each kind of job. Module paths are relative to this
 * folder (src-main/engine/jobs); resolveWorkerEntry() turns them into what
 * the worker imports. Add training, embedding and detection tasks here.
 */
import type { JobKind } from '../../../src-shared/job-types';

export interface TaskRegistration {
  /** Task module path relative to src-main/engine/jobs, e.g. './tasks/train-task.ts'. */
  module: string;
  /**
   * Heavy jobs (training, embedding, detection) share the runner's
   * concurrency limit and wait in the queue; light ones start at once.
   */
  heavy: boolean;
}

export const TASK_REGISTRY: Readonly<Partial<Record<JobKind, TaskRegistration>>> = {
  /** Test task: steps of busy or idle work with checkpoints and failure modes (engine tests, benchmarks). */
  'test-sleep': { module: './tasks/test-sleep-task.ts', heavy: true },
  /** Unsupervised encoder training (Convnet V1 / LSTM V3) on the project's windows. */
  train: { module: './tasks/train-encoder-task.ts', heavy: true },
  /** Exact spectrogram tile pyramids of the project's recordings (light: I/O bound, one recording at a time). */
  tiles: { module: './tasks/tiles-task.ts', heavy: false },
  /** Silence detection over the project: heuristic labels, embeddings, silence head, regions (only what is missing or stale). */
  detect: { module: './tasks/detect-task.ts', heavy: true },
  /** Retrain the silence head from cached embeddings and current labels; re-derive all regions; held-out before/after scores. */
  'retrain-head': { module: './tasks/retrain-head-task.ts', heavy: true },
};

/** Whether jobs of `kind` count against the concurrency limit (unknown kinds count as heavy). */
export function isHeavyKind(kind: string): boolean {
  return TASK_REGISTRY[kind]?.heavy ?? true;
}
