/**
 * Window embeddings for a project (detect --embed, --distributed): heuristic
 * window labels and window rows of new or changed recordings, then the
 * encoder over windows without a cached embedding. Detection's regions do
 * not need them (they come from frame features); the map and other users of
 * embeddings do. The encoder runs on a worker pool (one thread per core,
 * whole batches each: models/parallel/encoder-pool.ts) once there are enough
 * windows to pay for starting it. The stage is replaceable: `detect --distributed` hands the
 * same analysis units to workers through BullMQ (engine/distributed).
 */
import type * as tf from '@tensorflow/tfjs';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { initBackend, type BackendPreference } from '../models/backend';
import { createEncoderPool, type EncoderPool } from '../models/parallel/encoder-pool';
import { loadProjectEncoder } from '../models/encoder-registry';
import { ensureFeatureConfig } from '../store/feature-configs';
import { featureConfigKey } from '../features';
import type { RecordingRecord } from '../store/recordings';
import { listWindows, type StoredWindow } from '../store/windows';
import type { AnalysisStage, AnalysisStageInput } from './analysis-stage';
import { windowsWithoutEmbedding } from '../store/embeddings';
import type { DetectionProject, DetectWork, ProgressListener } from './detect-types';
import { embedRecordingWindows } from './embed-windows';
import { computeHeuristicLabels, ensureWindows, heuristicLabelState } from './recording-windows';
import { isolateRecording, withoutFailed, type RecordingFailure } from './recording-failures';

export interface WindowAnalysisOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** tfjs backend (default 'auto': tfjs-node, else WASM, else CPU). */
  backend?: BackendPreference;
  /** Windows per encoder call (default 64). */
  batchSize?: number;
  /** The stage to run (default: in this process). */
  analysis?: AnalysisStage;
  /** Encoder worker threads for the in-process stage (default: one per core; 0 = embed in this thread). */
  encoderWorkers?: number;
}

/**
 * Fewer windows than this are embedded in this thread: starting the pool
 * (tfjs and the model in every worker) costs seconds. Measured on the shared
 * 2-core box at load 7: 702 windows took 11.5 s through the pool and 7.0 s
 * in this thread; at load 11, 2,812 windows took 73 s either way (the cores
 * were saturated). The pool pays only on a quiet machine and a larger job.
 */
export const POOL_MIN_WINDOWS = 2048;

/** The encoder worker pool, started on first use and closed by the run that owns it. */
export interface LazyEncoderPool {
  get(): Promise<EncoderPool | null>;
  close(): Promise<void>;
}

/** A pool for `model` that starts only when asked for (null when `workers` is 0). */
export function lazyEncoderPool(model: tf.LayersModel, workers?: number): LazyEncoderPool {
  let pool: Promise<EncoderPool> | null = null;
  return {
    get: () => (workers === 0 ? Promise.resolve(null) : (pool ??= createEncoderPool({ model, workers }))),
    close: async () => {
      if (pool) await (await pool).close();
    },
  };
}

/** Runs the window analysis stage over `recordings`; returns the encoder used (per-file failures go to `failures`). */
export async function embedProjectWindows(
  project: DetectionProject,
  recordings: readonly RecordingRecord[],
  work: DetectWork,
  failures: RecordingFailure[],
  options: WindowAnalysisOptions,
): Promise<{ id: number; description: string; backend: string }> {
  const backend = await initBackend(options.backend ?? 'auto');
  const encoder = await loadProjectEncoder(project.dir, project.db, project.featureConfig()!);
  const pool = lazyEncoderPool(encoder.model, options.encoderWorkers);
  try {
    const stage = options.analysis ?? localAnalysis({ ...options, pool });
    // Each rate group at its own analysis rate (features/rate-groups.ts): a 2 kHz file in a 48 kHz folder is windowed
    // at 2 kHz, not upsampled 24×. Every group's windows are 32 × 256, so one encoder embeds them all.
    for (const group of groupByFeatureConfig(project, recordings)) {
      const featureConfigId = ensureFeatureConfig(project.db, group.config);
      await stage({
        project, recordings: group.recordings, config: group.config, featureConfigId, encoder, head: null, work,
        signal: options.signal, onProgress: options.onProgress, failures,
      });
    }
    return { id: encoder.stored.id, description: encoder.description, backend: `${backend.name} (${backend.reason})` };
  } finally {
    await pool.close();
    encoder.model.dispose();
  }
}

/** Recordings grouped by the feature config of their rate group, in the order their groups first appear. */
export function groupByFeatureConfig(project: Pick<DetectionProject, 'featureConfigFor'>, recordings: readonly RecordingRecord[]): { config: FeatureConfig; recordings: RecordingRecord[] }[] {
  const groups = new Map<string, { config: FeatureConfig; recordings: RecordingRecord[] }>();
  for (const recording of recordings) {
    if (!recording.sampleRate) continue; // unreadable recordings never reach the analysis
    const config = project.featureConfigFor(recording.sampleRate);
    const key = featureConfigKey(config);
    const group = groups.get(key) ?? { config, recordings: [] };
    group.recordings.push(recording);
    groups.set(key, group);
  }
  return [...groups.values()];
}

