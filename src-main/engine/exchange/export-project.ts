/**
 * Exports a project's labels into a folder: Raven selection tables and
 * Audacity label tracks (one per recording, in the recordings' folder
 * structure), one labels.csv, or the cluster WAVs with their index.
 * Every file is written through a temporary name.
 */
import path from 'node:path';
import type { ExportFormat, ExportReport } from '../../../src-shared/exchange-types';
import type { ProjectDb } from '../store/database';
import { clusterItems } from './cluster-items';
import { writeAtomically, writeClusterWavs } from './export-cluster-wav';
import { checkOverwrites, recordExport } from './export-manifest';
import { throwIfAborted } from '../audio/fs-errors';
import { collectExportLabels, perRecordingFileNames, type ExportSource } from './export-labels';
import { formatAudacityTrack, formatLabelsCsv, formatRavenTable } from './format-tables';

export { EXPORT_FORMATS, type ExportFormat, type ExportReport } from '../../../src-shared/exchange-types';

export interface ExportOptions {
  format: ExportFormat;
  outDir: string;
  source?: ExportSource;
  /** Absolute path of a recording stored under a relative path. */
  resolvePath: (relPath: string) => string;
  /** Channel written by cluster-wav (the project's analysed channel). */
  channel?: number;
  signal?: AbortSignal;
  /** Files (or, for cluster-wav, sounds) written so far of the total. */
  onProgress?: (done: number, total: number) => void;
}

export const RAVEN_SUFFIX = '.Table.1.selections.txt';
export const AUDACITY_SUFFIX = '.txt';
export const CSV_FILE = 'labels.csv';

export async function exportLabels(db: ProjectDb, options: ExportOptions): Promise<ExportReport> {
  const recordings = collectExportLabels(db, options.source ?? 'human');
  const labels = recordings.reduce((n, r) => n + r.labels.length, 0);
  const base = { format: options.format, outDir: options.outDir, recordings: recordings.length, labels };
  let report: ExportReport;
  if (options.format === 'csv') {
    checkOverwrites(options.outDir, [CSV_FILE]);
    await writeAtomically(path.join(options.outDir, CSV_FILE), formatLabelsCsv(recordings));
    report = { ...base, files: [CSV_FILE] };
  } else if (options.format === 'cluster-wav') {
    const { items, skipped } = clusterItems(db, recordings);
    const result = await writeClusterWavs(items, options.outDir, {
      channel: options.channel ?? 0, resolvePath: options.resolvePath, signal: options.signal, onProgress: options.onProgress,
      beforeWriting: (files) => checkOverwrites(options.outDir, files),
    });
    report = { ...base, files: result.files, labels: result.members, skipped };
  } else {
    const suffix = options.format === 'raven' ? RAVEN_SUFFIX : AUDACITY_SUFFIX;
    const names = perRecordingFileNames(recordings, suffix);
    const files = recordings.map((r) => names.get(r.path)!);
    checkOverwrites(options.outDir, files);
    for (const [i, recording] of recordings.entries()) {
      throwIfAborted(options.signal);
      options.onProgress?.(i, recordings.length);
      const text = options.format === 'raven' ? formatRavenTable(recording, options.resolvePath(recording.path)) : formatAudacityTrack(recording);
      await writeAtomically(path.join(options.outDir, ...files[i].split('/')), text);
    }
    report = { ...base, files };
  }
  await recordExport(options.outDir, report.files);
  return report;
}
