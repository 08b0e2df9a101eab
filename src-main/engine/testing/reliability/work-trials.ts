/**
 * Kill -9 trials during long work (import, detect, head retraining, model
 * saving, encoder training), shared by the reliability tests and
 * `npm run bench -- reliability`: each trial runs work-child.ts on a project
 * and SIGKILLs it at a seeded moment; `projectProblems` then lists anything a
 * kill may not leave behind (and, after an import, `importUndoProblems` checks
 * that undo and redo still work).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openProject } from '../../project/open-project';
import { scanProject } from '../../project/scan-project';
import { openProjectDb, projectDbPath, type ProjectDb } from '../../store/database';
import { modelIdsWithPayload } from '../../store/frame-data';
import { listJobs } from '../../store/jobs';
import { redoEdit, undoLastEdit } from '../../store/label-history';
import { createLabel, listLabels } from '../../store/labels';
import { hasModelFiles } from '../../store/model-folders';
import { listModels } from '../../store/models';
import { listRecordings } from '../../store/recordings';
import { concat, digitalSilence, synthScene } from '../synth';
import { encodeWav } from '../wav-writer';
import { runMonitored } from './child-monitor';

const here = dirname(fileURLToPath(import.meta.url));
export const WORK_CHILD = join(here, 'work-child.ts');
export type WorkKind = 'import' | 'detect' | 'retrain-head' | 'model-save' | 'train';

export interface WorkReport {
  step: string;
  phase?: string;
  epoch?: number | null;
  error?: { code: string; message: string };
}

/** 8 s at 8 kHz: a whistle and clicks in noise, then a recorder's digital silence. */
export function trialScene(seed: number): Buffer {
  const audio = concat(
    synthScene(8000, [{ kind: 'whistle', startSeconds: 0.5, endSeconds: 2 }, { kind: 'clicks', startSeconds: 3, endSeconds: 4 }], 5, 0.01, seed),
    digitalSilence(8000, 3),
  );
  return encodeWav([audio], { sampleRate: 8000, format: 'pcm16' });
}

/** Writes `name` into the project folder and rescans (new work for detection, as when a card is added). */
export async function addRecording(projectDir: string, name: string, seed: number): Promise<void> {
  writeFileSync(join(projectDir, name), trialScene(seed));
  const project = await openProject(projectDir);
  try {
    await scanProject(project);
  } finally {
    project.close();
  }
}

/** A few human corrections per recording, so retraining has something to learn. */
export async function addHumanLabels(projectDir: string): Promise<void> {
  const project = await openProject(projectDir);
  try {
    for (const r of listRecordings(project.db).filter((x) => x.status === 'ok')) {
      createLabel(project.db, { recordingId: r.id, startSample: 4000, endSample: 16_000, value: 'sound', source: 'human', author: null });
      createLabel(project.db, { recordingId: r.id, startSample: 44_000, endSample: 60_000, value: 'silence', source: 'human', author: null });
    }
  } finally {
    project.close();
  }
}

export interface KillOutcome {
  /** The kill landed before the work ended by itself. */
  killed: boolean;
  /** The child reported an error of its own (a failure, not a kill). */
  error: WorkReport['error'] | null;
}

/**
 * Runs `kind` on the project and SIGKILLs it `delayMs` after the
 * `killAfter`-th report that `counts` (default: any report after 'started').
 */
export async function killDuringWork(
  kind: WorkKind, projectDir: string, killAfter: number, delayMs: number,
  options: { arg?: string; counts?: (r: WorkReport) => boolean } = {},
): Promise<KillOutcome> {
  const counts = options.counts ?? ((r: WorkReport) => r.step !== 'started');
  let seen = 0;
  const run = await runMonitored<WorkReport>(WORK_CHILD, [kind, projectDir, ...(options.arg ? [options.arg] : [])], { stallMs: 120_000 }, (report, kill) => {
    if (report.step === 'error' || !counts(report)) return;
    if (++seen === killAfter) setTimeout(() => kill('SIGKILL'), delayMs);
  });
  const error = run.reports.find((r) => r.step === 'error')?.error ?? null;
  return { killed: run.outcome === 'killed' && run.signal === 'SIGKILL', error };
}

/**
 * What a kill must never leave: a damaged database, a model record without
 * its files (or its payload in the database), a job still 'running' once the
 * project is opened. Checked on the raw database first, so opening's repair
 * cannot hide a broken record. Returns a readable list (empty when clean).
 */
export async function projectProblems(projectDir: string): Promise<string[]> {
  const problems: string[] = [];
  const db = openProjectDb(projectDbPath(projectDir), { recoverInterruptedJobs: false });
  try {
    const integrity = String(db.sql.pragma('integrity_check', { simple: true }));
    if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
    const fk = db.sql.pragma('foreign_key_check') as unknown[];
    if (fk.length) problems.push(`foreign_key_check: ${fk.length} rows`);
    const inDatabase = modelIdsWithPayload(db);
    for (const m of listModels(db)) if (!inDatabase.has(m.id) && !hasModelFiles(projectDir, m)) problems.push(`model ${m.kind} v${m.version} has no files`);
  } finally {
    db.close();
  }
  const project = await openProject(projectDir);
  try {
    for (const job of listJobs(project.db, { states: ['running'] })) problems.push(`job ${job.id} (${job.kind}) still running`);
  } finally {
    project.close();
  }
  return problems;
}

