/**
 * What each kind of job returns when it succeeds (plain data, stored in the
 * job's row and sent to the UI with its final progress). The engine's task
 * modules are typed against these (`JobResult<K>` in job-kinds.ts), so a
 * task cannot return something else without a compile error.
 */
import type { ErrorInfo } from './errors';
import type { ConfusionCounts } from './review-types';

/** Everything that turns frame probabilities into regions; serialisable, stored with them (engine/detection/frames/frame-regions.ts). */
export interface FrameRegionParams {
  version: 2;
  /** A frame is silence when its pSilence ≥ threshold. */
  threshold: number;
  /** Centred moving mean over this many frames (odd; 1 = none). */
  smoothingFrames: number;
  /** Silence between two sound regions shorter than this (s) joins them. */
  mergeGapSeconds: number;
  /** Sound regions shorter than this (s) after merging become silence. */
  minSoundSeconds: number;
}

/** How much work a detection run actually did: lets callers (and tests) see that cached parts were reused. */
export interface DetectWork {
  /** Recordings decoded and analysed into frame features (0 on a second run). */
  recordingsDecoded: number;
  audioSecondsDecoded: number;
  headTrained: boolean;
  /** Recordings whose frame probabilities were computed. */
  recordingsPredicted: number;
  /** Recordings whose regions were derived again. */
  regionsDerived: number;
  /** With embeddings asked for (detect --embed, --distributed): recordings whose window rows were made, windows embedded, seconds in the encoder. */
  heuristicRecordings: number;
  windowRowsReplaced: number;
  windowsEmbedded: number;
  embeddingSeconds: number;
}

/** Which labels a detection head learned from (frames, ~5 ms each). */
export interface LearnedFrom {
  teacherFrames: number;
  humanFrames: number;
  humanSoundFrames: number;
  humanSilenceFrames: number;
  recordingsWithHumanLabels: number;
}

export interface HeadSummary {
  id: number;
  version: number;
  /** 'teacher' = label-free (day one); 'boosted' = trained on people's labels plus the teacher. */
  type: 'teacher' | 'boosted';
  description: string;
  learnedFrom: LearnedFrom;
  /** Metrics stored with the head (learnedFrom, seed, loss curve, held-out scores, adopted). */
  metrics: Record<string, unknown>;
}

/** 'detect' jobs: a summary per recording (the regions themselves are in the project database). */
export interface DetectJobResult {
  /** The active head's description (what produced the regions). */
  model: string;
  head: HeadSummary;
  headVersion: number;
  regionParams: FrameRegionParams;
  work: DetectWork;
  /** The retrain this run did because human labels had changed (null when none). */
  retrain: RetrainResult | null;
  seconds: number;
  recordings: { recordingId: number; path: string; frames: number; soundRegions: number; silenceFraction: number }[];
  /** Recordings left out because their analysis failed (each has an error row now). */
  failures: { recordingId: number; path: string; error: ErrorInfo }[];
}

export interface LabelCounts {
  /** Human-labelled frames learned from (the name is kept from the window era for the app's report). */
  windows: number;
  silence: number;
  sound: number;
  bySource: Record<string, number>;
}

/** Held-out comparison of the new head with the one that was active (engine/detection/frames/head-selection.ts). */
export interface HeldOutEvaluation {
  by: 'recording' | 'time-block';
  folds: number;
  /** Held-out human-labelled frames scored. */
  windows: number;
  /** Recordings whose labels were held out (each labelled recording takes a turn). */
  testRecordingIds: number[];
  trainRecordingIds: number[];
  truthSource: 'human';
  /** The previously active head's recipe, replayed without each fold's labels. */
  before: { counts: ConfusionCounts } | null;
  beforeBalancedAccuracy: number | null;
  /** The new head's recipe, trained without each fold's labels. */
  after: { counts: ConfusionCounts };
  afterBalancedAccuracy: number | null;
  /** Onset-F1 of each head's held-out regions against the human sound labels (null: no sound label held out). */
  beforeOnsetF1?: number | null;
  afterOnsetF1?: number | null;
  /** What the decision compares: the mean of balanced accuracy and onset-F1 (either alone when the other is null). */
  beforeScore?: number | null;
  afterScore?: number | null;
}

/** What retraining the detection head did (engine/detection/retrain-detector.ts). */
export interface RetrainResult {
  /** The head trained now (active or not: see `adopted`). */
  head: HeadSummary;
  previousHeadId: number | null;
  /** The head active now. */
  activeHeadId: number;
  /** Whether the new head became active (it scored at least as well on held-out human labels). */
  adopted: boolean;
  /** Why, in words (shown to the user). */
  decision: string;
  labelled: LabelCounts;
  training: { loss: number; examples: number; epochs: number; batchSize: number; seconds: number };
  heldOut: HeldOutEvaluation | null;
  recordingsPredicted: number;
  regionsDerived: number;
  seconds: number;
}

/** 'retrain-head' jobs. */
export type RetrainJobResult = RetrainResult;

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
