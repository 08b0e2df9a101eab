/**
 * The 'detect' and 'retrain-head' jobs in a worker thread on a tiny
 * synthetic project: progress reaches the job system, the results describe
 * what was done, and the head is retrained from the cached frame features.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobProgress } from '../../../../src-shared/job-types';
import { JobRunner } from '../job-runner';
import { openProject, type Project } from '../../project/open-project';
import { scanProject } from '../../project/scan-project';
import { listModels } from '../../store/models';
import { listRegions } from '../../store/regions';
import { listRecordings } from '../../store/recordings';
import { encodeWav } from '../../testing/wav-writer';
import { synthScene } from '../../testing/synth';
import { jobResultOf } from '../../../../src-shared/job-kinds';
import { createLabel } from '../../store/labels';

const RATE = 16_000;
let dir: string;
let project: Project;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sonotype-detect-task-'));
  const audio = synthScene(RATE, [{ kind: 'whistle', startSeconds: 2, endSeconds: 4 }, { kind: 'burst', startSeconds: 6, endSeconds: 7.5 }], 9, 0.002, 5);
  await writeFile(join(dir, 'scene.wav'), encodeWav([audio], { sampleRate: RATE, format: 'pcm16' }));
  project = await openProject(dir);
  await scanProject(project);
});

afterAll(async () => {
  project?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("'detect' and 'retrain-head' jobs", () => {
  it('detect in a worker, then retrain the head from the cached frames', async () => {
    const runner = new JobRunner(project.db);
    try {
      const events: JobProgress[] = [];
      runner.onProgress((p) => events.push(p));
      const detectJob = runner.start('detect', { regionParams: { mergeGapSeconds: 0.3 } });
      const detected = await runner.wait(detectJob);
      expect(detected.state).toBe('succeeded');
      const result = jobResultOf(detected, 'detect')!;
      expect(result.model).toMatch(/teacher/);
      expect(result.recordings).toHaveLength(1);
      expect(result.work.recordingsDecoded).toBe(1);
      expect(result.recordings[0].frames).toBeGreaterThan(9 * 190);
      expect(result.regionParams.mergeGapSeconds).toBe(0.3);
      expect(events.some((e) => e.jobId === detectJob && e.phase === 'features' && e.itemsLabel === 'seconds')).toBe(true);

      // A person marks the whistle as sound and a quiet stretch as silence; the retrain learns from them.
      const rec = listRecordings(project.db)[0];
      createLabel(project.db, { recordingId: rec.id, startSample: 2 * RATE, endSample: 4 * RATE, value: 'sound' });
      createLabel(project.db, { recordingId: rec.id, startSample: 4.5 * RATE, endSample: 5.5 * RATE, value: 'silence' });
      const retrainJob = runner.start('retrain-head', {});
      const retrained = await runner.wait(retrainJob);
      expect(retrained.state).toBe('succeeded');
      const r = jobResultOf(retrained, 'retrain-head')!;
      expect(r.head.version).toBe(2);
      expect(r.head.type).toBe('boosted');
      expect(r.labelled.sound).toBeGreaterThan(0);
      expect(r.labelled.silence).toBeGreaterThan(0);
      expect(r.heldOut?.by).toBe('time-block'); // one recording: folds are blocks of time
      expect(typeof r.adopted).toBe('boolean');
      const heads = listModels(project.db, 'detection-head');
      expect(heads.map((h) => h.version)).toEqual([2, 1]);
      // Regions of the active head, with the merge gap inherited from the previous run.
      const regions = listRegions(project.db, rec.id, { modelId: r.activeHeadId });
      expect(regions.length).toBeGreaterThan(0);
      expect(regions[0].sourceParams).toMatchObject({ mergeGapSeconds: 0.3, headModelId: r.activeHeadId });
    } finally {
      await runner.shutdown();
    }
  }, 60_000);
});
