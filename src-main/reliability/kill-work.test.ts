/**
 * Kill -9 in the middle of long work, 5 seeded trials each: an annotation
 * import, detection, head retraining, model saving and encoder training.
 * After every kill the project opens with a clean database (integrity and
 * foreign keys), every model record has its files, no job is left 'running',
 * and an import is all or nothing (and one undo step); after the trials, a
 * run of the same work completes (training resumes from its checkpoint).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectProject } from '../engine/detection/detect-project';
import { retrainDetector } from '../engine/detection/retrain-detector';
import { JobRunner } from '../engine/jobs/job-runner';
import { initBackend } from '../engine/models/backend';
import { loadStoredModel } from '../engine/models/encoder-registry';
import { openProject } from '../engine/project/open-project';
import { scanProject } from '../engine/project/scan-project';
import { listJobs } from '../engine/store/jobs';
import { redoEdit, undoLastEdit } from '../engine/store/label-history';
import { listModels } from '../engine/store/models';
import { addHumanLabels, addRecording, runWorkTrials, trialScene } from '../engine/testing/reliability/work-trials';
import { createRng } from '../engine/util/random';

const TRIALS = 5;
const IMPORT_ROWS = 1500;

describe('kill -9 during long work', () => {
  let dir: string;
  const rng = createRng(17);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sonotype-kill-work-'));
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, `r${i}.wav`), trialScene(40 + i));
    const project = await openProject(dir);
    await scanProject(project);
    project.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('import: all or nothing per table', async () => {
    const series = await runWorkTrials('import', dir, TRIALS, rng);
    expect(series.problems).toEqual([]);
    expect(series.kills).toBe(TRIALS);
    const project = await openProject(dir);
    try {
      const tables = () => project.db.sql.prepare('SELECT source_table AS name, count(*) AS n FROM labels WHERE source_table IS NOT NULL AND deleted = 0 GROUP BY source_table').all() as { name: string; n: number }[];
      const imported = tables();
      expect(imported.length).toBeGreaterThan(0);
      for (const { n } of imported) expect(n).toBe(IMPORT_ROWS);
      // Undo takes back the last committed import as one step, and redo brings it back.
      expect(undoLastEdit(project.db)).not.toBeNull();
      expect(tables()).toHaveLength(imported.length - 1);
      expect(redoEdit(project.db)).not.toBeNull();
      expect(tables()).toEqual(imported);
    } finally {
      project.close();
    }
  }, 240_000);

  it('detect: the next run completes the interrupted work', async () => {
    // Each trial brings a new recording, so there is detection work to interrupt (as when a card is added).
    const series = await runWorkTrials('detect', dir, TRIALS, rng, (attempt) => addRecording(dir, `new-${attempt}.wav`, 60 + attempt));
    expect(series.problems).toEqual([]);
    expect(series.kills).toBe(TRIALS);
    const project = await openProject(dir);
    try {
      const result = await detectProject(project, { backend: 'wasm' });
      expect(result.failures).toEqual([]);
      expect(result.recordings.length).toBe(3 + series.attempts);
      for (const r of result.recordings) expect(r.regions.at(-1)?.endSample).toBe(8 * 8000);
    } finally {
      project.close();
    }
  }, 300_000);

  it('head retraining and model saving: no record without files, the next run completes', async () => {
    await addHumanLabels(dir);
    for (const kind of ['retrain-head', 'model-save'] as const) {
      const series = await runWorkTrials(kind, dir, TRIALS, rng);
      expect(series.problems, kind).toEqual([]);
      expect(series.kills, kind).toBe(TRIALS);
    }
    await initBackend('wasm');
    const project = await openProject(dir);
    try {
      const result = await retrainDetector(project, { seed: 5 });
      expect(result.labelled.windows).toBeGreaterThan(0);
      for (const m of listModels(project.db, 'kill-trial-head').slice(0, 3)) (await loadStoredModel(dir, m)).dispose();
    } finally {
      project.close();
    }
  }, 300_000);

  it('training: resumes from its checkpoint after the kills', async () => {
    const series = await runWorkTrials('train', dir, TRIALS, rng);
    expect(series.problems).toEqual([]);
    expect(series.kills).toBe(TRIALS);
    const project = await openProject(dir);
    const runner = new JobRunner(project.db);
    try {
      const last = listJobs(project.db, { states: ['failed'] }).find((j) => j.kind === 'train')!;
      expect(last.error?.message).toBe('interrupted');
      const final = await runner.wait(runner.resume(last.id));
      expect(final.state).toBe('succeeded');
    } finally {
      await runner.shutdown();
      project.close();
    }
  }, 300_000);
});