type LocalOptions = Pick<WindowAnalysisOptions, 'signal' | 'onProgress' | 'batchSize'> & {
  /** Where the encoder runs once there are POOL_MIN_WINDOWS windows (default: this thread). */
  pool?: LazyEncoderPool;
};

/** The in-process stage: heuristic window labels + window rows, then embeddings (failures go to the run's list). */
export function localAnalysis(options: LocalOptions = {}): AnalysisStage {
  return async (input) => {
    const windowsOf = await labelAndWindowRecordings(input, [...input.recordings], input.failures, options);
    await embedMissing(input, withoutFailed(input.recordings, input.failures), windowsOf, input.failures, options);
    return windowsOf;
  };
}

/** Heuristic window labels and window rows for recordings that are new or changed. */
async function labelAndWindowRecordings(
  input: AnalysisStageInput,
  recordings: RecordingRecord[],
  failures: RecordingFailure[],
  options: Pick<WindowAnalysisOptions, 'signal' | 'onProgress'>,
): Promise<Map<number, StoredWindow[]>> {
  const { project, config, featureConfigId, work } = input;
  const windowsOf = new Map<number, StoredWindow[]>();
  for (const [i, recording] of recordings.entries()) {
    options.onProgress?.({ phase: 'labels', done: i, total: recordings.length, itemsLabel: 'recordings', recording: recording.path });
    await isolateRecording(project.db, recording, failures, options.signal, async () => {
      const state = heuristicLabelState(project.db, recording, featureConfigId);
      if (state === 'current') {
        const { windows, replaced } = await ensureWindowsIfMissing(project, recording, config, featureConfigId, options.signal);
        if (replaced) work.windowRowsReplaced++;
        windowsOf.set(recording.id, windows);
        return;
      }
      const heuristic = await computeHeuristicLabels(project, recording, config, options.signal);
      work.heuristicRecordings++;
      // 'stale' = the file changed since its windows were embedded: drop them even if the spans are equal.
      const { windows, replaced } = await ensureWindows(project, recording, config, { spans: heuristic.spans, replace: state === 'stale', signal: options.signal });
      if (replaced) work.windowRowsReplaced++;
      windowsOf.set(recording.id, windows);
    });
  }
  options.onProgress?.({ phase: 'labels', done: recordings.length, total: recordings.length, itemsLabel: 'recordings' });
  return windowsOf;
}

/** Window rows of a recording whose labels are current: the stored ones, streamed only when there are none. */
async function ensureWindowsIfMissing(
  project: DetectionProject,
  recording: RecordingRecord,
  config: FeatureConfig,
  featureConfigId: number,
  signal: AbortSignal | undefined,
): Promise<{ windows: StoredWindow[]; replaced: boolean }> {
  const stored = listWindows(project.db, recording.id, featureConfigId);
  if (stored.length > 0) return { windows: stored, replaced: false };
  return ensureWindows(project, recording, config, { signal });
}

/** The encoder over windows without a cached embedding. */
async function embedMissing(
  input: AnalysisStageInput,
  recordings: RecordingRecord[],
  windowsOf: Map<number, StoredWindow[]>,
  failures: RecordingFailure[],
  options: LocalOptions,
): Promise<void> {
  const { project, config, featureConfigId, encoder, work } = input;
  const missingOf = new Map(recordings.map((r) => [r.id, windowsWithoutEmbedding(project.db, encoder.stored.id, r.id, featureConfigId)]));
  const total = [...missingOf.values()].reduce((s, m) => s + m.size, 0);
  if (total === 0) return;
  const started = performance.now();
  const model = (total >= POOL_MIN_WINDOWS ? await options.pool?.get() : null) ?? encoder.model;
  let done = 0;
  options.onProgress?.({ phase: 'embedding', done, total, itemsLabel: 'windows' });
  for (const recording of recordings) {
    const missing = missingOf.get(recording.id)!;
    if (missing.size === 0) continue;
    await isolateRecording(project.db, recording, failures, options.signal, () =>
      embedRecordingWindows(project, recording, config, windowsOf.get(recording.id)!, missing, { model, id: encoder.stored.id }, {
        signal: options.signal,
        batchSize: options.batchSize,
        onBatch: (n) => {
          done += n;
          const seconds = (performance.now() - started) / 1000;
          options.onProgress?.({ phase: 'embedding', done, total, itemsLabel: 'windows', itemsPerSecond: seconds > 0 ? done / seconds : undefined, recording: recording.path });
        },
      }),
    );
  }
  work.windowsEmbedded += done;
  work.embeddingSeconds += (performance.now() - started) / 1000;
}
