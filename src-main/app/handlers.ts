/**
 * Implementations of every call in the shared contract. Plain Node: the
 * Electron shell (src-main/electron) and the browser-mode server both route
 * validated requests here, so the two modes cannot drift apart.
 */
import { SonotypeError } from '../../src-shared/errors';
import type { ApiCalls, ApiEvents, CallName, ProjectInfo } from '../../src-shared/contract';
import { openProject, type Project } from '../engine/project/open-project';
import { scanProject } from '../engine/project/scan-project';
import { describeRecordingFeatures } from '../engine/project/recording-features';
import { listRecordings } from '../engine/store';

export type Handlers = { [K in CallName]: (...args: ApiCalls[K]['args']) => Promise<ApiCalls[K]['result']> };

export interface AppState {
  mode: 'electron' | 'browser';
  version: string;
  project: Project | null;
  emit<E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]): void;
}

function requireProject(state: AppState): Project {
  if (!state.project) throw new SonotypeError('INVALID_ARGUMENT', 'No project is open. Open a folder first.');
  return state.project;
}

function projectInfo(project: Project): ProjectInfo {
  return {
    dir: project.dir,
    audioRoot: project.audioRoot,
    recordingCount: listRecordings(project.db).length,
    featureConfig: project.featureConfig(),
  };
}

export function createHandlers(state: AppState): Handlers {
  return {
    'app:info': async () => ({
      version: state.version,
      mode: state.mode,
      project: state.project ? projectInfo(state.project) : null,
    }),
    'project:open': async (dir) => {
      const project = await openProject(dir);
      state.project?.close();
      state.project = project;
      return projectInfo(project);
    },
    'project:scan': async () => {
      const project = requireProject(state);
      const report = await scanProject(project);
      state.emit('recordings:changed', { count: report.totals.files });
      return report.totals;
    },
    'recordings:list': async () => listRecordings(requireProject(state).db),
    'features:describe': async (recordingId) => describeRecordingFeatures(requireProject(state), recordingId),
  };
}
