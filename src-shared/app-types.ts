/**
 * What the app-level calls of the contract return: the app and its open
 * project, scan totals, recent projects, the native menu's commands and the
 * figures of a recording's features. Types only; the calls are in contract.ts.
 */
import type { FeatureConfig } from './feature-types';

/** Basic facts about the running app, shown in the About box and status bar. */
export interface AppInfo {
  version: string;
  /** 'electron' inside the desktop app, 'browser' when served over WebSocket. */
  mode: 'electron' | 'browser';
  /** The open project, if any. */
  project: ProjectInfo | null;
}

/** An open project: a folder holding sonotype.db. */
export interface ProjectInfo {
  dir: string;
  /** Folder the recordings are scanned from (the project folder unless chosen otherwise). */
  audioRoot: string;
  recordingCount: number;
  featureConfig: FeatureConfig | null;
}

/** Totals reported by a folder scan. Field names are stable (the CLI prints them as JSON). */
export interface ScanTotals {
  files: number;
  ok: number;
  errors: number;
  durationSeconds: number;
  inserted: number;
  updated: number;
  relinked: number;
  unchanged: number;
  missing: number;
  /**
   * Sub-folders that could not be read (permissions, I/O errors): their recordings were not
   * scanned, and are not flagged missing. Present only when there were any.
   */
  unreadableFolders?: { path: string; error: { code: string; message: string } }[];
}

/** A feature window of a recording and what the Convnet V1 auto-encoder makes of it (frames × bins, row-major). */
export interface ReconstructionFigure {
  /**
   * 'reconstruction': Convnet V1's auto-encoder — `input` is the window, `output` what it rebuilds.
   * 'next-frame': LSTM V3's predictor — `input` is the real frame(s) after the window, `output` the predicted one(s).
   */
  kind: 'reconstruction' | 'next-frame';
  /** The model shown ("encoder-v3 v2"). */
  modelLabel: string;
  frames: number;
  bins: number;
  input: number[];
  output: number[];
  /**
   * 'next-frame' only: the window's own last frame. Repeating it is the trivial prediction a predictor has to beat,
   * so the figure shows its error beside the model's.
   */
  lastFrame?: number[];
}

/** The feature pipeline as applied to one recording. */
export interface RecordingFeatures {
  recordingId: number;
  config: FeatureConfig;
  frameCount: number;
  windowCount: number;
  resampled: boolean;
}

/** A project in the recent list. */
export interface RecentProject {
  dir: string;
  openedAt: number;
}

/** Commands the native menu forwards to the page. */
export type MenuCommand =
  | 'undo' | 'redo' | 'zoom-in' | 'zoom-out' | 'zoom-fit' | 'show-help' | 'open-folder-dialog-failed' | 'import-annotations' | 'export-labels';