/** Live imported labels per source table, over every recording (`name:count`, sorted). */
function importedTables(db: ProjectDb): string[] {
  const counts = new Map<string, number>();
  for (const r of listRecordings(db)) {
    for (const l of listLabels(db, r.id)) if (l.sourceTable) counts.set(l.sourceTable, (counts.get(l.sourceTable) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => `${name}:${n}`).sort();
}

/**
 * After a kill during an import: undo takes back the last committed import
 * as one step (one table gone, the others untouched) and redo brings it back
 * exactly. Leaves the project as it found it; returns a readable list.
 */
export async function importUndoProblems(projectDir: string): Promise<string[]> {
  const project = await openProject(projectDir);
  try {
    const before = importedTables(project.db);
    if (before.length === 0) return [];
    if (!undoLastEdit(project.db)) return ['undo after the kill found nothing to undo'];
    const undone = importedTables(project.db);
    const gone = before.filter((t) => !undone.includes(t));
    const problems: string[] = [];
    if (gone.length !== 1 || undone.length !== before.length - 1) problems.push(`undo took back ${before.length - undone.length} of ${before.length} imported tables (${gone.join(', ')}), not the last one whole`);
    if (!redoEdit(project.db)) problems.push('redo after the undo found nothing to redo');
    const redone = importedTables(project.db);
    if (redone.join() !== before.join()) problems.push(`redo left ${redone.join(', ')} instead of ${before.join(', ')}`);
    return problems;
  } finally {
    project.close();
  }
}

/** Sizes and seeded kill points of each kind's trials. */
export const WORK_TRIAL_PLANS: Record<WorkKind, { killAfter: (rng: () => number) => number; counts?: (r: WorkReport) => boolean; arg?: string }> = {
  import: { killAfter: (rng) => 1 + Math.floor(rng() * 3), arg: '1500' },
  // Counted on progress only: the work of a new recording lasts ~0.1 s from its first report ('done' is too late).
  detect: { killAfter: (rng) => 1 + Math.floor(rng() * 2), counts: (r) => r.step === 'progress' },
  'retrain-head': { killAfter: (rng) => 1 + Math.floor(rng() * 6), counts: (r) => r.step === 'progress' },
  'model-save': { killAfter: (rng) => 1 + Math.floor(rng() * 3) },
  // Killed once training has really started (an epoch reported), anywhere in it.
  train: { killAfter: () => 1, counts: (r) => r.step === 'progress' && r.epoch != null },
};

export interface TrialSeries {
  kind: WorkKind;
  kills: number;
  attempts: number;
  /** Problems found after any trial, prefixed with the trial. */
  problems: string[];
}

/**
 * Repeats trials of `kind` until `kills` kills landed during the work (a run
 * may end before its kill; at most 3 × kills attempts), checking the project
 * after each. `before` prepares each attempt (e.g. a new recording to detect).
 */
export async function runWorkTrials(
  kind: WorkKind, projectDir: string, kills: number, rng: () => number,
  before?: (attempt: number) => Promise<void>,
): Promise<TrialSeries> {
  const plan = WORK_TRIAL_PLANS[kind];
  const series: TrialSeries = { kind, kills: 0, attempts: 0, problems: [] };
  let missed = false;
  while (series.kills < kills && series.attempts < 3 * kills) {
    await before?.(series.attempts);
    // After a run that ended before its kill (a fast machine), the next one is killed at its first counted
    // report at once, so the number of kills never depends on how fast the machine is.
    const killAfter = missed ? 1 : plan.killAfter(rng);
    const delayMs = missed ? 0 : Math.floor(rng() * 150);
    const outcome = await killDuringWork(kind, projectDir, killAfter, delayMs, { arg: plan.arg, counts: plan.counts });
    if (outcome.error) series.problems.push(`trial ${series.attempts}: the ${kind} child failed: ${outcome.error.message}`);
    if (outcome.killed) series.kills++;
    missed = !outcome.killed && !outcome.error;
    for (const p of await projectProblems(projectDir)) series.problems.push(`trial ${series.attempts}: ${p}`);
    if (kind === 'import') for (const p of await importUndoProblems(projectDir)) series.problems.push(`trial ${series.attempts}: ${p}`);
    series.attempts++;
  }
  return series;
}

/** Runs `kind` to its end (the run after the kills, which must complete); returns its error, or null. */
export async function completeWork(kind: Exclude<WorkKind, 'retrain-head' | 'model-save' | 'import'>, projectDir: string): Promise<WorkReport['error'] | null> {
  const run = await runMonitored<WorkReport>(WORK_CHILD, [kind, projectDir], { stallMs: 120_000 });
  const last = run.reports.at(-1);
  if (run.outcome !== 'exited' || last?.step !== 'done') return last?.error ?? { code: 'INTERNAL', message: `the ${kind} run ended with ${run.outcome} (${run.exitCode ?? run.signal})` };
  return null;
}
