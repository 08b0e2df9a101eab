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
import type { RecordingSummary } from './audio-types';
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
}

/** Push events from main to the UI. */
export interface ApiEvents {
  /** The set of recordings changed (after a scan). */
  'recordings:changed': { count: number };
}

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
  'features:describe': (a) => a.length === 1 && Number.isInteger(a[0]) && (a[0] as number) > 0,
};

export const EVENT_NAMES: readonly EventName[] = ['recordings:changed'];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CALL_ARG_CHECKS, name);
}

/** The API object the renderer sees (window.sonotype in Electron, a WebSocket client in browser mode). */
export interface SonotypeApi {
  call<K extends CallName>(name: K, ...args: CallArgs<K>): Promise<CallResult<CallReturn<K>>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}
