import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import type { CliCommand } from '../main';
import { UsageError, EXIT_OK } from '../exit-codes';
import { formatDuration, formatTable } from '../output';
import { integerFlag, numberFlag } from '../flag-values';
import { openProject } from '../../engine/project/open-project';
import { scanProject, type ScanReport } from '../../engine/project/scan-project';
import type { RateGroup } from '../../../src-shared/feature-types';

/**
 * `sonotype scan <folder> [--project <dir>] [--json]`
 *
 * Scans a folder of recordings into a project database. Without --project the
 * project lives in the scanned folder itself (sonotype.db beside the audio).
 */
export const scanCommand: CliCommand = {
  name: 'scan',
  synopsis: 'scan <folder> [--project <dir>] [--channel <n>] [--analysis-rate <Hz>|auto] [--json]   scan recordings into a project',
  options: {
    project: { type: 'string' },
    'analysis-rate': { type: 'string' },
    channel: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ positionals, values, io }) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one <folder>');
    const folder = resolve(positionals[0]);
    const info = await stat(folder).catch(() => null);
    if (!info?.isDirectory()) throw new UsageError(`not a folder: ${positionals[0]}`);
    const channel = integerFlag(values, 'channel');
    const analysisSampleRate = values['analysis-rate'] === 'auto' ? 'auto' : numberFlag(
      values, 'analysis-rate', (n) => Number.isInteger(n) && n >= 1000, "a whole number of Hz ≥ 1000, or auto (each recording at its rate group's rate)",
    );
    const projectDir = resolve((values.project as string | undefined) ?? folder);
    const project = await openProject(projectDir, { audioRoot: folder, channel, analysisSampleRate });
    try {
      const showProgress = io.isTty && !values.json;
      const report = await scanProject(project, {
        onFile: showProgress ? (done, path) => process.stderr.write(`\rscanning ${done}: ${path.slice(-60).padEnd(60)}`) : undefined,
      });
      if (showProgress) process.stderr.write('\r'.padEnd(80) + '\r');
      const config = project.featureConfig();
      const projectFacts: ProjectFacts = {
        dir: project.dir,
        analysisSampleRate: config?.analysisSampleRate ?? null,
        rateGroups: project.rateGroups(),
        channel: config?.channel ?? channel ?? 0,
      };
      io.out(values.json ? JSON.stringify({ ...toJson(report), project: projectFacts }) : formatReport(report, projectFacts));
      return EXIT_OK;
    } finally {
      project.close();
    }
  },
};

/** The stable machine-readable shape other tools consume. Do not rename fields. */
export function toJson(report: ScanReport) {
  return {
    recordings: report.recordings.map((r) => ({
      path: r.path,
      status: r.status,
      ...(r.error ? { error: r.error.message, errorCode: r.error.code } : {}),
      ...(r.warning ? { warning: r.warning } : {}),
      durationSeconds: r.durationSeconds,
      sampleRate: r.sampleRate,
      channels: r.channels,
      codec: r.codec,
      hash: r.hash,
    })),
    totals: report.totals,
  };
}

/** What the scan tells about the project; `analysisSampleRate` is the main rate group's (most recordings). */
interface ProjectFacts {
  dir: string;
  analysisSampleRate: number | null;
  rateGroups: RateGroup[];
  channel: number;
}

/** "2000 Hz; 48000 Hz (from 44100, 48000)": each analysis rate and the native rates resampled to it. */
function describeRates(groups: RateGroup[]): string {
  if (groups.length === 0) return 'not set: no readable recordings';
  return groups
    .map((g) => {
      const others = g.nativeRates.filter((r) => r !== g.analysisSampleRate);
      return others.length === 0 ? `${g.analysisSampleRate} Hz` : `${g.analysisSampleRate} Hz (from ${g.nativeRates.join(', ')})`;
    })
    .join('; ');
}

function formatReport(report: ScanReport, project: ProjectFacts): string {
  const rows = report.recordings.map((r) => [
    r.path,
    formatDuration(r.durationSeconds),
    r.sampleRate ? String(r.sampleRate) : '-',
    r.channels ? String(r.channels) : '-',
    r.status === 'ok' ? (r.warning ? `ok, warning: ${r.warning}` : 'ok') : `error: ${r.error?.message ?? 'unknown'}`,
  ]);
  const t = report.totals;
  const summary =
    `${t.files} files: ${t.ok} ok, ${t.errors} with errors, ${formatDuration(t.durationSeconds)} of audio` +
    ` (${t.inserted} new, ${t.updated} changed, ${t.relinked} re-linked, ${t.unchanged} unchanged, ${t.missing} missing)` +
    `\nproject: ${project.dir} (analysis ${project.rateGroups.length > 1 ? 'rates' : 'rate'} ${describeRates(project.rateGroups)}, channel ${project.channel})`;
  const folders = (t.unreadableFolders ?? []).map((f) => `\ncould not read folder ${f.path}: ${f.error.message} (its recordings were not scanned)`).join('');
  return `${formatTable(['file', 'duration', 'rate', 'channels', 'status'], rows, [false, true, true, true, false])}\n\n${summary}${folders}`;
}
