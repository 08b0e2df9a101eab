/**
 * Types shared by the detection orchestration (detectProject, retrainHead),
 * its job tasks and the CLI.
 */
import type { FeatureConfig } from '../../../src-shared/feature-types';
import type { Project } from '../project/open-project';
import type { ConfusionMatrix } from './confusion';
import type { Region, RegionParams } from './regions';
import type { RecordingFailure } from './recording-failures';

/** What detection needs of a project (a job worker builds this around its own database connection). */
export type DetectionProject = Pick<Project, 'dir' | 'db' | 'featureConfig' | 'featureConfigFor' | 'rateGroups' | 'resolveRecordingPath'>;

export type DetectPhase = 'labels' | 'embedding' | 'training' | 'predicting' | 'regions';

/** One progress report; `done`/`total` count `itemsLabel` within the phase. */
export interface DetectProgress {
  phase: DetectPhase;
  done: number;
  total: number;
  itemsLabel: 'recordings' | 'windows' | 'epochs';
  /** Processing rate of the phase so far (embedding: encoder windows per second). */
  itemsPerSecond?: number;
  /** Recording being worked on, relative path. */
  recording?: string;
}

export type ProgressListener = (progress: DetectProgress) => void;

/** How much work a run actually did: lets callers (and tests) see that cached parts were reused. */
export interface DetectWork {
  /** Recordings whose heuristic labels were (re)computed. */
  heuristicRecordings: number;
  /** Recordings whose window rows were replaced (new file or changed spans). */
  windowRowsReplaced: number;
  /** Windows run through the encoder. */
  windowsEmbedded: number;
  /** Seconds spent in the encoder (for windows/s). */
  embeddingSeconds: number;
  headTrained: boolean;
  predictionsWritten: number;
  /** Recordings whose regions were derived again. */
  regionsDerived: number;
}

export interface RecordingDetection {
  recordingId: number;
  path: string;
  sampleRate: number;
  /** Length in native samples as delivered by the decoder (the regions tile [0, nativeFrames)). */
  nativeFrames: number;
  durationSeconds: number;
  windows: number;
  regions: Region[];
}

export interface HeadSummary {
  id: number;
  version: number;
  /** Metrics stored with the head (training loss/accuracy, labelled windows, held-out scores). */
  metrics: Record<string, unknown>;
}

export interface DetectResult {
  backend: { name: string; reason: string };
  encoder: { id: number; description: string };
  head: HeadSummary;
  featureConfig: FeatureConfig;
  regionParams: RegionParams;
  recordings: RecordingDetection[];
  /** Recordings left out because their own analysis failed (each now has an error row). */
  failures: RecordingFailure[];
  work: DetectWork;
  seconds: number;
}

/** Scores of a head on recordings it was not trained on. */
export interface HeldOutEvaluation {
  testRecordingIds: number[];
  trainRecordingIds: number[];
  /** Which labels served as truth: human ones when the held-out recordings have any, else all effective labels. */
  truthSource: 'human' | 'all-labels';
  windows: number;
  /** The previous head's stored predictions on the same windows (null when there was none). */
  before: ConfusionMatrix | null;
  /** A head trained on the training recordings only, scored on the held-out ones. */
  after: ConfusionMatrix;
}

export interface LabelCounts {
  windows: number;
  silence: number;
  sound: number;
  bySource: Record<string, number>;
}

export interface RetrainResult {
  head: HeadSummary;
  previousHeadId: number | null;
  labelled: LabelCounts;
  training: { loss: number; accuracy: number; examples: number; epochs: number; batchSize: number; seconds: number };
  heldOut: HeldOutEvaluation | null;
  predictionsWritten: number;
  regionsDerived: number;
  seconds: number;
}
