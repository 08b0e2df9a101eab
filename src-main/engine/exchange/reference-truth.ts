/**
 * The project's reference labels (imported with --as reference) as a truth
 * table for evaluation: every reference label that is a sound (not
 * 'silence'), written as a CSV the evaluation reads like any other table
 * (recording path under the audio root, start/end in seconds, label).
 */
import type { ProjectDb } from '../store/database';
import { writeAtomically } from './export-cluster-wav';
import { collectExportLabels, formatSeconds } from './export-labels';
import { csvFormatRows } from 'd3-dsv';

/** Writes the reference truth to `file`; returns how many events it holds. */
export async function writeReferenceTruth(db: ProjectDb, file: string): Promise<number> {
  const rows: string[][] = [];
  for (const r of collectExportLabels(db, 'reference')) {
    for (const l of r.labels) {
      if (l.value === 'silence') continue;
      rows.push([r.path, formatSeconds(l.startSample, r.sampleRate), formatSeconds(l.endSample, r.sampleRate), l.soundType ?? l.value]);
    }
  }
  await writeAtomically(file, csvFormatRows([['recording', 'start_s', 'end_s', 'label'], ...rows]) + '\n');
  return rows.length;
}
