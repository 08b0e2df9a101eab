/**
 * Exports a project's labels into a folder: Raven selection tables and
 * Audacity label tracks (one per recording, in the recordings' folder
 * structure), one labels.csv, or the cluster WAVs with their index.
 * Every file is written through a temporary name.
 */
import path from 'node:path';
import type { ProjectDb } from '../store/database';
import { writeAtomically, writeClusterWavs } from './export-cluster-wav';
import { collectExportLabels, perRecordingFileNames, type ExportSource } from './export-labels';
import { formatAudacityTrack, formatLabelsCsv, formatRavenTable } from './format-tables';

export type ExportFormat = 'raven' | 'audacity' | 'csv' | 'cluster-wav';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['raven', 'audacity', 'csv', 'cluster-wav'];

export interface ExportOptions {
  format: ExportFormat;
  outDir: string;
  source?: ExportSource;
  /** Absolute path of a recording stored under a relative path. */
  resolvePath: (relPath: string) => string;
  /** Channel written by cluster-wav (the project's analysed channel). */
  channel?: number;
  signal?: AbortSignal;
}

export interface ExportReport {
  format: ExportFormat;
  outDir: string;
  /** Written files, relative to outDir. */
  files: string[];
  recordings: number;
  labels: number;
  /** cluster-wav: labels without a sound type or cluster, not written. */
  skipped?: number;
}

export const RAVEN_SUFFIX = '.Table.1.selections.txt';
export const AUDACITY_SUFFIX = '.txt';
export const CSV_FILE = 'labels.csv';

export async function exportLabels(db: ProjectDb, options: ExportOptions): Promise<ExportReport> {
  const recordings = collectExportLabels(db, options.source ?? 'human');
  const labels = recordings.reduce((n, r) => n + r.labels.length, 0);
  const base = { format: options.format, outDir: options.outDir, recordings: recordings.length, labels };
  if (options.format === 'csv') {
    await writeAtomically(path.join(options.outDir, CSV_FILE), formatLabelsCsv(recordings));
    return { ...base, files: [CSV_FILE] };
  }
  if (options.format === 'cluster-wav') {
    const result = await writeClusterWavs(recordings, options.outDir, { channel: options.channel ?? 0, resolvePath: options.resolvePath, signal: options.signal });
    return { ...base, files: result.files, labels: result.members, skipped: result.skipped };
  }
  const suffix = options.format === 'raven' ? RAVEN_SUFFIX : AUDACITY_SUFFIX;
  const names = perRecordingFileNames(recordings, suffix);
  const files: string[] = [];
  for (const recording of recordings) {
    const name = names.get(recording.path)!;
    const text = options.format === 'raven' ? formatRavenTable(recording, options.resolvePath(recording.path)) : formatAudacityTrack(recording);
    await writeAtomically(path.join(options.outDir, name), text);
    files.push(name.split(path.sep).join('/'));
  }
  return { ...base, files };
}
