/**
 * Kill -9 trials during label editing over the real WebSocket API (used by
 * the reliability tests and `npm run bench -- reliability`): a server process
 * on a project receives a seeded script of edits (create, resize, relabel,
 * delete, split, merge) with several in flight at once, and is SIGKILLed at a
 * seeded moment. Afterwards every acknowledged edit must be in the database,
 * the database must pass integrity and foreign-key checks, and the edit in
 * flight may be either applied or not, nothing else.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { openProjectDb, projectDbPath } from '../../engine/store/database';
import { createRng } from '../../engine/util/random';
import { callOver } from '../test-helpers';

const here = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(here, '../../..');
const SERVER_CHILD = join(here, 'server-child.ts');

/** What a label must look like after the trial: its span and value, or deleted. */
export type ExpectedLabel = { startSample: number; endSample: number; value: string; deleted: false } | { deleted: true };

/** The edits acknowledged so far, as the resulting state of each label they touched. */
export class LabelModel {
  readonly labels = new Map<number, ExpectedLabel>();
  /** Labels touched by an edit that was sent but not acknowledged (its outcome is either state). */
  readonly uncertain = new Set<number>();
  acknowledged = 0;

  live(recordingId: number, recordingOf: Map<number, number>): number[] {
    return [...this.labels].filter(([id, l]) => !l.deleted && !this.uncertain.has(id) && recordingOf.get(id) === recordingId).map(([id]) => id);
  }
}

export interface LabelTrialOptions {
  projectDir: string;
  recordingId: number;
  /** Length of the recording in samples (labels stay inside it). */
  frames: number;
  seed: number;
  /** Kill after this many acknowledged edits (plus a seeded delay of 0–20 ms). */
  killAfter: number;
  /** Edits in flight at once. */
  inFlight?: number;
}

interface ServerProcess {
  port: number;
  token: string;
  kill(): Promise<void>;
}

