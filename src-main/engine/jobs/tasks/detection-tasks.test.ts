/**
 * The 'detect' and 'retrain-head' jobs in a worker thread on a tiny
 * synthetic project: progress reaches the job system, the results describe
 * what was done, and the head is retrained from the cache.
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
  it('detect in a worker, then retrain the head from the cache', async () => {
    const runner = new JobRunner(project.db);
    try {
      const events: JobProgress[] = [];
      runner.onProgress((p) => events.push(p));
      const detectJob = runner.start('detect', { backend: 'wasm', regionParams: { mergeGapSeconds: 0.3 } });
      const detected = await runner.wait(detectJob);
      expect(detected.state).toBe('succeeded');
      const result = jobResultOf(detected, 'detect')!;
      expect(result.backend).toMatch(/^wasm/);
      expect(result.recordings).toHaveLength(1);
      expect(result.work.windowsEmbedded).toBe(result.recordings[0].windows);
      expect(result.work.headTrained).toBe(true);
      expect(result.regionParams.mergeGapSeconds).toBe(0.3);
      expect(events.some((e) => e.jobId === detectJob && e.phase === 'embedding' && e.itemsLabel === 'windows')).toBe(true);

      const retrainJob = runner.start('retrain-head', { backend: 'wasm' });
      const retrained = await runner.wait(retrainJob);
      expect(retrained.state).toBe('succeeded');
      const r = retrained.result as { head: { version: number }; labelled: { windows: number }; heldOut: unknown; predictionsWritten: number };
      expect(r.head.version).toBe(2);
      expect(r.labelled.windows).toBe(result.recordings[0].windows);
      expect(r.predictionsWritten).toBe(result.recordings[0].windows);
      expect(r.heldOut).toBeNull(); // one recording: nothing to hold out
      const heads = listModels(project.db, 'silence-head');
      expect(heads.map((h) => h.version)).toEqual([2, 1]);
      // Regions of the new head, with the merge gap inherited from the previous run.
      const rec = listRecordings(project.db)[0];
      const regions = listRegions(project.db, rec.id, { modelId: heads[0].id });
      expect(regions.length).toBeGreaterThan(0);
      expect(regions[0].sourceParams).toMatchObject({ mergeGapSeconds: 0.3, headModelId: heads[0].id });
    } finally {
      await runner.shutdown();
    }
  }, 60_000);
});
