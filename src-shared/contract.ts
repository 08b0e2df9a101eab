/**
 * The one typed contract between the UI and the main process. Electron's
 * preload exposes exactly these calls and events; the browser mode serves the
 * same contract over a loopback WebSocket. Main registers one handler per call
 * (see src-main/app/handlers.ts) and the compiler checks they all exist.
 *
 * `CALLS` is the single source of truth: each call's valibot argument schema
 * is both its TypeScript type (`ApiCalls`, `CallArgs`) and the runtime check
 * that main (`dispatchCall`), the preload and the browser server run before
 * any handler. `EVENTS` does the same for push events.
 *
 * Every call resolves to `CallResult<T>`: errors travel as `{ code, message }`
 * and the UI shows `message` to the researcher.
 */
import * as v from 'valibot';
import type { ErrorInfo } from './errors';
import type { RecordingSummary } from './audio-types';
import { startJobArgsSchema } from './job-kinds';
import type { JobProgress } from './job-types';
import type { AppInfo, ProjectInfo, ScanTotals, ReconstructionFigure, RecordingFeatures, RecentProject, MenuCommand } from './app-types';
import {
  labelPatchSchema, newLabelInputSchema,
  type HistoryState, type LabelView, type RecordingReview, type RecordingRow, type RegionView, type RetrainReport, type ReviewItem,
  type SpectrogramInfo,
} from './review-types';
import { describeIssues, id, returns, sampleIndex, type ResultOf, type Returns } from './schemas';
import { reviewPreferencesPatchSchema, type HistoryStep, type ReviewPreferences } from './review-loop-types';
import { CLUSTER_CALLS } from './cluster-calls';
import { WORKERS_CALLS } from './workers-calls';
import { DETECTION_SETTINGS_CALLS } from './detection-settings';
import { exportRequestSchema, importOptionsSchema, importTableSchema, tableChunkSchema, type ExportReport, type ImportReport } from './exchange-types';
import { displayPreferencesPatchSchema, type DisplayPreferences } from './display-types';
import { regionSettingsSchema, type DetectionHeadView } from './detection-types';

export type { StartableJobKind, StartJobArgs } from './job-kinds';
export type { AppInfo, ProjectInfo, ScanTotals, ReconstructionFigure, RecordingFeatures, RecentProject, MenuCommand } from './app-types';

const noArgs = v.strictTuple([]);

/**
 * Request/response calls. Key = channel name; `args` = the schema of the
 * positional argument tuple, `result` = what the promise resolves to.
 * Adding a call: add an entry here with JSDoc, then its handler in
 * src-main/app/handlers/ (the compiler asks for it).
 */
