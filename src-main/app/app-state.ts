/**
 * What the handlers share: the open project and what lives exactly as long as
 * it does — its job runner (jobs run in worker threads; progress is forwarded
 * to the UI) and its tile service (open files, tile cache) — plus where the
 * UI fetches media from. Switching projects shuts the previous runner down
 * (cancelling its jobs) and closes its tile service before the database.
 */
import type { ApiEvents } from '../../src-shared/contract';
import type { JobProgress } from '../../src-shared/job-types';
import { SonotypeError } from '../../src-shared/errors';
import { jobResultOf, type JobKind } from '../../src-shared/job-kinds';
import { JobRunner } from '../engine/jobs/job-runner';
import { jobRecordToProgress } from '../engine/jobs/job-records';
import { listJobsUpdatedSince } from '../engine/store/jobs';
import type { Project } from '../engine/project/open-project';
import { listRecordings } from '../engine/store/recordings';
import { createTileService, type TileService } from '../engine/tiles';

/** Where tiles and audio pages are fetched: `${base}/tiles/…` with `query` appended (see RecordingReview). */
export interface MediaLocation {
  base: string;
  query: string;
}

/** The per-project services, created when the project is opened. */
export interface ProjectSession {
  project: Project;
  runner: JobRunner;
  tiles: TileService;
  /** Stops following jobs that other processes run on the project. */
  stopWatchingJobs: () => void;
}

/** How often the jobs table is checked for jobs of other processes (the CLI on the same project). */
export const FOREIGN_JOB_POLL_MS = 1000;

export interface AppState {
  mode: 'electron' | 'browser';
  version: string;
  project: Project | null;
  /** Runner and tile service of `project`; managed by this module (created on demand for a project set directly). */
  session?: ProjectSession | null;
  /** Media URLs for review:open; defaults per mode (`sonotype://media` in Electron, `/media` in the browser). */
  media?: MediaLocation;
  emit<E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]): void;
}

/** Job kinds whose success changes regions (and machine labels) of recordings. */
const REGION_CHANGING_KINDS: ReadonlySet<JobKind> = new Set<JobKind>(['detect', 'retrain-head']);

/** The open project, or INVALID_ARGUMENT with a message the researcher can act on. */
export function requireProject(state: AppState): Project {
  if (!state.project) throw new SonotypeError('INVALID_ARGUMENT', 'No project is open. Open a folder first.');
  return state.project;
}

/**
 * The session of the open project. A project put into `state.project` directly
 * (browser mode opens one at start-up) gets its session here on first use.
 */
export function requireSession(state: AppState): ProjectSession {
  const project = requireProject(state);
  if (state.session?.project !== project) {
    const stale = state.session;
    state.session = createSession(state, project);
    if (stale) void closeSessionServices(stale);
  }
  return state.session;
}

/**
 * Opens a project with `open` and makes it the open one, closing the previous
 * project. Its jobs are cancelled BEFORE the new database connection opens:
 * opening marks jobs still 'running' as interrupted, which would turn a clean
 * cancel into a failure. If `open` fails, the previous project stays open.
 */
export async function switchProject(state: AppState, open: () => Promise<Project>): Promise<Project> {
  await state.session?.runner.shutdown();
  const project = await open();
  try {
    await closeProject(state);
  } finally {
    state.project = project;
    state.session = createSession(state, project);
  }
  return project;
}

/** Cancels the open project's jobs, closes its tile service and its database. */
export async function closeProject(state: AppState): Promise<void> {
  const { project, session } = state;
  state.project = null;
  state.session = null;
  if (session) await closeSessionServices(session);
  project?.close();
}

/** The media location for review:open. */
export function mediaLocation(state: AppState): MediaLocation {
  if (state.media) return state.media;
  return state.mode === 'electron' ? { base: 'sonotype://media', query: '' } : { base: '/media', query: '' };
}

function createSession(state: AppState, project: Project): ProjectSession {
  const runner = new JobRunner(project.db);
  runner.onProgress((progress) => {
    state.emit('jobs:progress', progress);
    if (progress.state === 'succeeded' && REGION_CHANGING_KINDS.has(progress.kind)) announceRegionChanges(state, project, progress);
    if (progress.state === 'succeeded' && (progress.kind === 'cluster' || progress.kind === 'type-head') && state.project === project) {
      state.emit('clusters:changed', { reason: progress.kind === 'cluster' ? 'run' : 'types' });
    }
  });
  // Exact spectrogram pyramids of long recordings are built by 'tiles' jobs (off the main thread, listed in
  // the Jobs panel), asked for once per recording and display settings when a preview tile is first served.
  const tiles = createTileService(project, {
    requestExactBuild: (recordingId, display) => {
      try {
        runner.start('tiles', { recordingIds: [recordingId], display });
      } catch {
        // The runner is shutting down (project switch): the preview stays until the recording is opened again.
      }
    },
  });
  return { project, runner, tiles, stopWatchingJobs: watchForeignJobs(state, project, runner) };
}

/**
 * Forwards progress of jobs this process does not run — `sonotype train` or
 * `detect` from a terminal, a scan — as 'jobs:progress', so the jobs panel
 * lists them live. Reads only rows changed since the last look.
 */
function watchForeignJobs(state: AppState, project: Project, runner: JobRunner): () => void {
  let since = Date.now();
  // Rows changed in the same millisecond as the last look are read again: emit each change once.
  const seen = new Map<number, number>();
  const timer = setInterval(() => {
    if (state.project !== project) return;
    try {
      for (const record of listJobsUpdatedSince(project.db, since - 1)) {
        since = Math.max(since, record.updatedAt);
        if (runner.owns(record.id) || seen.get(record.id) === record.updatedAt) continue;
        seen.set(record.id, record.updatedAt);
        state.emit('jobs:progress', jobRecordToProgress(record));
      }
    } catch {
      // A busy or closing database: look again next time.
    }
  }, FOREIGN_JOB_POLL_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}

async function closeSessionServices(session: ProjectSession): Promise<void> {
  session.stopWatchingJobs();
  try {
    await session.runner.shutdown();
  } finally {
    await session.tiles.close();
  }
}

/**
 * Tells the UI which recordings got new regions: one 'recording:changed' per
 * recording a detect job names, or 'recordings:changed' after a retrain (it
 * derives every recording's regions again).
 */
function announceRegionChanges(state: AppState, project: Project, progress: JobProgress): void {
  if (state.project !== project) return;
  const ids = recordingIdsOf(progress);
  if (ids.length === 0) {
    state.emit('recordings:changed', { count: listRecordings(project.db).length });
    return;
  }
  for (const recordingId of ids) state.emit('recording:changed', { recordingId, what: 'regions' });
}

/** The recordings a succeeded 'detect' job worked on (none for other kinds). */
export function recordingIdsOf(progress: JobProgress): number[] {
  const detect = jobResultOf(progress, 'detect');
  return detect ? [...new Set(detect.recordings.map((r) => r.recordingId))] : [];
}
