/**
 * The parts of `detect` that decode audio, as replaceable stages: local
 * detect runs them in-process; `detect --distributed` hands the same engine
 * code to `sonotype worker` processes through BullMQ (engine/distributed).
 * - the features stage (step 1): each new or changed recording's frame
 *   features, from which the head, probabilities and regions follow here;
 * - the analysis stage (step 5, `embed`): heuristic window labels, window
 *   rows and encoder embeddings (for the map).
 * Everything else is shared, so both give the same regions.
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

/** What the features stage (step 1 of detect) gets: the recordings whose frame features are missing or stale. */
export interface FeaturesStageInput {
  project: DetectionProject;
  recordings: readonly RecordingRecord[];
  work: DetectWork;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Per-file failures of this run (as in AnalysisStageInput). */
  failures: RecordingFailure[];
}

/** Computes and caches the frame features of `recordings` (recording-frames.ts: storeRecordingFeatures). */
export type FeaturesStage = (input: FeaturesStageInput) => Promise<void>;
