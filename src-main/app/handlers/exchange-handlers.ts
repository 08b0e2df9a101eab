/**
 * Annotation exchange from the app: import tables the page read (file picker
 * or drop) and export the project's labels into a folder. Both run as jobs
 * off the main process (progress, cancel); here the tables are staged as
 * files for the 'import' job and the views of the recordings that received
 * labels are told to refresh.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireSession, type AppState } from '../app-state';
import { runJobToEnd } from '../run-job';
import { currentAuthor } from './label-handlers';
import type { HandlersFor } from './handler-types';

type ExchangeCalls = 'exchange:import' | 'exchange:export';

export function exchangeHandlers(state: AppState): HandlersFor<ExchangeCalls> {
  return {
    'exchange:import': async (tables, options) => {
      const { runner } = requireSession(state);
      // The job reads files (its parameters are stored with it; tables are not): staged here, removed when it ends.
      const staging = await mkdtemp(path.join(tmpdir(), 'sonotype-import-'));
      try {
        const staged = await Promise.all(tables.map(async (t, i) => {
          const file = path.join(staging, `${i}.table`);
          await writeFile(file, Buffer.from(t.base64, 'base64'));
          return { name: t.name, path: file };
        }));
        const report = await runJobToEnd(runner, 'import', {
          tables: staged,
          options: { as: options.as, recording: options.recording, format: options.format },
          author: currentAuthor(),
        });
        for (const recordingId of report.recordingIds) state.emit('recording:changed', { recordingId, what: 'labels' });
        return report;
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    },
    'exchange:export': async (request) => {
      const { project, runner } = requireSession(state);
      // Off the main process as a job (cluster-wav reads audio); a relative folder is taken from the project folder.
      return runJobToEnd(runner, 'export', { request: { ...request, outDir: path.resolve(project.dir, request.outDir) } });
    },
  };
}
