/**
 * Child process of the kill -9 trials during long work (not a test itself):
 * runs one kind of work on a project and reports every step as a JSON line,
 * so the parent can SIGKILL it in the middle of that work.
 *
 * Usage: node --import tsx work-child.ts <kind> <projectDir> [<arg>]
 * Kinds:
 *   detect        detection of the whole project (only missing work, as `sonotype detect`)
 *   retrain-head  retrains the silence head from the labels, again and again
 *   train         the 'train' job (worker thread, checkpoints) of a tiny V3 encoder
 *   model-save    saves a model as new versions, again and again
 *   import        imports annotation tables of <arg> rows each, again and again (one transaction each)
 * Lines: {"step":"started"}, {"step":"progress",…}, {"step":"committed",…}, {"step":"done"}.
 */
import { dirname } from 'node:path';
import { toErrorInfo } from '../../../../src-shared/errors';
import { openProject } from '../../project/open-project';
import { listRecordings } from '../../store/recordings';

// Each kind loads only what it uses (a kill trial's cost is mostly the child's start).

const report = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

/** A Raven-style selection table of `rows` selections on `recording`, distinct per `table`. */
export function trialTable(recording: string, rows: number, table: number, durationSeconds: number): string {
  const lines = ['Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tBegin File\tAnnotation'];
  for (let i = 0; i < rows; i++) {
    // Distinct spans within a table (an import skips duplicates), shifted per table.
    const start = (i * (durationSeconds - 0.3)) / rows + (table % 100) * 1e-3;
    lines.push(`${i + 1}\tSpectrogram 1\t1\t${start.toFixed(4)}\t${(start + 0.1).toFixed(4)}\t${recording}\ttable ${table}`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const [kind, projectDir, arg] = process.argv.slice(2);
  const project = await openProject(projectDir);
  report({ step: 'started', kind });
  try {
    switch (kind) {
      case 'detect': {
        const { detectProject } = await import('../../detection/detect-project');
        await detectProject(project, { backend: 'wasm', onProgress: (p) => report({ step: 'progress', phase: p.phase, done: p.done, total: p.total }) });
        break;
      }
      case 'retrain-head': {
        const { retrainDetector } = await import('../../detection/retrain-detector');
        for (let round = 0; ; round++) {
          await retrainDetector(project, { seed: round + 1, onProgress: (p) => report({ step: 'progress', phase: p.phase, done: p.done, total: p.total }) });
          report({ step: 'committed', round });
        }
      }
      case 'train': {
        const { JobRunner } = await import('../../jobs/job-runner');
        const runner = new JobRunner(project.db);
        const id = runner.start('train', { model: 'v3', epochs: 3, batchSize: 4, maxWindows: 4, seed: 3, workers: 1 });
        runner.onProgress((p) => p.jobId === id && report({ step: 'progress', phase: p.phase, epoch: p.epoch ?? null, done: p.done }));
        const final = await runner.wait(id);
        report({ step: 'committed', state: final.state });
        await runner.shutdown();
        break;
      }
      case 'model-save': {
        const [{ initBackend }, { storeModel }, { buildSilenceHead }, { defaultFeatureConfig }] = await Promise.all([
          import('../../models/backend'), import('../../models/model-store'), import('../../models/silence-head'), import('../../features'),
        ]);
        await initBackend('wasm');
        const config = project.featureConfig() ?? defaultFeatureConfig(16_000);
        const head = buildSilenceHead({ seed: 1 });
        for (;;) {
          const stored = await storeModel(dirname(project.db.path), project.db, head, { kind: 'kill-trial-head', featureConfig: config, normalisation: {} });
          report({ step: 'committed', version: stored.version });
        }
      }
      case 'import': {
        const { importAnnotationTables } = await import('../../exchange/import-tables');
        const rows = Number(arg ?? 2000);
        const recording = listRecordings(project.db).find((r) => r.status === 'ok')!;
        for (let table = 0; ; table++) {
          const bytes = new TextEncoder().encode(trialTable(recording.path, rows, table, recording.durationSeconds ?? 1));
          importAnnotationTables(project.db, project.audioRoot, [{ name: `trial-${table}.txt`, bytes }], { format: 'raven' });
          report({ step: 'committed', table });
        }
      }
      default:
        throw new Error(`unknown kind ${kind}`);
    }
    report({ step: 'done' });
  } catch (error) {
    report({ step: 'error', error: toErrorInfo(error) });
  } finally {
    project.close();
  }
}

await main();
