/**
 * The 'train' job end to end on a tiny synthetic project: runs in a worker,
 * reports epochs/loss/windows per second, checkpoints each epoch, resumes
 * after a cancel without redoing finished epochs, and stores the encoder as a
 * new model version whose weights load back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { CHECKPOINTS_FOLDER } from '../checkpoint-store';
import { getJob } from '../../store/jobs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureWindow, reconstructWindow } from '../../models/reconstruction';
import { listRecordings } from '../../store/recordings';
import { JobRunner } from '../job-runner';
import { openProject, type Project } from '../../project/open-project';
import { scanProject } from '../../project/scan-project';
import { listModels } from '../../store/models';
import { encodeWav } from '../../testing/wav-writer';
import { synthScene } from '../../testing/synth';
import { loadStoredModel } from '../../models/encoder-registry';

let dir: string;
let project: Project;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sonotype-train-task-'));
  const audio = synthScene(16_000, [{ kind: 'whistle', startSeconds: 0.3, endSeconds: 1.0 }, { kind: 'clicks', startSeconds: 1.5, endSeconds: 2.2 }], 3, 0.002, 5);
  await writeFile(join(dir, 'scene.wav'), encodeWav([audio], { sampleRate: 16_000, format: 'pcm16' }));
  project = await openProject(dir);
  await scanProject(project);
});

afterAll(async () => {
  project?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("'train' job", () => {
  it('trains V3 with progress, survives a cancel via its checkpoint, and stores the encoder', async () => {
    const runner = new JobRunner(project.db);
    try {
      const params = { model: 'v3', epochs: 3, batchSize: 4, maxWindows: 8, seed: 3 } as const;
      const first = runner.start('train', params);
      // Cancel as soon as the first epoch's checkpoint exists (epoch 2 reported).
      await new Promise<void>((resolve) => {
        const off = runner.onProgress((p) => {
          if (p.jobId === first && p.epoch === 2) {
            off();
            runner.cancel(first);
            resolve();
          }
        });
      });
      const cancelled = await runner.wait(first);
      expect(cancelled.state).toBe('cancelled');
      expect(listModels(project.db, 'encoder-v3')).toHaveLength(0);

      const events: { epoch?: number; loss?: number; itemsPerSecond?: number }[] = [];
      runner.onProgress((p) => p.jobId !== first && events.push(p));
      const second = runner.resume(first);
      const done = await runner.wait(second);
      expect(done).toMatchObject({ state: 'succeeded', resumedFrom: first });
      // The resumed job does not redo epoch 1: it was finished and checkpointed before the cancel.
      const epochs = events.map((e) => e.epoch).filter((e): e is number => e !== undefined);
      expect(Math.min(...epochs)).toBeGreaterThanOrEqual(2);
      expect(events.some((e) => typeof e.loss === 'number' && (e.itemsPerSecond ?? 0) > 0)).toBe(true);
      const [model] = listModels(project.db, 'encoder-v3');
      expect(model.metrics.lossCurve).toHaveLength(3);
      const encoder = await loadStoredModel(project.dir, model);
      expect(encoder.outputs[0].shape).toEqual([null, 128]);
      encoder.dispose();
      // Its next-frame predictor is kept too: the figures show a predicted next frame beside the real one.
      const recordingId = listRecordings(project.db)[0].id;
      const figure = await reconstructWindow(project, recordingId, 0);
      expect(figure).toMatchObject({ kind: 'next-frame', modelLabel: `encoder-v3 v${model.version}`, frames: 1, bins: 256 });
      expect(figure!.input).toHaveLength(256);
      expect(figure!.output).toHaveLength(256);
      expect(figure!.output.every(Number.isFinite)).toBe(true);
      // The real next frame is the frame after the window, normalised with it: not the window's own last frame.
      const window = await featureWindow(project, recordingId, 0, undefined, 1);
      expect(figure!.input).toEqual(Array.from(window.data.subarray(32 * 256)));
      // Both jobs' checkpoints are gone: the resumed one succeeded, so the one it continued is of no further use.
      expect(existsSync(join(dir, CHECKPOINTS_FOLDER)) ? readdirSync(join(dir, CHECKPOINTS_FOLDER)) : []).toEqual([]);
      expect(getJob(project.db, first)!.checkpointPath).toBeNull();
    } finally {
      await runner.shutdown();
    }
  }, 180_000);
});
