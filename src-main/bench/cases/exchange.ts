/**
 * Annotation exchange throughput on a large multi-file Raven table: 100,000
 * selections over 100 one-hour recordings (Begin File + File Offset, a kept
 * Species column, a box on every row), as a long survey's table looks.
 * Figures: a first import (parse → match → check → one transaction), a
 * re-import of the same table (every row recognised as already there), a
 * Raven export and a CSV export, in rows per second; and the app's way, an
 * 'import' job in a worker thread into a fresh project, with the process's
 * peak memory (what MAX_IMPORT_BYTES in src-shared/exchange-types.ts rests
 * on). Baseline in the same
 * run: splitting the same table with d3-dsv alone (the floor of any import).
 * No audio is needed: recordings are registered with their rate and length.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dsvFormat } from 'd3-dsv';
import type { BenchSuite } from '../types';
import { openProject } from '../../engine/project/open-project';
import { upsertScannedRecording } from '../../engine/store';
import { exportLabels } from '../../engine/exchange/export-project';
import { importAnnotationTables } from '../../engine/exchange/import-tables';
import { JobRunner } from '../../engine/jobs/job-runner';
import type { ProjectDb } from '../../engine/store/database';
import { createRng } from '../../engine/util/random';

const RECORDINGS = 100;
const ROWS = 100_000;
const RATE = 48_000;
const SECONDS = 3_600;

function ravenTable(): string {
  const rng = createRng(12);
  const lines = ['Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\tFile Offset (s)\tSpecies\tAnnotation'];
  for (let i = 0; i < ROWS; i++) {
    const file = i % RECORDINGS;
    const offset = (Math.floor(i / RECORDINGS) * 3.5 + rng() * 2).toFixed(6);
    const begin = (file * SECONDS + Number(offset)).toFixed(6);
    const low = Math.round(500 + rng() * 8000);
    lines.push([i + 1, 'Spectrogram 1', 1, begin, (Number(begin) + 0.2 + rng()).toFixed(6), low, low + 2000, `rec${String(file).padStart(3, '0')}.wav`, offset, 'Tt', 'whistle'].join('\t'));
  }
  return lines.join('\n') + '\n';
}

function registerRecordings(db: ProjectDb): void {
  for (let i = 0; i < RECORDINGS; i++) {
    upsertScannedRecording(db, {
      relPath: `rec${String(i).padStart(3, '0')}.wav`, sizeBytes: SECONDS * RATE * 2, mtimeMs: 1, hash: `h${i}`, status: 'ok',
      info: { sampleRate: RATE, channels: 1, frames: SECONDS * RATE, durationSeconds: SECONDS, codec: 'pcm_s16le', container: 'wav', bitsPerSample: 16 },
    });
  }
}

export const exchangeSuite: BenchSuite = {
  names: [
    'exchange_import_raven_100k_rows_per_s', 'exchange_reimport_raven_100k_rows_per_s', 'exchange_export_raven_100k_rows_per_s',
    'exchange_export_csv_100k_rows_per_s', 'exchange_import_job_raven_100k_rows_per_s',
  ],
  async run(ctx, emit) {
    const dir = join(ctx.tmpDir, 'exchange');
    const project = await openProject(dir, { audioRoot: dir });
    try {
      registerRecordings(project.db);
      const bytes = Buffer.from(ravenTable());
      const table = [{ name: 'survey.Table.1.selections.txt', bytes }];
      const timed = async <T>(work: () => T | Promise<T>): Promise<{ result: T; seconds: number }> => {
        const t0 = performance.now();
        const result = await work();
        return { result, seconds: (performance.now() - t0) / 1000 };
      };
      const split = await timed(() => dsvFormat('\t').parseRows(bytes.toString('utf8')).length);
      const baseline = { d3_dsv_split_only_rows_per_s: Math.round(ROWS / split.seconds) };
      ctx.log(`importing ${ROWS} rows…`);
      const first = await timed(() => importAnnotationTables(project.db, dir, table));
      if (first.result.imported !== ROWS) throw new Error(`imported ${first.result.imported} of ${ROWS} rows: ${JSON.stringify(first.result.issues.slice(0, 3))}`);
      emit({ name: 'exchange_import_raven_100k_rows_per_s', value: Math.round(ROWS / first.seconds), unit: 'rows/s', better: 'higher', detail: { seconds: first.seconds, ...baseline } });
      const again = await timed(() => importAnnotationTables(project.db, dir, table));
      if (again.result.duplicates !== ROWS) throw new Error(`re-import found ${again.result.duplicates} of ${ROWS} rows already there`);
      emit({ name: 'exchange_reimport_raven_100k_rows_per_s', value: Math.round(ROWS / again.seconds), unit: 'rows/s', better: 'higher', detail: { seconds: again.seconds, ...baseline } });
      for (const format of ['raven', 'csv'] as const) {
        const out = join(ctx.tmpDir, `exchange-${format}`);
        const written = await timed(() => exportLabels(project.db, { format, outDir: out, resolvePath: (p) => join(dir, p) }));
        const size = written.result.files.reduce((n, f) => n + readFileSync(join(out, f)).length, 0);
        emit({ name: `exchange_export_${format}_100k_rows_per_s`, value: Math.round(ROWS / written.seconds), unit: 'rows/s', better: 'higher', detail: { seconds: written.seconds, files: written.result.files.length, bytes: size } });
      }
      const tableFile = join(ctx.tmpDir, 'survey.Table.1.selections.txt');
      writeFileSync(tableFile, bytes);
      await importAsJob(join(ctx.tmpDir, 'exchange-job'), tableFile, emit);
    } finally {
      project.close();
    }
  },
};

/** The app's import: an 'import' job (worker thread) into a fresh project; peak RSS of the whole process. */
async function importAsJob(dir: string, tableFile: string, emit: Parameters<BenchSuite['run']>[1]): Promise<void> {
  const project = await openProject(dir, { audioRoot: dir });
  const runner = new JobRunner(project.db);
  try {
    registerRecordings(project.db);
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    const final = await runner.wait(runner.start('import', { tables: [{ name: 'survey.Table.1.selections.txt', path: tableFile }], options: {} }));
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const imported = (final.result as { imported?: number } | undefined)?.imported;
    if (final.state !== 'succeeded' || imported !== ROWS) throw new Error(`import job ${final.state}: imported ${imported} of ${ROWS} rows`);
    const mb = (n: number) => Math.round(n / 2 ** 20);
    emit({
      name: 'exchange_import_job_raven_100k_rows_per_s', value: Math.round(ROWS / seconds), unit: 'rows/s', better: 'higher',
      detail: { seconds, table_mb: +(statSync(tableFile).size / 2 ** 20).toFixed(1), rss_before_mb: mb(rssBefore), peak_rss_mb: mb(peak) },
    });
  } finally {
    await runner.shutdown();
    project.close();
  }
}