export const CALLS = {
  /** Version, mode and the open project. Never fails. */
  'app:info': { args: noArgs, result: returns<AppInfo>() },
  /**
   * Opens (or creates) the project in `dir`. Fails with NOT_FOUND when the
   * folder does not exist, DATABASE when sonotype.db is unreadable or from a
   * newer Sonotype.
   */
  'project:open': { args: v.strictTuple([v.pipe(v.string(), v.minLength(1), v.maxLength(4095))]), result: returns<ProjectInfo>() },
  /**
   * Scans the project's audio root again (new, changed, moved files). Errors
   * in single files are reported per recording, not as a failure. Runs as a
   * 'scan' job (progress in 'jobs:progress', cancellable); resolves when it ends.
   */
  'project:scan': { args: noArgs, result: returns<ScanTotals>() },
  /** Every recording of the open project, errors included. */
  'recordings:list': { args: noArgs, result: returns<RecordingSummary[]>() },
  /** Runs the feature pipeline over one recording and reports frame/window counts (as a 'features' job; resolves when it ends). */
  'features:describe': { args: v.strictTuple([id]), result: returns<RecordingFeatures>() },
  /** Recently opened projects, newest first (folders that no longer exist are dropped). */
  'project:recent': { args: noArgs, result: returns<RecentProject[]>() },
  /** Opens the bundled demo project (redistributable recordings from resources/demo) in a writable folder. */
  'project:openDemo': { args: noArgs, result: returns<ProjectInfo>() },
  /** Rows of the recordings table: status, % silence, review progress. */
  'recordings:table': { args: noArgs, result: returns<RecordingRow[]>() },
  /** Everything the review view needs to open one recording (spectrogram paging info, regions, labels). Args: recording id. */
  'review:open': { args: v.strictTuple([id]), result: returns<RecordingReview>() },
  /** Regions of one recording from the newest detection. Args: recording id. */
  'regions:list': { args: v.strictTuple([id]), result: returns<RegionView[]>() },
  /** Live labels of one recording (human and machine). Args: recording id. */
  'labels:list': { args: v.strictTuple([id]), result: returns<LabelView[]>() },
  /** Creates a human label; saved immediately, undoable. */
  'labels:create': { args: v.strictTuple([newLabelInputSchema]), result: returns<LabelView>() },
  /** Moves/resizes or relabels a label (it becomes a human label); undoable. Args: label id, patch. */
  'labels:update': { args: v.strictTuple([id, labelPatchSchema]), result: returns<LabelView>() },
  /** Deletes a label (kept in history for undo). Args: label id. */
  'labels:delete': { args: v.strictTuple([id]), result: returns<HistoryState>() },
  /** Splits a label in two at a sample position: one undo step. Args: label id, sample. */
  'labels:split': { args: v.strictTuple([id, sampleIndex]), result: returns<LabelView[]>() },
  /** Merges labels of one recording into one: one undo step. Args: the label ids (2–1000). */
  'labels:merge': { args: v.strictTuple([v.pipe(v.array(id), v.minLength(2), v.maxLength(1000))]), result: returns<LabelView>() },
  /** Undoes the last label edit (across restarts). */
  'history:undo': { args: noArgs, result: returns<HistoryState>() },
  /** Redoes the last undone edit. */
  'history:redo': { args: noArgs, result: returns<HistoryState>() },
  /** Whether undo/redo are possible. */
  'history:state': { args: noArgs, result: returns<HistoryState>() },
  /**
   * The next region to review: the queue holds unreviewed regions, least certain first. Without a position it is
   * the head of the queue; with the position of the current region it is the one after it (skip), wrapping around.
   * Null when everything is reviewed.
   */
  'review:nextUncertain': {
    args: v.strictTuple([v.nullable(v.object({ recordingId: id, sample: sampleIndex }))]),
    result: returns<ReviewItem | null>(),
  },
  /** Every job of the project, newest first. */
  'jobs:list': { args: noArgs, result: returns<JobProgress[]>() },
  /**
   * Starts a job of a startable kind with that kind's parameters (src-shared/job-kinds.ts); returns its id at
   * once. Progress arrives as 'jobs:progress' events.
   */
  'jobs:start': { args: startJobArgsSchema, result: returns<number>() },
  /** Cancels a queued or running job. Args: job id. Resolves false when it had already ended. */
  'jobs:cancel': { args: v.strictTuple([id]), result: returns<boolean>() },
  /** The last retrain's held-out confusion matrices (null before the first retrain). */
  'retrain:lastReport': { args: noArgs, result: returns<RetrainReport | null>() },
  /** Loss curve of the newest encoder training, for the training plot. */
  'figures:trainingLoss': { args: noArgs, result: returns<{ modelLabel: string; loss: number[] } | null>() },
  /** First-layer filters of the active encoder (each kh × kw, row-major). */
  'figures:filters': {
    args: noArgs,
    result: returns<{ modelLabel: string; kernelHeight: number; kernelWidth: number; filters: number[][] } | null>(),
  },
  /**
   * A window of a recording and what the newest encoder that can show it makes of it — Convnet V1's reconstruction,
   * or LSTM V3's next-frame prediction next to the real next frame (null when no such model was trained here),
   * computed as a 'reconstruction' job; resolves when it ends. Args: recording id, window index.
   */
  'figures:reconstruction': {
    args: v.strictTuple([id, v.pipe(v.number(), v.integer(), v.minValue(0))]),
    result: returns<ReconstructionFigure | null>(),
  },

  // ── Detection heads and region settings (src-main/app/handlers/detection-handlers.ts, issue 7) ──
  /** The project's detection heads, newest first: a history with each head's held-out scores; one is active. */
  'detection:heads': { args: noArgs, result: returns<DetectionHeadView[]>() },
  /**
   * Makes a stored head the active one (the user's choice, e.g. a retrained head kept inactive because it scored
   * lower): every recording's frames are predicted with it from cached features and its regions derived.
   * Args: head id. NOT_FOUND for an unknown head.
   */
  'detection:activateHead': { args: v.strictTuple([id]), result: returns<DetectionHeadView>() },
  /**
   * Regions of a recording under other region settings, from the active head's cached frame probabilities and the
   * recording's human labels; nothing is stored (a live preview; a 'detect' job with regionParams applies them).
   * Args: recording id, settings.
   */
  'detection:previewRegions': { args: v.strictTuple([id, regionSettingsSchema]), result: returns<RegionView[]>() },

  // ── Annotation exchange (src-main/app/handlers/exchange-handlers.ts) ──
  /**
   * Imports annotation tables (Raven, Audacity, CSV) into labels: one transaction and one undo step for all of
   * them. Rows that cannot be read come back as issues (file, line, reason); the others are imported; rows
   * already in the project are skipped. Runs as an 'import' job (progress in rows, cancellable; a cancelled
   * import changes nothing) and resolves with its report. Args: the tables (name + bytes as base64, or the
   * uploadId of a staged table; 1–200, MAX_IMPORT_BYTES in all), options.
   */
  'exchange:import': {
    args: v.strictTuple([v.pipe(v.array(importTableSchema), v.minLength(1), v.maxLength(200)), importOptionsSchema]),
    result: returns<ImportReport>(),
  },
  /**
   * Stages a table too big for one call, chunk by chunk (MAX_TABLE_CHUNK_BYTES each) in order; 'exchange:import'
   * then names it by its uploadId and removes it. Refuses once the staged tables pass MAX_IMPORT_BYTES.
   * Returns the uploadId and the bytes staged so far.
   */
  'exchange:stageTable': { args: v.strictTuple([tableChunkSchema]), result: returns<{ uploadId: string; bytes: number }>() },
  /**
   * Writes the project's labels into a folder as Raven tables, Audacity tracks, labels.csv or per-type WAVs.
   * Refuses (writing nothing) when a file it would write exists and was not written by an earlier export.
   */
  'exchange:export': { args: v.strictTuple([exportRequestSchema]), result: returns<ExportReport>() },

  // ── Display and listening (src-main/app/handlers/display-handlers.ts) ──
  /** The project's display preferences: spectrogram FFT size, window and overlap; playback gain and DC removal. */
  'display:get': { args: noArgs, result: returns<DisplayPreferences>() },
  /**
   * Changes some display preferences and stores them in the project; returns all of them. The spectrogram
   * settings are for display only (the model's features never change). Args: the fields to change.
   */
  'display:set': { args: v.strictTuple([displayPreferencesPatchSchema]), result: returns<DisplayPreferences>() },
  /** Spectrogram paging info of a recording under the stored display settings (after 'display:set'). Args: recording id. */
  'display:spectrogramInfo': { args: v.strictTuple([id]), result: returns<SpectrogramInfo>() },
  /** Sound types: the current clustering, cluster edits, cuts, thumbnails, the type head (src-shared/cluster-calls.ts). */
  ...CLUSTER_CALLS,
  /** Detection on workers: the project's Redis queue and shared storage (src-shared/workers-calls.ts). */
  ...WORKERS_CALLS,

  // ---- The review loop (issue 8): undo that shows where it acts, and the researcher's review habits ----

  /**
   * What the next undo (or redo) would change — the recording, the stretch of it and the kind of edit — without
   * changing anything, so the UI can open that place first and name the edit. Null when there is nothing to undo (redo).
   */
  'history:peek': { args: v.strictTuple([v.picklist(['undo', 'redo'])]), result: returns<HistoryStep | null>() },
  /** The researcher's review preferences (auto-advance, value of drawn labels), remembered across sessions and projects. */
  'preferences:get': { args: noArgs, result: returns<ReviewPreferences>() },
  /** Changes some review preferences and returns them all. */
  'preferences:set': { args: v.strictTuple([reviewPreferencesPatchSchema]), result: returns<ReviewPreferences>() },
  ...DETECTION_SETTINGS_CALLS,
} as const satisfies Record<string, { args: v.GenericSchema<unknown, readonly unknown[]>; result: Returns<unknown> }>;

