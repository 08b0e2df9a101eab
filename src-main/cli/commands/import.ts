import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { CliCommand } from '../main';
import { UsageError, EXIT_FAILURE, EXIT_OK } from '../exit-codes';
import { formatTable } from '../output';
import { toFileError } from '../../engine/audio/fs-errors';
import { importAnnotationTables, type ImportReport, type TableInput } from '../../engine/exchange/import-tables';
import { TABLE_FORMATS, type TableFormat } from '../../engine/exchange/table-types';
import { currentAuthor } from '../../app/handlers/label-handlers';
import { openExistingProject } from './detect';

/**
 * `sonotype import <table…> [--project P] [--recording <path>] [--format auto|raven|audacity|csv|notmat] [--as human|reference] [--json]`
 *
 * Reads Raven selection tables, Audacity label tracks and CSV tables into the
 * project's labels: one transaction and one undo step for the whole command;
 * rows that cannot be read are listed with file, line and reason, the others
 * are imported. Re-importing a table adds nothing.
 */
export const importCommand: CliCommand = {
  name: 'import',
  synopsis:
    'import <table…> [--project <dir>] [--recording <path>] [--format auto|raven|audacity|csv|notmat] [--as human|reference] [--json]   read annotation tables into labels',
  options: {
    project: { type: 'string' },
    recording: { type: 'string' },
    format: { type: 'string', default: 'auto' },
    as: { type: 'string', default: 'human' },
    json: { type: 'boolean', default: false },
  },
  async run({ positionals, values, io }) {
    if (positionals.length === 0) throw new UsageError('name at least one table to import');
    const format = values.format as string;
    if (format !== 'auto' && !TABLE_FORMATS.includes(format as TableFormat)) {
      throw new UsageError(`--format must be auto, ${TABLE_FORMATS.join(', ')}; got '${format}'`);
    }
    if (values.as !== 'human' && values.as !== 'reference') throw new UsageError(`--as must be human or reference, got '${String(values.as)}'`);
    // Read every table first: a missing file stops the import before anything is written.
    const tables: TableInput[] = [];
    for (const p of positionals) {
      const abs = resolve(p);
      try {
        if ((await stat(abs)).isDirectory()) throw new UsageError(`${p} is a folder; name the table files`);
        tables.push({ name: basename(abs), path: abs, bytes: await readFile(abs) });
      } catch (error) {
        throw error instanceof UsageError ? error : toFileError(error, abs);
      }
    }
    const project = await openExistingProject(values.project as string | undefined);
    try {
      const report = importAnnotationTables(project.db, project.audioRoot, tables, {
        as: values.as, recording: values.recording as string | undefined, format: format as TableFormat | 'auto', author: currentAuthor(),
      });
      io.out(values.json ? JSON.stringify(report) : formatImport(report, values.as));
      // Rows were rejected and none imported: say so in the exit code too.
      return report.imported === 0 && report.rejected > 0 ? EXIT_FAILURE : EXIT_OK;
    } finally {
      project.close();
    }
  },
};

function formatImport(report: ImportReport, as: string): string {
  const rows = report.tables.map((t) => [t.name, t.format, String(t.rows), String(t.imported), String(t.duplicates), String(t.rejected)]);
  const lines = [
    formatTable(['table', 'format', 'rows', 'imported', 'already there', 'rejected'], rows, [false, false, true, true, true, true]),
    '',
    `${report.imported} label${report.imported === 1 ? '' : 's'} imported${as === 'reference' ? ' as reference (truth for evaluation; trains nothing)' : ''} ` +
      `into ${report.recordingIds.length} recording${report.recordingIds.length === 1 ? '' : 's'}` +
      (report.imported > 0 ? ' — one undo step (Edit → Undo in the app).' : '.'),
  ];
  if (report.issues.length > 0) {
    lines.push('', `Problems (${report.issues.length}):`);
    for (const issue of report.issues) lines.push(`  ${issue.file}${issue.line === null ? '' : `, line ${issue.line}`}: ${issue.reason}`);
  }
  return lines.join('\n');
}
