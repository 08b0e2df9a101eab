/**
 * Kill -9 in the middle of long work, 5 seeded trials each: an annotation
 * import, detection, head retraining, model saving and encoder training.
 * After every kill the project opens with a clean database (integrity and
 * foreign keys), every model record has its files, no job is left 'running',
 * and an import is all or nothing; after the trials, a run of the same work
 * completes (training resumes from its checkpoint).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectProject } from '../engine/detection/detect-project';
import { retrainDetector } from '../engine/detection/retrain-detector';
import { JobRunner } from '../engine/jobs/job-runner';
import { initBackend } from '../engine/models/backend';
import { loadStoredModel } from '../engine/models/encoder-registry';
import { hasModelFiles } from '../engine/store/model-folders';
import { openProject } from '../engine/project/open-project';
import { scanProject } from '../engine/project/scan-project';
import { openProjectDb, projectDbPath } from '../engine/store/database';
import { modelIdsWithPayload } from '../engine/store/frame-data';
import { listJobs } from '../engine/store/jobs';
import { listModels } from '../engine/store/models';
import { runMonitored } from '../engine/testing/reliability/child-monitor';
import { concat, digitalSilence, synthScene } from '../engine/testing/synth';
import { encodeWav } from '../engine/testing/wav-writer';
import { createRng } from '../engine/util/random';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, '../engine/testing/reliability/work-child.ts');
const TRIALS = 5;
const IMPORT_ROWS = 1500;

interface Report { step: string; phase?: string; table?: number }

describe('kill -9 during long work', () => {
  let dir: string;
  const rng = createRng(17);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sonotype-kill-work-'));
    for (let i = 0; i < 3; i++) {
      const audio = concat(synthScene(8000, [{ kind: 'whistle', startSeconds: 0.5, endSeconds: 2 }, { kind: 'clicks', startSeconds: 3, endSeconds: 4 }], 5, 0.01, 40 + i), digitalSilence(8000, 3));
      writeFileSync(join(dir, `r${i}.wav`), encodeWav([audio], { sampleRate: 8000, format: 'pcm16' }));
    }
    const project = await openProject(dir);
    await scanProject(project);
    project.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the child and SIGKILLs it once `killAfter` reports came in, plus a seeded delay; returns whether the kill landed. */
  async function killTrial(kind: string, killAfter: number, arg?: string): Promise<{ killed: boolean; reports: Report[] }> {
    const delay = Math.floor(rng() * 150);
    let seen = 0;
    const run = await runMonitored<Report>(CHILD, [kind, dir, ...(arg ? [arg] : [])], { stallMs: 120_000 }, (report, kill) => {
      if (report.step === 'error') return;
      if (++seen === killAfter) setTimeout(() => kill('SIGKILL'), delay);
    });
    const failure = run.reports.find((r) => r.step === 'error');
    if (failure) throw new Error(`${kind} child failed: ${JSON.stringify(failure)}`);
    return { killed: run.outcome === 'killed' && run.signal === 'SIGKILL', reports: run.reports };
  }

  /**
   * What every kill must leave: a clean database, every model with its files (or its payload in the
   * database), and, once the project is opened, no job still 'running'. Checked on the raw database
   * first, so opening's repair cannot hide a broken record.
   */
  async function expectCleanProject(label: string): Promise<void> {
    const db = openProjectDb(projectDbPath(dir), { recoverInterruptedJobs: false });
    try {
      expect(String(db.sql.pragma('integrity_check', { simple: true })), label).toBe('ok');
      expect(db.sql.pragma('foreign_key_check'), label).toEqual([]);
      const inDatabase = modelIdsWithPayload(db);
      expect(listModels(db).filter((m) => !inDatabase.has(m.id) && !hasModelFiles(dir, m)).map((m) => m.kind), label).toEqual([]);
    } finally {
      db.close();
    }
    const project = await openProject(dir);
    try {
      expect(listJobs(project.db, { states: ['running'] }), label).toEqual([]);
    } finally {
      project.close();
    }
  }

  /** Repeats kill trials until `TRIALS` kills landed during the work (a run may finish before its kill). */
  async function trials(kind: string, killAfter: () => number, after?: () => Promise<void>, arg?: string): Promise<number> {
    let kills = 0;
    for (let attempt = 0; kills < TRIALS && attempt < 3 * TRIALS; attempt++) {
      const { killed } = await killTrial(kind, killAfter(), arg);
      if (killed) kills++;
      await expectCleanProject(`${kind} trial ${attempt}`);
      await after?.();
    }
    return kills;
  }

  it('import: all or nothing per table', async () => {
    const kills = await trials('import', () => 1 + Math.floor(rng() * 3), async () => {
      const project = await openProject(dir);
      try {
        const counts = project.db.sql.prepare('SELECT source_table, count(*) AS n FROM labels WHERE source_table IS NOT NULL GROUP BY source_table').all() as { n: number }[];
        for (const { n } of counts) expect(n).toBe(IMPORT_ROWS);
      } finally {
        project.close();
      }
    }, String(IMPORT_ROWS));
    expect(kills).toBe(TRIALS);
  }, 240_000);

  it('detect: the next run completes the interrupted work', async () => {
    expect(await trials('detect', () => 2 + Math.floor(rng() * 10))).toBe(TRIALS);
    const project = await openProject(dir);
    try {
      const result = await detectProject(project, { backend: 'wasm' });
      expect(result.failures).toEqual([]);
      expect(result.recordings).toHaveLength(3);
      for (const r of result.recordings) expect(r.regions.at(-1)?.endSample).toBe(8 * 8000);
    } finally {
      project.close();
    }
  }, 300_000);

  it('head retraining and model saving: no record without files, the next run completes', async () => {
    expect(await trials('retrain-head', () => 2 + Math.floor(rng() * 6))).toBe(TRIALS);
    expect(await trials('model-save', () => 1 + Math.floor(rng() * 3))).toBe(TRIALS);
    await initBackend('wasm');
    const project = await openProject(dir);
    try {
      const result = await retrainDetector(project, { seed: 5 });
      expect(result.head.id).toBeGreaterThan(0);
      for (const m of listModels(project.db, 'kill-trial-head')) (await loadStoredModel(dir, m)).dispose();
    } finally {
      project.close();
    }
  }, 300_000);

  it('training: resumes from its checkpoint after the kills', async () => {
    expect(await trials('train', () => 2 + Math.floor(rng() * 4))).toBe(TRIALS);
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
