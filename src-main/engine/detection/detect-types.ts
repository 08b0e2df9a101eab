/**
 * Types shared by the detection orchestration (detectProject,
 * retrainDetector), its job tasks, the app and the CLI.
 */
import type { JobPhase } from '../../../src-shared/job-kinds';
import type { FrameRegionParams, HeadSummary, DetectWork, RetrainResult } from '../../../src-shared/job-results';
import type { Project } from '../project/open-project';
import type { Region } from './regions';
import type { RecordingFailure } from './recording-failures';

/** What detection needs of a project (a job worker builds this around its own database connection). */
export type DetectionProject = Pick<Project, 'dir' | 'db' | 'featureConfig' | 'featureConfigFor' | 'rateGroups' | 'resolveRecordingPath'>;

/** The phases of 'detect' (and 'retrain-head') jobs, listed in src-shared/job-kinds.ts. */
export type DetectPhase = JobPhase<'detect'>;

/** One progress report; `done`/`total` count `itemsLabel` within the phase. */
export interface DetectProgress {
  phase: DetectPhase;
  done: number;
  total: number;
  itemsLabel: 'recordings' | 'windows' | 'epochs' | 'shards' | 'folds' | 'seconds';
  /** Processing rate of the phase so far (features: seconds of audio per second; embedding: windows per second). */
  itemsPerSecond?: number;
  /** Recording being worked on, relative path. */
  recording?: string;
}

export type ProgressListener = (progress: DetectProgress) => void;

export interface RecordingDetection {
  recordingId: number;
  path: string;
  sampleRate: number;
  /** Length in native samples as delivered by the decoder (the regions tile [0, nativeFrames)). */
  nativeFrames: number;
  durationSeconds: number;
  /** Detection frames (about 5 ms each). */
  frames: number;
  regions: Region[];
}

export interface DetectResult {
  /** The active head: what produced the regions. */
  head: HeadSummary;
  regionParams: FrameRegionParams;
  recordings: RecordingDetection[];
  /** Recordings left out because their own analysis failed (each now has an error row). */
  failures: RecordingFailure[];
  work: DetectWork;
  /** The retrain this run did because human labels had changed (null when none). */
  retrain: RetrainResult | null;
  /** The encoder that embedded the windows, when embeddings were asked for (detect --embed / --distributed). */
  encoder: { id: number; description: string; backend: string } | null;
  /** Seconds of audio in the detected recordings. */
  audioSeconds: number;
  seconds: number;
}

/** Data that leaves the engine as job results is defined once, in src-shared/job-results.ts. */
export type { DetectWork, HeadSummary, HeldOutEvaluation, LabelCounts, LearnedFrom, RetrainResult, FrameRegionParams } from '../../../src-shared/job-results';
