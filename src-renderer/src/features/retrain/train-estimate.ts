/**
 * How long an encoder training will take, said before it starts: windows ×
 * epochs at a training speed measured in this project (the newest training
 * of that model), or else the typical speed of the portable backend as
 * `npm run bench` measured it on a 2-core machine.
 */
import type { JobProgress } from '../../../../src-shared/job-types';

export type EncoderModel = 'v1' | 'v3';

export interface TrainSettings {
  model: EncoderModel;
  epochs: number;
  /** Windows sampled from the project (the task's maxWindows). */
  maxWindows: number;
  batchSize: number;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = { model: 'v3', epochs: 5, maxWindows: 2000, batchSize: 32 };

/** Training windows per second on the portable WASM backend, 2 cores (bench: v1_training_windows_per_s, v3_…). */
export const TYPICAL_WINDOWS_PER_SECOND: Record<EncoderModel, number> = { v1: 5.2, v3: 6.2 };

export interface TrainingSpeed {
  windowsPerSecond: number;
  /** Where the figure comes from, in words. */
  basis: string;
}

/** The speed of the newest training of `model` in this project (finished, cancelled or running), or the typical one. */
export function trainingSpeed(jobs: readonly JobProgress[], model: EncoderModel): TrainingSpeed {
  for (const job of [...jobs].sort((a, b) => b.jobId - a.jobId)) {
    if (job.kind !== 'train' || job.params?.model !== model) continue;
    const result = job.result as { windowsPerSecond?: unknown } | undefined;
    const batchSize = typeof job.params?.batchSize === 'number' ? job.params.batchSize : 32;
    const measured = typeof result?.windowsPerSecond === 'number' ? result.windowsPerSecond
      : job.itemsLabel === 'batches' && job.itemsPerSecond ? job.itemsPerSecond * batchSize : null;
    if (measured && measured > 0) return { windowsPerSecond: measured, basis: `measured in job #${job.jobId}: ${measured.toFixed(1)} windows/s` };
  }
  const typical = TYPICAL_WINDOWS_PER_SECOND[model];
  return { windowsPerSecond: typical, basis: `typical speed of the portable backend on 2 cores: ${typical} windows/s` };
}

export interface TrainEstimate {
  /** Windows the training will use (fewer than asked when the project has fewer). */
  windows: number;
  batches: number;
  seconds: number;
}

/** Windows × epochs at `speed`; `available` caps the windows (null when unknown). */
export function estimateTraining(settings: TrainSettings, available: number | null, speed: TrainingSpeed): TrainEstimate {
  const windows = Math.max(0, Math.min(settings.maxWindows, available ?? settings.maxWindows));
  return {
    windows,
    batches: Math.ceil(windows / settings.batchSize) * settings.epochs,
    seconds: (windows * settings.epochs) / speed.windowsPerSecond,
  };
}

/** Windows a folder of recordings yields, roughly: one per 16 hops of 256 samples at each recording's own rate (an upper bound). */
export function approximateWindows(recordings: ReadonlyArray<{ durationSeconds: number | null; sampleRate: number | null; status: string; missing: boolean }>): number {
  return Math.floor(recordings.reduce((n, r) => (r.status === 'ok' && !r.missing && r.durationSeconds && r.sampleRate ? n + (r.durationSeconds * r.sampleRate) / (256 * 16) : n), 0));
}
