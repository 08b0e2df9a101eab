/**
 * Types shared by the detection orchestration (detectProject, retrainHead),
 * its job tasks and the CLI.
 */
import type { FeatureConfig } from '../../../src-shared/feature-types';
import type { JobPhase } from '../../../src-shared/job-kinds';
import type { DetectWork, HeadSummary } from '../../../src-shared/job-results';
import type { Project } from '../project/open-project';
import type { Region, RegionParams } from './regions';
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
  itemsLabel: 'recordings' | 'windows' | 'epochs' | 'shards';
  /** Processing rate of the phase so far (embedding: encoder windows per second). */
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
  windows: number;
  regions: Region[];
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

/** Data that leaves the engine as job results is defined once, in src-shared/job-results.ts. */
export type { DetectWork, HeadSummary, HeldOutEvaluation, LabelCounts, RetrainResult } from '../../../src-shared/job-results';