/** Declares an event's payload type (events go from main to the page only, so they need no runtime check). */
const payload = returns;

/** Push events from main to the UI. Adding an event: add an entry here, emit it with `state.emit` in src-main/app. */
export const EVENTS = {
  /** The set of recordings changed (after a scan). */
  'recordings:changed': payload<{ count: number }>(),
  /** A job's progress or state changed. */
  'jobs:progress': payload<JobProgress>(),
  /** Labels or regions of a recording changed (edit, undo, detection, retrain). */
  'recording:changed': payload<{ recordingId: number; what: 'labels' | 'regions' }>(),
  /** A project was opened from outside the page (menu, drag-and-drop, recent list). */
  'project:changed': payload<ProjectInfo>(),
  /** A menu command the page carries out (it owns the current selection and view). */
  'menu:command': payload<{ command: MenuCommand }>(),
  /** Sound-type clusters changed (a clustering run, a cluster edit, its undo/redo, a new cut, type predictions). */
  'clusters:changed': payload<{ reason: 'run' | 'edit' | 'history' | 'cut' | 'types' }>(),
} as const satisfies Record<string, Returns<unknown>>;

type Calls = typeof CALLS;

/** Each call's argument tuple and result, derived from `CALLS`. */
export type ApiCalls = { [K in keyof Calls]: { args: v.InferOutput<Calls[K]['args']>; result: ResultOf<Calls[K]['result']> } };
/** Each event's payload, derived from `EVENTS`. */
export type ApiEvents = { [E in keyof typeof EVENTS]: ResultOf<(typeof EVENTS)[E]> };

