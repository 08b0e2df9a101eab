/**
 * Silence-head retrain + re-derive of every region for 100,000 cached
 * windows: the loop a researcher waits on after correcting labels. A temp
 * project gets 10 recordings × 10,000 windows with synthetic 128-d embeddings
 * (two overlapping Gaussian classes) and heuristic labels, then
 * retrainHead() runs from the cache (no audio exists: it could not run the
 * encoder even if it tried). The figure is a warm retrain including the
 * held-out evaluation (a second, half-budget head), as in the app; the cold
 * first retrain and a retrain without evaluation are in `detail`.
 */
import { join } from 'node:path';
import type { BenchSuite } from '../types';
import { openProject } from '../../engine/project/open-project';
import { defaultFeatureConfig, windowSpans } from '../../engine/features';
import { initBackend } from '../../engine/models/backend';
import {
  createModel, ensureFeatureConfig, listWindows, putEmbeddings, replaceWindows, setSetting, upsertMachineLabels, upsertScannedRecording,
} from '../../engine/store';
import { retrainHead } from '../../engine/detection/retrain-head';
import { windowDecisionsToLabelRanges } from '../../engine/detection/window-labels';
import { createRng, gaussian } from '../../engine/testing/synth';

const RECORDINGS = 10;
const WINDOWS_PER_RECORDING = 10_000;
const RATE = 48_000;
const DIMS = 128;

export const headRetrainSuite: BenchSuite = {
  names: ['head_retrain_rederive_100k_windows_s'],
  async run(ctx, emit) {
    const backend = await initBackend('auto');
    const project = await openProject(join(ctx.tmpDir, 'head-retrain'), { audioRoot: join(ctx.tmpDir, 'head-retrain') });
    try {
      setSetting(project.db, 'analysisSampleRate', RATE);
      const config = project.featureConfig()!;
      const fcId = ensureFeatureConfig(project.db, config);
      const encoder = createModel(project.db, { kind: 'encoder-v3', featureConfigId: fcId, normalisation: { mode: 'window' } });
      const rng = createRng(5);
      // Enough analysis samples for exactly WINDOWS_PER_RECORDING windows (stride 16 hops of 256).
      const samples = (WINDOWS_PER_RECORDING - 1) * 16 * 256 + 32 * 256 + 256;
      ctx.log(`writing ${RECORDINGS * WINDOWS_PER_RECORDING} windows with embeddings and labels`);
      for (let r = 0; r < RECORDINGS; r++) {
        const { id } = project.db.transaction(() =>
          upsertScannedRecording(project.db, {
            relPath: `rec-${r}.wav`, sizeBytes: samples * 2 + 44, mtimeMs: 1_700_000_000_000, hash: `bench-${r}`, status: 'ok',
            info: { sampleRate: RATE, channels: 1, frames: samples, durationSeconds: samples / RATE, codec: 'pcm_s16le', container: 'wav', bitsPerSample: 16 },
          }),
        );
        const spans = windowSpans(samples, RATE, samples, defaultFeatureConfig(RATE)).slice(0, WINDOWS_PER_RECORDING);
        replaceWindows(project.db, id, fcId, spans);
        const windows = listWindows(project.db, id, fcId);
        // Runs of silence and sound, a few seconds each; embeddings drawn around a per-class mean.
        const silent: boolean[] = [];
        let state = true;
        for (let i = 0; i < windows.length; i++) {
          if (rng() < 0.03) state = !state;
          silent.push(state);
        }
        putEmbeddings(project.db, encoder.id, windows.map((w, i) => {
          const v = new Float32Array(DIMS);
          for (let d = 0; d < DIMS; d++) v[d] = (silent[i] ? 0.3 : -0.3) * (d % 3 === 0 ? 1 : 0) + gaussian(rng);
          return { windowId: w.id, vector: v };
        }));
        upsertMachineLabels(project.db, id, 'heuristic', windowDecisionsToLabelRanges(windows, silent, samples), 'bench');
      }
      ctx.log(`retraining on ${backend.name}`);
      // A first, cold retrain (tfjs kernel set-up, JIT) is reported separately; the figure is a warm retrain.
      const coldStart = performance.now();
      await retrainHead(project, { evaluate: false });
      const coldWithoutEvaluation = (performance.now() - coldStart) / 1000;
      const started = performance.now();
      // When each phase began, to see where the time goes (training includes the held-out head).
      const phaseStart: Record<string, number> = {};
      const result = await retrainHead(project, {
        onProgress: (p) => {
          phaseStart[p.phase] ??= Math.round(performance.now() - started) / 1000;
        },
      });
      const seconds = (performance.now() - started) / 1000;
      // The same without the held-out evaluation (one head instead of two), for reading the figure.
      const quickStart = performance.now();
      await retrainHead(project, { evaluate: false });
      const withoutEvaluation = (performance.now() - quickStart) / 1000;
      emit({
        name: 'head_retrain_rederive_100k_windows_s',
        value: Math.round(seconds * 100) / 100,
        unit: 's',
        better: 'lower',
        target: 5,
        detail: {
          backend: backend.name,
          windows: result.predictionsWritten,
          recordings: result.regionsDerived,
          trainingSeconds: Math.round(result.training.seconds * 100) / 100,
          examples: result.training.examples,
          epochs: result.training.epochs,
          heldOutEvaluation: result.heldOut !== null,
          phaseStartSeconds: phaseStart,
          withoutEvaluationSeconds: Math.round(withoutEvaluation * 100) / 100,
          coldWithoutEvaluationSeconds: Math.round(coldWithoutEvaluation * 100) / 100,
        },
      });
    } finally {
      project.close();
    }
  },
};
