import { resolve } from 'node:path';
import type { CliCommand } from '../main';
import { UsageError, EXIT_OK, EXIT_FAILURE } from '../exit-codes';
import { findProjectFor, openProject } from '../../engine/project/open-project';
import { JobRunner } from '../../engine/jobs';
import { listJobs } from '../../engine/store/jobs';
import { followJob } from '../job-progress';
import { integerFlag } from '../flag-values';
import { jobResultOf } from '../../../src-shared/job-kinds';

/**
 * `sonotype train --model v1|v3 [--epochs N] [--batch N] [--windows N] [--project <dir>] [--resume] [--json]`
 *
 * Trains an encoder unsupervised on the project's windows in a background
 * worker (the same job the app runs), with a progress bar, or JSON lines with
 * --json. Ctrl-C cancels; --resume continues the last unfinished training
 * from its checkpoint.
 */
export const trainCommand: CliCommand = {
  name: 'train',
  synopsis: 'train --model v1|v3 [--epochs N] [--batch N] [--windows N] [--predict-frames 1|10] [--project <dir>] [--resume] [--json]   train an encoder',
  options: {
    model: { type: 'string' },
    epochs: { type: 'string' },
    batch: { type: 'string' },
    windows: { type: 'string' },
    'predict-frames': { type: 'string' },
    project: { type: 'string' },
    resume: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  async run({ positionals, values, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const int = (name: string, min: number) => integerFlag(values, name, min);
    const model = values.model === 'v1' || values.model === 'v3' ? values.model : undefined;
    if (!values.resume && !model) throw new UsageError('--model v1 or --model v3 is required');
    const predictFrames = int('predict-frames', 1);
    if (predictFrames !== undefined && predictFrames !== 1 && predictFrames !== 10) throw new UsageError('--predict-frames must be 1 or 10');
    const projectDir = values.project ? resolve(values.project as string) : await findProjectFor(resolve('sonotype.db'));
    if (!projectDir) throw new UsageError('no project here: pass --project <dir> (a folder scanned with `sonotype scan`)');
    const project = await openProject(projectDir);
    const runner = new JobRunner(project.db);
    try {
      let jobId: number;
      if (values.resume) {
        const last = listJobs(project.db, { states: ['failed', 'cancelled'] }).find((j) => j.kind === 'train');
        if (!last) throw new UsageError('there is no interrupted training to resume');
        // Stopped before its first checkpoint: the runner starts it over with the same settings.
        jobId = runner.resume(last.id);
        io.err(last.checkpointPath
          ? `Resuming training job ${last.id} as job ${jobId}.`
          : `Training job ${last.id} stopped before its first checkpoint; starting it over with the same settings as job ${jobId}.`);
      } else if (model) {
        jobId = runner.start('train', {
          model, epochs: int('epochs', 1), batchSize: int('batch', 1), maxWindows: int('windows', 1), predictFrames,
        });
      } else {
        throw new UsageError('--model v1 or --model v3 is required');
      }
      const final = await followJob(runner, jobId, { json: Boolean(values.json), io });
      if (final.state === 'succeeded') {
        if (!values.json) {
          const r = jobResultOf(final, 'train');
          if (r && 'modelId' in r) {
            io.out(`Trained ${r.kind} v${r.version}: final loss ${r.finalLoss?.toFixed(4)}, ${r.windowsPerSecond.toFixed(1)} windows/s. Run \`sonotype detect\` to use it.`);
          }
        }
        return EXIT_OK;
      }
      if (!values.json) io.err(final.state === 'cancelled' ? 'Training cancelled; resume with --resume.' : `Training failed: ${final.error?.message}`);
      return EXIT_FAILURE;
    } finally {
      await runner.shutdown();
      project.close();
    }
  },
};
