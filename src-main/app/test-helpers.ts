/**
 * A temporary app for the handler tests: a config folder, a project folder of
 * synthesized WAVs, an AppState that records every event, and the handlers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ApiEvents, CallArgs, CallName, CallResult, CallReturn } from '../../src-shared/contract';
import { encodeWav } from '../engine/testing/wav-writer';
import { concat, digitalSilence, mixAt, sine, whiteNoise } from '../engine/testing/synth';
import { dispatchCall } from './dispatch-call';
import { closeProject, createHandlers, type AppState, type Handlers } from './handlers';
import { getRecording } from '../engine/store/recordings';
import { scanProjectFiles } from '../engine/project/scan-project';
import { replaceRegions, type NewRegion } from '../engine/store/regions';

export const TEST_RATE = 16_000;

/** Relative path → duration in seconds of the synthesized recordings. */
export const TEST_RECORDINGS = { 'a.wav': 3, 'b.wav': 2, 'sub/c.wav': 1.5 } as const;
export type TestRecordingName = keyof typeof TEST_RECORDINGS;

export interface RecordedEvent {
  event: keyof ApiEvents;
  payload: unknown;
}

export interface TestApp {
  state: AppState;
  handlers: Handlers;
  events: RecordedEvent[];
  projectDir: string;
  configDir: string;
  /** What main and the browser server do with a request (dispatchCall): argument check, handler, errors as { code, message }. */
  call<K extends CallName>(name: K, ...args: CallArgs<K>): Promise<CallResult<CallReturn<K>>>;
  /** Same, with arguments the type system would refuse (malformed requests from a page). */
  callRaw(name: string, args: unknown[]): Promise<CallResult<unknown>>;
  close(): Promise<void>;
}

/** Sound (noise with a 2 kHz tone) in the first half, digital silence in the second. */
function writeRecordings(dir: string): void {
  let seed = 1;
  for (const [name, seconds] of Object.entries(TEST_RECORDINGS)) {
    const half = seconds / 2;
    const sound = mixAt(whiteNoise(TEST_RATE, half, 0.01, seed++), sine(TEST_RATE, half / 2, 2000, 0.3), TEST_RATE, half / 4);
    const audio = concat(sound, digitalSilence(TEST_RATE, seconds - half));
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, encodeWav([audio], { sampleRate: TEST_RATE, format: 'pcm16' }));
  }
}

/** Creates the app (no project open yet) with the recordings in `projectDir`. */
export function createTestApp(mode: AppState['mode'] = 'browser'): TestApp {
  const configDir = mkdtempSync(join(tmpdir(), 'sonotype-app-config-'));
  const projectDir = mkdtempSync(join(tmpdir(), 'sonotype-app-project-'));
  process.env.SONOTYPE_CONFIG_DIR = configDir;
  writeRecordings(projectDir);
  const events: RecordedEvent[] = [];
  const state: AppState = {
    mode,
    version: 'test',
    project: null,
    emit: (event, payload) => events.push({ event, payload }),
  };
  const handlers = createHandlers(state);
  const callRaw = (name: string, args: unknown[]): Promise<CallResult<unknown>> => dispatchCall(handlers, name, args);
  return {
    state, handlers, events, projectDir, configDir,
    call: (name, ...args) => callRaw(name, args) as never,
    callRaw,
    async close() {
      await closeProject(state);
      delete process.env.SONOTYPE_CONFIG_DIR;
      rmSync(projectDir, { recursive: true, force: true });
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

/** Native samples of a test recording. */
export function framesOf(name: TestRecordingName): number {
  return Math.round(TEST_RECORDINGS[name] * TEST_RATE);
}

/** Unwraps a successful call result (fails the test with the error message otherwise). */
export function valueOf<T>(result: CallResult<T>): T {
  if (!result.ok) throw new Error(`call failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/**
 * Opens the test project, scans it and returns the recording ids by path. Set-up only: it scans in-process
 * (no job worker to start); project:scan itself, which runs a 'scan' job, is tested in handlers.test.ts.
 */
export async function openAndScan(app: TestApp): Promise<Record<TestRecordingName, number>> {
  valueOf(await app.call('project:open', app.projectDir));
  await scanProjectFiles(app.state.project!);
  const db = app.state.project!.db;
  const ids = {} as Record<TestRecordingName, number>;
  for (const name of Object.keys(TEST_RECORDINGS) as TestRecordingName[]) ids[name] = getRecording(db, name)!.id;
  return ids;
}

/** Stores a detection's regions for a recording (model null = the heuristic). */
export function setRegions(app: TestApp, recordingId: number, regions: NewRegion[], modelId: number | null = null): number[] {
  return replaceRegions(app.state.project!.db, { recordingId, modelId, sourceParams: {} }, regions);
}
