/**
 * The one typed contract between the UI and the main process. Electron's
 * preload exposes exactly these calls and events; the browser mode serves the
 * same contract over a loopback WebSocket. Main registers one handler per call
 * (see src-main/app/handlers.ts) and the compiler checks they all exist.
 *
 * Every call resolves to `CallResult<T>`: errors travel as `{ code, message }`
 * and the UI shows `message` to the researcher.
 */
import type { ErrorInfo } from './errors';
import { LABEL_LIMITS } from './label-types';
import type { RecordingSummary } from './audio-types';
import type { FeatureConfig } from './feature-types';
import type { JobProgress } from './job-types';
import type {
  HistoryState, LabelPatch, LabelView, NewLabelInput, RecordingReview, RecordingRow, RegionView, RetrainReport, ReviewItem,
} from './review-types';

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
}

/** The feature pipeline as applied to one recording. */
export interface RecordingFeatures {
  recordingId: number;
  config: FeatureConfig;
  frameCount: number;
  windowCount: number;
  resampled: boolean;
}

/**
 * Request/response calls. Key = channel name; `args` is the positional
 * argument tuple, `result` what the promise resolves to.
 */
export interface ApiCalls {
  /** Version, mode and the open project. Never fails. */
  'app:info': { args: []; result: AppInfo };
  /**
   * Opens (or creates) the project in `dir`. Fails with NOT_FOUND when the
   * folder does not exist, DATABASE when sonotype.db is unreadable or from a
   * newer Sonotype.
   */
  'project:open': { args: [dir: string]; result: ProjectInfo };
  /**
   * Scans the project's audio root again (new, changed, moved files). Errors
   * in single files are reported per recording, not as a failure.
   */
  'project:scan': { args: []; result: ScanTotals };
  /** Every recording of the open project, errors included. */
  'recordings:list': { args: []; result: RecordingSummary[] };
  /** Runs the feature pipeline over one recording and reports frame/window counts. */
  'features:describe': { args: [recordingId: number]; result: RecordingFeatures };
  /** Recently opened projects, newest first (folders that no longer exist are dropped). */
  'project:recent': { args: []; result: RecentProject[] };
  /** Opens the bundled demo project (redistributable recordings from resources/demo) in a writable folder. */
  'project:openDemo': { args: []; result: ProjectInfo };
  /** Rows of the recordings table: status, % silence, review progress. */
  'recordings:table': { args: []; result: RecordingRow[] };
  /** Everything the review view needs to open one recording (spectrogram paging info, regions, labels). */
  'review:open': { args: [recordingId: number]; result: RecordingReview };
  /** Regions of one recording from the newest detection. */
  'regions:list': { args: [recordingId: number]; result: RegionView[] };
  /** Live labels of one recording (human and machine). */
  'labels:list': { args: [recordingId: number]; result: LabelView[] };
  /** Creates a human label; saved immediately, undoable. */
  'labels:create': { args: [input: NewLabelInput]; result: LabelView };
  /** Moves/resizes or relabels a label (it becomes a human label); undoable. */
  'labels:update': { args: [id: number, patch: LabelPatch]; result: LabelView };
  /** Deletes a label (kept in history for undo). */
  'labels:delete': { args: [id: number]; result: HistoryState };
  /** Splits a label in two at a sample position: one undo step. */
  'labels:split': { args: [id: number, atSample: number]; result: LabelView[] };
  /** Merges labels of one recording into one: one undo step. */
  'labels:merge': { args: [ids: number[]]; result: LabelView };
  /** Undoes the last label edit (across restarts). */
  'history:undo': { args: []; result: HistoryState };
  /** Redoes the last undone edit. */
  'history:redo': { args: []; result: HistoryState };
  /** Whether undo/redo are possible. */
  'history:state': { args: []; result: HistoryState };
  /**
   * The next region to review: the queue holds unreviewed regions, least certain first. Without a position it is
   * the head of the queue; with the position of the current region it is the one after it (skip), wrapping around.
   * Null when everything is reviewed.
   */
  'review:nextUncertain': { args: [after: { recordingId: number; sample: number } | null]; result: ReviewItem | null };
  /** Every job of the project, newest first. */
  'jobs:list': { args: []; result: JobProgress[] };
  /** Starts a job ('detect', 'retrain-head', 'train', 'tiles'); returns its id at once. */
  'jobs:start': { args: [kind: StartableJobKind, params: Record<string, unknown>]; result: number };
  /** Cancels a queued or running job. */
  'jobs:cancel': { args: [jobId: number]; result: boolean };
  /** The last retrain's held-out confusion matrices (null before the first retrain). */
  'retrain:lastReport': { args: []; result: RetrainReport | null };
  /** Loss curve of the newest encoder training, for the training plot. */
  'figures:trainingLoss': { args: []; result: { modelLabel: string; loss: number[] } | null };
  /** First-layer filters of the active encoder (each kh × kw, row-major). */
  'figures:filters': { args: []; result: { modelLabel: string; kernelHeight: number; kernelWidth: number; filters: number[][] } | null };
  /** A window of a recording and its Convnet V1 reconstruction (null when no V1 encoder is trained). */
  'figures:reconstruction': { args: [recordingId: number, windowIndex: number]; result: { frames: number; bins: number; input: number[]; output: number[] } | null };
}

