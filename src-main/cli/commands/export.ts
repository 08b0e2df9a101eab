import { resolve } from 'node:path';
import type { CliCommand } from '../main';
import { UsageError, EXIT_OK } from '../exit-codes';
import { EXPORT_FORMATS, exportLabels, type ExportFormat } from '../../engine/exchange/export-project';
import { EXPORT_SOURCES, type ExportSource } from '../../engine/exchange/export-labels';
import { openExistingProject } from './detect';

/**
 * `sonotype export --format raven|audacity|csv|cluster-wav [--project P] --out DIR [--source human|all|reference] [--json]`
 *
 * Writes the project's labels as Raven selection tables or Audacity label
 * tracks (one per recording), one labels.csv, or one WAV per sound type with
 * an index. `--source human` (default) exports people's labels, `all` adds
 * the model's and the heuristic's, `reference` exports the reference tables.
 */
export const exportCommand: CliCommand = {
  name: 'export',
  synopsis: 'export --format raven|audacity|csv|cluster-wav [--project <dir>] --out <dir> [--source human|all|reference] [--json]   write labels as tables or per-type WAVs',
  options: {
    project: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    source: { type: 'string', default: 'human' },
    json: { type: 'boolean', default: false },
  },
  async run({ positionals, values, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (!EXPORT_FORMATS.includes(values.format as ExportFormat)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('--out <dir> is required');
    if (!EXPORT_SOURCES.includes(values.source as ExportSource)) throw new UsageError(`--source must be one of ${EXPORT_SOURCES.join(', ')}, got '${String(values.source)}'`);
    const project = await openExistingProject(values.project as string | undefined);
    try {
      const report = await exportLabels(project.db, {
        format: values.format as ExportFormat, outDir: resolve(values.out), source: values.source as ExportSource,
        resolvePath: (rel) => project.resolveRecordingPath(rel), channel: project.featureConfig()?.channel ?? 0,
      });
      if (values.json) io.out(JSON.stringify(report));
      else {
        io.out([
          `${report.labels} label${report.labels === 1 ? '' : 's'} of ${report.recordings} recording${report.recordings === 1 ? '' : 's'} written to ${report.outDir}:`,
          ...report.files.map((f) => `  ${f}`),
          ...(report.skipped ? [`${report.skipped} label${report.skipped === 1 ? '' : 's'} without a sound type or cluster left out.`] : []),
        ].join('\n'));
      }
      return EXIT_OK;
    } finally {
      project.close();
    }
  },
};
