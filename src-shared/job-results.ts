/**
 * What each kind of job returns when it succeeds (plain data, stored in the
 * job's row and sent to the UI with its final progress). The engine's task
 * modules are typed against these (`JobResult<K>` in job-kinds.ts), so a
 * task cannot return something else without a compile error.
 */
import type { ErrorInfo } from './errors';
import type { ConfusionCounts } from './review-types';

/** Everything that decides the regions; serialisable, stored with them (resolved and checked by engine/detection/regions.ts). */
export interface RegionParams {
  version: 1;
  /** A sample is silence when its pSilence ≥ threshold. */
  threshold: number;
  /** Centred moving average over this many windows (odd; 1 = no smoothing). */
  smoothingWindows: number;
  /** Silence between two sound regions shorter than this (s) is merged into sound. */
  mergeGapSeconds: number;
  /** Sound regions shorter than this (s) after merging become silence (0 = keep all). */
  minSoundSeconds: number;
}

/** How much work a detection run actually did: lets callers (and tests) see that cached parts were reused. */
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

/** 'detect' jobs: a summary per recording (the regions themselves are in the project database). */
export interface DetectJobResult {
  /** Backend name and why it was chosen, e.g. "wasm (tfjs-node is not installed)". */
  backend: string;
  model: string;
  headVersion: number;
  regionParams: RegionParams;
  work: DetectWork;
  seconds: number;
  recordings: { recordingId: number; path: string; windows: number; soundRegions: number; silenceFraction: number }[];
  /** Recordings left out because their analysis failed (each has an error row now). */
  failures: { recordingId: number; path: string; error: ErrorInfo }[];
}

export interface HeadSummary {
  id: number;
  version: number;
  /** Metrics stored with the head (training loss/accuracy, labelled windows, held-out scores). */
  metrics: Record<string, unknown>;
}

export interface LabelCounts {
  windows: number;
  silence: number;
  sound: number;
  bySource: Record<string, number>;
}

/** Scores of a head on recordings it was not trained on. */
export interface HeldOutEvaluation {
  testRecordingIds: number[];
  trainRecordingIds: number[];
  /** Which labels served as truth: human ones when the held-out recordings have any, else all effective labels. */
  truthSource: 'human' | 'all-labels';
  windows: number;
  /** The previous head's stored predictions on the same windows (null when there was none). */
  before: { counts: ConfusionCounts } | null;
  /** A head trained on the training recordings only, scored on the held-out ones. */
  after: { counts: ConfusionCounts };
}

/** What retraining the silence head did (engine/detection/retrain-head.ts). */
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

/** 'retrain-head' jobs. */
export interface RetrainJobResult extends RetrainResult {
  backend: string;
}

export type EncoderKind = 'encoder-v1' | 'encoder-v3';

/** 'train' jobs: the stored encoder, or (dryRun) only the training metrics. */
export type TrainJobResult =
  | { modelId: number; kind: EncoderKind; version: number; finalLoss: number | null; windowsPerSecond: number }
  | { kind: EncoderKind; metrics: Record<string, unknown> };

/** 'tiles' jobs. */
export interface TilesJobResult {
  recordingIds: number[];
  tiles: number;
  /** Recordings that could not be read (path → reason); the others are still built. */
  failed: { recordingId: number; path: string; message: string }[];
}

/** 'test-sleep' jobs (the engine's own tests and benches). */
export interface TestSleepJobResult {
  /** Steps run by this job (not counting steps done before the checkpoint it resumed from). */
  stepsRun: number;
  firstStep: number;
  /** Sum of the indices of all steps, carried across checkpoints. */
  sum: number;
  /** Steps listed in the checkpoint file read on resume (checkpointFile only). */
  stepsInCheckpointFile?: number;
  /** This job's state as seen through the worker's own database connection (readOwnJob only). */
  ownJobState?: string;
}
