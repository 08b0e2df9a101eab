/**
 * Project calls: open (any folder, the demo, a recent one), rescan, the
 * recordings list and the recordings table with detection and review totals.
 */
import type { ProjectInfo } from '../../../src-shared/contract';
import type { RecordingRow } from '../../../src-shared/review-types';
import { openProject, type Project } from '../../engine/project/open-project';
import { listRecordings, requireRecording, type RecordingRecord } from '../../engine/store/recordings';
import { requireProject, requireSession, switchProject, type AppState } from '../app-state';
import { runJobToEnd } from '../run-job';
import { openDemoProject } from '../demo-project';
import { listRecentProjects, rememberProject } from '../recent-projects';
import { regionTotalsByRecording, type RecordingRegionTotals } from '../../engine/store/review-queries';
import type { HandlersFor } from './handler-types';

type ProjectCalls =
  | 'app:info' | 'project:open' | 'project:openDemo' | 'project:recent' | 'project:scan'
  | 'recordings:list' | 'recordings:table' | 'features:describe';

export function projectInfo(project: Project): ProjectInfo {
  return {
    dir: project.dir,
    audioRoot: project.audioRoot,
    recordingCount: listRecordings(project.db).length,
    featureConfig: project.featureConfig(),
  };
}

/** A row of the recordings table; silence fraction = silence region length / duration of the newest detection. */
export function recordingRow(r: RecordingRecord, totals: RecordingRegionTotals | undefined): RecordingRow {
  let silenceFraction: number | null = null;
  if (totals && r.sampleRate && r.durationSeconds) {
    silenceFraction = Math.min(1, Math.max(0, totals.silenceSamples / r.sampleRate / r.durationSeconds));
  }
  return {
    id: r.id,
    path: r.path,
    status: r.status,
    ...(r.error ? { error: r.error } : {}),
    ...(r.warning ? { warning: r.warning } : {}),
    missing: r.missing,
    durationSeconds: r.durationSeconds,
    sampleRate: r.sampleRate,
    channels: r.channels,
    codec: r.codec,
    silenceFraction,
    regionCount: totals?.regionCount ?? 0,
    reviewedCount: totals?.reviewedCount ?? 0,
  };
}

export function projectHandlers(state: AppState): HandlersFor<ProjectCalls> {
  /** Opens a project as the open one and puts it at the top of the recent list. */
  async function adopt(open: () => Promise<Project>): Promise<ProjectInfo> {
    const project = await switchProject(state, open);
    // The recent list is a convenience: failing to write it must not fail the open.
    await rememberProject(project.dir).catch(() => undefined);
    return projectInfo(project);
  }

  return {
    'app:info': async () => ({
      version: state.version,
      mode: state.mode,
      project: state.project ? projectInfo(state.project) : null,
    }),
    'project:open': async (dir) => adopt(() => openProject(dir)),
    'project:openDemo': async () => adopt(openDemoProject),
    'project:recent': async () => listRecentProjects(),
    'project:scan': async () => {
      const totals = await runJobToEnd(requireSession(state).runner, 'scan', { audioRoot: requireProject(state).audioRoot });
      state.emit('recordings:changed', { count: totals.files });
      return totals;
    },
    'recordings:list': async () => listRecordings(requireProject(state).db),
    'recordings:table': async () => {
      const { db } = requireProject(state);
      const totals = regionTotalsByRecording(db);
      return listRecordings(db).map((r) => recordingRow(r, totals.get(r.id)));
    },
    'features:describe': async (recordingId) => {
      const session = requireSession(state);
      requireRecording(session.project.db, recordingId); // NOT_FOUND at once, without a job
      return runJobToEnd(session.runner, 'features', { recordingId });
    },
  };
}
