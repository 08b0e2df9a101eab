/**
 * Annotation exchange from the app: import tables the page read (file picker
 * or drop) and export the project's labels into a folder. The engine does the
 * work (engine/exchange); here the open project is supplied and the views of
 * the recordings that received labels are told to refresh.
 */
import path from 'node:path';
import { requireProject, requireSession, type AppState } from '../app-state';
import { runJobToEnd } from '../run-job';
import { importAnnotationTables } from '../../engine/exchange/import-tables';
import { currentAuthor } from './label-handlers';
import type { HandlersFor } from './handler-types';

type ExchangeCalls = 'exchange:import' | 'exchange:export';

export function exchangeHandlers(state: AppState): HandlersFor<ExchangeCalls> {
  return {
    'exchange:import': async (tables, options) => {
      const project = requireProject(state);
      const report = importAnnotationTables(
        project.db,
        project.audioRoot,
        tables.map((t) => ({ name: t.name, bytes: Buffer.from(t.base64, 'base64') })),
        { as: options.as, recording: options.recording, format: options.format, author: currentAuthor() },
      );
      for (const recordingId of report.recordingIds) state.emit('recording:changed', { recordingId, what: 'labels' });
      return report;
    },
    'exchange:export': async (request) => {
      const { project, runner } = requireSession(state);
      // Off the main process as a job (cluster-wav reads audio); a relative folder is taken from the project folder.
      return runJobToEnd(runner, 'export', { request: { ...request, outDir: path.resolve(project.dir, request.outDir) } });
    },
  };
}