/** Starts the browser-mode server on a project in a child process. */
export function startServerProcess(projectDir: string): Promise<ServerProcess> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER_CHILD, projectDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let out = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const { port, token } = JSON.parse(line) as { port: number; token: string };
      resolvePromise({ port, token, kill: async () => { child.kill('SIGKILL'); await closed; } });
    });
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}: ${stderr}`)));
  });
}

/** Connects to the API WebSocket of a server process. */
export function connect(server: { port: number; token: string }): Promise<WebSocket> {
  return new Promise((resolvePromise, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    ws.once('open', () => resolvePromise(ws));
    ws.once('error', reject);
  });
}

interface View { id: number; recordingId: number; startSample: number; endSample: number; value: string }

/**
 * One trial: starts a server, edits until `killAfter` edits are acknowledged
 * (plus a short seeded delay, so the kill lands anywhere in the next edits),
 * SIGKILLs it, and returns. `model` is updated with every acknowledgement.
 */
export async function runLabelKillTrial(options: LabelTrialOptions, model: LabelModel, recordingOf: Map<number, number>): Promise<void> {
  const rng = createRng(options.seed);
  const server = await startServerProcess(options.projectDir);
  const ws = await connect(server);
  ws.on('error', () => {});
  let ackedThisTrial = 0;
  let nextId = 1;
  let stop = false;
  const killAt = new Promise<void>((resolveKill) => {
    const check = setInterval(() => {
      if (ackedThisTrial >= options.killAfter) {
        clearInterval(check);
        setTimeout(resolveKill, Math.floor(rng() * 20));
      }
    }, 1);
  });

  const { recordingId, frames } = options;
  const span = () => {
    const start = Math.floor(rng() * (frames - 200));
    return { startSample: start, endSample: start + 50 + Math.floor(rng() * Math.min(2000, frames - start - 50)) };
  };
  const apply = (view: View) => {
    model.labels.set(view.id, { startSample: view.startSample, endSample: view.endSample, value: view.value, deleted: false });
    recordingOf.set(view.id, view.recordingId);
  };

  /** Sends one seeded edit and records its outcome once acknowledged. */
  const oneEdit = async (): Promise<void> => {
    const live = model.live(recordingId, recordingOf);
    const roll = rng();
    let touched: number[] = [];
    let call: string;
    let args: unknown[];
    if (live.length < 4 || roll < 0.4) {
      call = 'labels:create';
      args = [{ recordingId, ...span(), value: rng() < 0.5 ? 'sound' : 'silence' }];
    } else if (roll < 0.65) {
      const id = live[Math.floor(rng() * live.length)];
      const l = model.labels.get(id) as Extract<ExpectedLabel, { deleted: false }>;
      call = 'labels:update';
      args = [id, rng() < 0.5 ? { value: l.value === 'sound' ? 'silence' : 'sound' } : { endSample: Math.min(frames, l.endSample + 1 + Math.floor(rng() * 100)) }];
      touched = [id];
    } else if (roll < 0.8) {
      const id = live[Math.floor(rng() * live.length)];
      call = 'labels:delete';
      args = [id];
      touched = [id];
    } else if (roll < 0.93) {
      const id = live[Math.floor(rng() * live.length)];
      const l = model.labels.get(id) as Extract<ExpectedLabel, { deleted: false }>;
      if (l.endSample - l.startSample < 4) return;
      call = 'labels:split';
      args = [id, l.startSample + 1 + Math.floor(rng() * (l.endSample - l.startSample - 2))];
      touched = [id];
    } else {
      const a = live[Math.floor(rng() * live.length)];
      const b = live.find((id) => id !== a)!;
      call = 'labels:merge';
      args = [[a, b]];
      touched = [a, b];
    }
    for (const id of touched) model.uncertain.add(id);
    const reply = await callOver(ws, nextId++, call, args, 60_000);
    if (!reply.result.ok) throw new Error(`${call} refused: ${reply.result.error?.message}`);
    for (const id of touched) model.uncertain.delete(id);
    const value = reply.result.value;
    if (call === 'labels:delete') model.labels.set(touched[0], { deleted: true });
    else if (call === 'labels:merge') {
      const kept = value as View;
      for (const id of touched) if (id !== kept.id) model.labels.set(id, { deleted: true });
      apply(kept);
    } else if (Array.isArray(value)) (value as View[]).forEach(apply);
    else apply(value as View);
    model.acknowledged++;
    ackedThisTrial++;
  };

  const lanes = Array.from({ length: options.inFlight ?? 3 }, async () => {
    while (!stop) {
      try {
        await oneEdit();
      } catch (error) {
        if (stop) return; // the kill cut the connection: that edit was in flight
        throw error;
      }
    }
  });
  await killAt;
  stop = true;
  await server.kill();
  ws.terminate();
  await Promise.allSettled(lanes);
  // A lane whose call was cut off leaves its labels uncertain: they are in flight.
}

export interface TrialCheck {
  integrity: string;
  foreignKeyErrors: number;
  /** Acknowledged edits whose result is not in the database. */
  lost: { id: number; expected: ExpectedLabel; found: unknown }[];
}

/** Checks the project database after a kill against the acknowledged edits. */
export function checkAfterKill(projectDir: string, model: LabelModel): TrialCheck {
  const db = openProjectDb(projectDbPath(projectDir));
  try {
    const integrity = String(db.sql.pragma('integrity_check', { simple: true }));
    const foreignKeyErrors = (db.sql.pragma('foreign_key_check') as unknown[]).length;
    const row = db.sql.prepare('SELECT start_sample, end_sample, value, deleted FROM labels WHERE id = ?');
    const lost: TrialCheck['lost'] = [];
    for (const [id, expected] of model.labels) {
      if (model.uncertain.has(id)) continue;
      const found = row.get(id) as { start_sample: number; end_sample: number; value: string; deleted: number } | undefined;
      const ok = expected.deleted
        ? found !== undefined && found.deleted === 1
        : found !== undefined && found.deleted === 0 && found.start_sample === expected.startSample && found.end_sample === expected.endSample && found.value === expected.value;
      if (!ok) lost.push({ id, expected, found });
    }
    return { integrity, foreignKeyErrors, lost };
  } finally {
    db.close();
  }
}

/** Settles the labels an in-flight edit touched to what the database holds (it may or may not have been applied). */
export function settleUncertain(projectDir: string, model: LabelModel): void {
  if (model.uncertain.size === 0) return;
  const db = openProjectDb(projectDbPath(projectDir));
  try {
    const row = db.sql.prepare('SELECT start_sample, end_sample, value, deleted FROM labels WHERE id = ?');
    for (const id of model.uncertain) {
      const found = row.get(id) as { start_sample: number; end_sample: number; value: string; deleted: number } | undefined;
      if (found) model.labels.set(id, found.deleted ? { deleted: true } : { startSample: found.start_sample, endSample: found.end_sample, value: found.value, deleted: false });
      else model.labels.delete(id);
    }
    // Labels created by an unacknowledged edit are unknown to the model: adopt them from the database.
    const known = new Set(model.labels.keys());
    for (const r of db.sql.prepare('SELECT id, recording_id, start_sample, end_sample, value, deleted FROM labels').all() as
      { id: number; recording_id: number; start_sample: number; end_sample: number; value: string; deleted: number }[]) {
      if (known.has(r.id)) continue;
      model.labels.set(r.id, r.deleted ? { deleted: true } : { startSample: r.start_sample, endSample: r.end_sample, value: r.value, deleted: false });
    }
    model.uncertain.clear();
  } finally {
    db.close();
  }
}