export type CallName = keyof ApiCalls;
export type EventName = keyof ApiEvents;
export type CallArgs<K extends CallName> = ApiCalls[K]['args'];
export type CallReturn<K extends CallName> = ApiCalls[K]['result'];

/** What crosses the wire for every call. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const CALL_NAMES = Object.keys(CALLS) as CallName[];
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CALLS, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, name);
}

/**
 * Checks a request against the contract: a known call whose arguments fit its
 * schema. Returns the parsed arguments (unknown object keys dropped), or the
 * readable reason it was refused. Main, the preload and the browser server
 * all go through here, so they refuse exactly the same requests.
 */
export function checkCall(name: unknown, args: unknown): { ok: true; name: CallName; args: unknown[] } | { ok: false; message: string } {
  if (!isCallName(name)) return { ok: false, message: `Refused: unknown call ${String(name)}.` };
  const parsed = v.safeParse(CALLS[name].args, args);
  if (!parsed.success) return { ok: false, message: `Refused: malformed call ${name} (arguments ${describeIssues(parsed.issues)}).` };
  return { ok: true, name, args: [...parsed.output] };
}

/** The API object the renderer sees (window.sonotype in Electron, a WebSocket client in browser mode). */
export interface SonotypeApi {
  call<K extends CallName>(name: K, ...args: CallArgs<K>): Promise<CallResult<CallReturn<K>>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}