/** Jobs the UI may start. */
export type StartableJobKind = 'detect' | 'retrain-head' | 'train' | 'tiles';

/** A project in the recent list. */
export interface RecentProject {
  dir: string;
  openedAt: number;
}

/** Push events from main to the UI. */
export interface ApiEvents {
  /** The set of recordings changed (after a scan). */
  'recordings:changed': { count: number };
  /** A job's progress or state changed. */
  'jobs:progress': JobProgress;
  /** Labels or regions of a recording changed (edit, undo, detection, retrain). */
  'recording:changed': { recordingId: number; what: 'labels' | 'regions' };
  /** A project was opened from outside the page (menu, drag-and-drop, recent list). */
  'project:changed': ProjectInfo;
  /** A menu command the page carries out (it owns the current selection and view). */
  'menu:command': { command: MenuCommand };
}

/** Commands the native menu forwards to the page. */
export type MenuCommand = 'undo' | 'redo' | 'zoom-in' | 'zoom-out' | 'zoom-fit' | 'show-help' | 'open-folder-dialog-failed';

export type CallName = keyof ApiCalls;
export type EventName = keyof ApiEvents;
export type CallArgs<K extends CallName> = ApiCalls[K]['args'];
export type CallReturn<K extends CallName> = ApiCalls[K]['result'];

/** What crosses the wire for every call. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/**
 * Runtime list of calls with an argument check each. Main and preload refuse
 * anything not listed here or whose arguments do not fit, before any handler runs.
 */
export const CALL_ARG_CHECKS: { readonly [K in CallName]: (args: unknown[]) => boolean } = {
  'app:info': (a) => a.length === 0,
  'project:open': (a) => a.length === 1 && typeof a[0] === 'string' && a[0].length > 0 && a[0].length < 4096,
  'project:scan': (a) => a.length === 0,
  'recordings:list': (a) => a.length === 0,
  'features:describe': (a) => a.length === 1 && isId(a[0]),
  'project:recent': (a) => a.length === 0,
  'project:openDemo': (a) => a.length === 0,
  'recordings:table': (a) => a.length === 0,
  'review:open': (a) => a.length === 1 && isId(a[0]),
  'regions:list': (a) => a.length === 1 && isId(a[0]),
  'labels:list': (a) => a.length === 1 && isId(a[0]),
  'labels:create': (a) =>
    a.length === 1 && isRecord(a[0]) && isId(a[0].recordingId) && isSample(a[0].startSample) && isSample(a[0].endSample) && isLabelValue(a[0].value) &&
    hasValidExchangeFields(a[0]),
  'labels:update': (a) =>
    a.length === 2 && isId(a[0]) && isRecord(a[1]) &&
    (a[1].startSample === undefined || isSample(a[1].startSample)) &&
    (a[1].endSample === undefined || isSample(a[1].endSample)) &&
    (a[1].value === undefined || isLabelValue(a[1].value)) &&
    hasValidExchangeFields(a[1]),
  'labels:delete': (a) => a.length === 1 && isId(a[0]),
  'labels:split': (a) => a.length === 2 && isId(a[0]) && isSample(a[1]),
  'labels:merge': (a) => a.length === 1 && Array.isArray(a[0]) && a[0].length >= 2 && a[0].length <= 1000 && a[0].every(isId),
  'history:undo': (a) => a.length === 0,
  'history:redo': (a) => a.length === 0,
  'history:state': (a) => a.length === 0,
  'review:nextUncertain': (a) => a.length === 1 && (a[0] === null || (isRecord(a[0]) && isId(a[0].recordingId) && isSample(a[0].sample))),
  'jobs:list': (a) => a.length === 0,
  'jobs:start': (a) => a.length === 2 && ['detect', 'retrain-head', 'train', 'tiles'].includes(a[0] as string) && isRecord(a[1]),
  'jobs:cancel': (a) => a.length === 1 && isId(a[0]),
  'retrain:lastReport': (a) => a.length === 0,
  'figures:trainingLoss': (a) => a.length === 0,
  'figures:filters': (a) => a.length === 0,
  'figures:reconstruction': (a) => a.length === 2 && isId(a[0]) && Number.isInteger(a[1]) && (a[1] as number) >= 0,
};

function isId(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) > 0;
}
function isSample(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isLabelValue(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= LABEL_LIMITS.valueLength;
}
/** The optional label fields, each absent, null or of its type (the store checks the finer rules). */
function hasValidExchangeFields(r: Record<string, unknown>): boolean {
  const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || v === null || ok(v);
  const text = (max: number) => (v: unknown) => typeof v === 'string' && v.length <= max;
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  return optional(r.lowHz, finite) && optional(r.highHz, finite) && optional(r.confidence, finite) &&
    optional(r.soundType, text(LABEL_LIMITS.soundTypeLength)) && optional(r.annotation, text(LABEL_LIMITS.annotationLength));
}

export const EVENT_NAMES: readonly EventName[] = ['recordings:changed', 'jobs:progress', 'recording:changed', 'project:changed', 'menu:command'];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CALL_ARG_CHECKS, name);
}

/** The API object the renderer sees (window.sonotype in Electron, a WebSocket client in browser mode). */
export interface SonotypeApi {
  call<K extends CallName>(name: K, ...args: CallArgs<K>): Promise<CallResult<CallReturn<K>>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}
