/**
 * 'train' jobs: unsupervised training of an encoder (Convnet V1 or LSTM V3) on
 * a sample of the project's windows. Checkpoints after every epoch (weights +
 * epoch), so a cancelled or crashed run resumes where it stopped; the final
 * encoder is saved as a new model version of the project.
 */
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { SonotypeError } from '../../../../src-shared/errors';
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import type { JobContext } from '../task-context';
import { batchProgress } from './train-progress';
import { openProject } from '../../project/open-project';
import { listRecordings } from '../../store/recordings';
import { initBackend } from '../../models/backend';
import { assertModelInput, storeModel, type EncoderKind } from '../../models/encoder-registry';
import { collectTrainingWindows } from '../../models/training-windows';
import { createEncoderTrainer, disposeTrainer, trainEncoder } from '../../models/train-encoder';
import { loadLayersModel, serializeLayersModel } from '../../models/model-io';
import { AUTOENCODER_SUBFOLDER, PREDICTOR_SUBFOLDER } from '../../models/autoencoder-files';

interface TrainCheckpoint {
  nextEpoch: number;
  lossCurve: { epoch: number; loss: number }[];
}

/** Params and result: JOB_KINDS.train (src-shared/job-kinds.ts). */
export async function run(ctx: JobContext<'train'>, params: JobParams<'train'>): Promise<JobResult<'train'>> {
  const kind: EncoderKind = params.model === 'v1' ? 'encoder-v1' : params.model === 'v3' ? 'encoder-v3' : (() => {
    throw new SonotypeError('INVALID_ARGUMENT', `Unknown model "${String(params.model)}": use v1 or v3.`);
  })();
  const epochs = params.epochs ?? 5;
  const batchSize = params.batchSize ?? 32;
  const project = await openProject(dirname(ctx.dbPath), { recoverInterruptedJobs: false });
  try {
    const config = project.featureConfig();
    if (!config) throw new SonotypeError('INVALID_CONFIG', 'The project has no readable recordings yet: scan it first.');
    assertModelInput(config);
    const backend = await initBackend();
    const recordings = listRecordings(project.db).filter((r) => r.status === 'ok' && r.sampleRate && r.frames && r.channels);
    ctx.report({ phase: 'reading windows', done: 0, total: recordings.length, itemsLabel: 'recordings', message: backend.reason });
    const trainerOptions = { predictFrames: params.predictFrames, seed: params.seed, learningRate: params.learningRate };
    const trainer = createEncoderTrainer(kind, trainerOptions);
    try {
      const windows = await collectTrainingWindows(
        recordings.map((r) => ({ absPath: project.resolveRecordingPath(r.path), sampleRate: r.sampleRate!, frames: r.frames!, channels: r.channels! })),
        config,
        { maxWindows: params.maxWindows ?? 2000, extraFrames: trainer.targetFrames, seed: params.seed, signal: ctx.signal, onProgress: (done) => ctx.report({ done }) },
      );
      const resumed = ctx.resume?.state as TrainCheckpoint | undefined;
      if (resumed && ctx.resume) {
        // Weights come back from the checkpoint; the optimiser's moments start afresh (documented limitation).
        const { model } = await loadLayersModel(ctx.resume.dir);
        trainer.trainer.setWeights(model.getWeights());
        model.dispose();
      }
      const lossCurve = resumed?.lossCurve ?? [];
      const batches = Math.ceil(windows.count / batchSize);
      ctx.report({ phase: 'training', done: (resumed?.nextEpoch ?? 0) * batches, total: epochs * batches, itemsLabel: 'batches', epochs, message: resumed ? `resumed at epoch ${resumed.nextEpoch + 1}` : undefined });
      const result = await trainEncoder(trainer, windows, {
        epochs, batchSize, startEpoch: resumed?.nextEpoch ?? 0, seed: params.seed, workers: params.workers ?? availableParallelism(), signal: ctx.signal, isCancelled: () => ctx.isCancelled(),
        onBatch: (p) => ctx.report(batchProgress(p, epochs, batchSize)),
        onEpochEnd: async (epoch, loss) => {
          lossCurve.push({ epoch, loss });
          if (epoch + 1 < epochs) await ctx.checkpoint({ nextEpoch: epoch + 1, lossCurve } as never, await serializeLayersModel(trainer.trainer));
        },
      });
      const metrics = {
        origin: 'trained on this project', lossCurve, finalLoss: lossCurve.at(-1)?.loss ?? null, epochs, batchSize,
        windows: windows.count, windowsSeen: windows.seen, windowsPerSecond: result.windowsPerSecond, backend: backend.name, workers: params.workers ?? availableParallelism(),
      };
      if (params.dryRun) return { kind, metrics };
      ctx.report({ phase: 'saving', message: undefined });
      const stored = await storeModel(project.dir, project.db, trainer.encoder, {
        kind, featureConfig: config, normalisation: { mode: config.normalisation }, metrics,
        // The loss curve also goes next to the weights, for the app's training plot.
        extraFiles: { 'training.json': JSON.stringify({ lossCurve, params }) },
        // Convnet V1: the whole auto-encoder too, so the app can show reconstructions (the encoder alone cannot decode).
        // The folder name is read back by engine/models/autoencoder-files.ts.
        // LSTM V3: the predictor (encoder + next-frame head), so the app can show predicted vs real next frames.
        extraModels: kind === 'encoder-v1'
          ? { [AUTOENCODER_SUBFOLDER]: { model: trainer.trainer, metadata: { kind: 'autoencoder-v1' } } }
          : { [PREDICTOR_SUBFOLDER]: { model: trainer.trainer, metadata: { kind: 'predictor-v3', predictFrames: trainer.targetFrames } } },
      });
      return { modelId: stored.id, kind, version: stored.version, finalLoss: metrics.finalLoss, windowsPerSecond: result.windowsPerSecond };
    } finally {
      disposeTrainer(trainer);
    }
  } finally {
    project.close();
  }
}
