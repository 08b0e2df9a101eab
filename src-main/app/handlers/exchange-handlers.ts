/**
 * Annotation exchange from the app: import tables the page read (file picker
 * or drop) and export the project's labels into a folder. Both run as jobs
 * off the main process (progress, cancel); here the tables are staged as
 * files for the 'import' job and the views of the recordings that received
 * labels are told to refresh.
 */
import path from 'node:path';
import { requireSession, type AppState } from '../app-state';
import { runJobToEnd } from '../run-job';
import { TableStaging } from '../table-staging';
import { currentAuthor } from './label-handlers';
import type { HandlersFor } from './handler-types';

type ExchangeCalls = 'exchange:import' | 'exchange:stageTable' | 'exchange:export';

export function exchangeHandlers(state: AppState): HandlersFor<ExchangeCalls> {
  const staging = new TableStaging();
  return {
    'exchange:stageTable': async (chunk) => staging.append(chunk.uploadId, Buffer.from(chunk.base64, 'base64')),
    'exchange:import': async (tables, options) => {
      const { runner } = requireSession(state);
      const uploadIds = tables.flatMap((t) => ('uploadId' in t ? [t.uploadId] : []));
      try {
        // The job reads files: inline tables are staged like the chunked ones (staging refuses more than
        // MAX_IMPORT_BYTES in all); all are removed when it ends.
        const files: { name: string; path: string }[] = [];
        for (const t of tables) {
          const id = 'uploadId' in t ? t.uploadId : await staging.stageWhole(Buffer.from(t.base64, 'base64'));
          if (!('uploadId' in t)) uploadIds.push(id);
          files.push({ name: t.name, path: staging.pathOf(id) });
        }
        const report = await runJobToEnd(runner, 'import', {
          tables: files,
          options: { as: options.as, recording: options.recording, format: options.format },
          author: currentAuthor(),
        });
        for (const recordingId of report.recordingIds) state.emit('recording:changed', { recordingId, what: 'labels' });
        return report;
      } finally {
        await staging.remove(uploadIds);
      }
    },
    'exchange:export': async (request) => {
      const { project, runner } = requireSession(state);
      // Off the main process as a job (cluster-wav reads audio); a relative folder is taken from the project folder.
      return runJobToEnd(runner, 'export', { request: { ...request, outDir: path.resolve(project.dir, request.outDir) } });
    },
  };
}
