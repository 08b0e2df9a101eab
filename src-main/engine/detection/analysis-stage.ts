/**
 * Steps 1–2 of `detect` (heuristic labels + window rows, embeddings) as a
 * replaceable stage: local detect runs them in-process; `detect
 * --distributed` hands the same analysis units to workers through BullMQ
 * (engine/distributed). Everything after (head, predictions, regions) is
 * shared, so both give the same regions.
 */
import type { FeatureConfig } from '../../../src-shared/feature-types';
import type { LoadedEncoder } from '../models/encoder-registry';
import type { StoredModel } from '../store/models';
import type { RecordingRecord } from '../store/recordings';
import type { StoredWindow } from '../store/windows';
import type { DetectionProject, DetectWork, ProgressListener } from './detect-types';
import type { RecordingFailure } from './recording-failures';

export interface AnalysisStageInput {
  project: DetectionProject;
  recordings: readonly RecordingRecord[];
  config: FeatureConfig;
  featureConfigId: number;
  encoder: LoadedEncoder;
  /** The current silence head when it is up to date (its probabilities can be computed with the embeddings), else null. */
  head: StoredModel | null;
  work: DetectWork;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /**
   * Per-file failures of this run (recording-failures.ts: isolateRecording or
   * recordFailure add to it and give the recording an error row); those
   * recordings are left out of the rest of the run.
   */
  failures: RecordingFailure[];
}

/** Makes labels, window rows and embeddings current; returns the window rows of every recording that did not fail. */
export type AnalysisStage = (input: AnalysisStageInput) => Promise<Map<number, StoredWindow[]>>;
