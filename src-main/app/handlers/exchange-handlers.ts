/**
 * Annotation exchange from the app: import tables the page read (file picker
 * or drop) and export the project's labels into a folder. Both run as jobs
 * off the main process (progress, cancel); here the tables are staged as
 * files for the 'import' job and the views of the recordings that received
 * labels are told to refresh.
 */
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import { MAX_IMPORT_BYTES } from '../../../src-shared/exchange-types';
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
      const written: string[] = [];
      try {
        // The job reads files: inline tables are written next to the staged ones; all are removed when it ends.
        const files = await Promise.all(tables.map(async (t) => {
          if ('uploadId' in t) return { name: t.name, path: staging.pathOf(t.uploadId) };
          const file = await staging.newFile();
          written.push(file);
          await writeFile(file, Buffer.from(t.base64, 'base64'));
          return { name: t.name, path: file };
        }));
        const size = (await Promise.all(files.map((f) => stat(f.path)))).reduce((n, st) => n + st.size, 0);
        if (size > MAX_IMPORT_BYTES) {
          throw new SonotypeError('INVALID_ARGUMENT', `The tables are bigger than the app imports at once (${MAX_IMPORT_BYTES / 2 ** 20} MB): import them with \`npx sonotype import\`.`);
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
        await Promise.all(written.map((f) => rm(f, { force: true })));
      }
    },
    'exchange:export': async (request) => {
      const { project, runner } = requireSession(state);
      // Off the main process as a job (cluster-wav reads audio); a relative folder is taken from the project folder.
      return runJobToEnd(runner, 'export', { request: { ...request, outDir: path.resolve(project.dir, request.outDir) } });
    },
  };
}
