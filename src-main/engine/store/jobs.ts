/**
 * Persistent job records (scan, train, predict, cluster …) so progress and
 * failures survive restarts and a crash is reported, not silently forgotten.
 */
import type { ErrorInfo } from '../../../src-shared/errors';
import { SonotypeError } from '../../../src-shared/errors';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { ProjectDb } from './database';
import { processAlive } from '../util/process-alive';
import { parseJsonColumn } from './json';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Message given to jobs found 'running' when the database is opened after a crash. */
export const INTERRUPTED_MESSAGE = 'interrupted';

export interface JobRecord {
  id: number;
  kind: string;
  state: JobState;
  params: Record<string, unknown>;
  progress: Record<string, unknown> | null;
  error: ErrorInfo | null;
  checkpointPath: string | null;
  createdAt: number;
  startedAt: number | null;
  updatedAt: number;
  finishedAt: number | null;
}

export type JobOutcome = { state: 'succeeded' } | { state: 'cancelled' } | { state: 'failed'; error: ErrorInfo };

interface JobRow {
  id: number; kind: string; state: JobState; params_json: string; progress_json: string | null;
  error_code: string | null; error_message: string | null; checkpoint_path: string | null;
  created_at: number; started_at: number | null; updated_at: number; finished_at: number | null;
  owner_pid: number | null; owner_host: string | null; heartbeat_at: number | null;
}

/**
 * Job leases. The process running a job stamps it with its pid and host and
 * renews `heartbeat_at` while it runs (JobRunner every HEARTBEAT_INTERVAL_MS,
 * and with every progress write). Another process opening the project marks
 * a running job interrupted only when its owner is gone: on this host, its
 * pid no longer exists (or the heartbeat is so old the pid must have been
 * reused); on another host (a shared folder), its heartbeat has stopped.
 */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** A heartbeat older than this, from another host, means its process is gone. */
export const LEASE_TIMEOUT_MS = 60_000;
/** On this host a live pid is trusted, unless its heartbeat is older than this (a reused pid). */
export const LOCAL_LEASE_TIMEOUT_MS = 30 * 60_000;

const OWNER = { pid: process.pid, host: hostname() };

/** Jobs this process has started and not yet ended, per database file: the same pid may also have left a job behind (a closed runner). */
const heldHere = new Map<string, Set<number>>();
function held(db: ProjectDb): Set<number> {
  const key = resolve(db.path);
  let ids = heldHere.get(key);
  if (!ids) heldHere.set(key, (ids = new Set()));
  return ids;
}

/** Records a new job in state 'queued'. */
export function createJob(db: ProjectDb, job: { kind: string; params?: Record<string, unknown> }): JobRecord {
  if (!job.kind) throw new SonotypeError('INVALID_ARGUMENT', 'A job needs a kind.');
  return db.transaction(() => {
    const now = Date.now();
    const id = Number(
      db.statement('INSERT INTO jobs (kind, state, params_json, created_at, updated_at, owner_pid, owner_host, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(job.kind, 'queued', JSON.stringify(job.params ?? {}), now, now, OWNER.pid, OWNER.host, now).lastInsertRowid,
    );
    return getJob(db, id)!;
  });
}

/**
 * Stores the job's latest progress (and checkpoint, when given). A queued job
 * becomes running on its first progress report.
 */
export function updateJobProgress(
  db: ProjectDb,
  id: number,
  progress: Record<string, unknown>,
  checkpointPath?: string | null,
): void {
  db.transaction(() => {
    const job = requireActiveJob(db, id);
    const now = Date.now();
    db.statement(
      `UPDATE jobs SET state = 'running', progress_json = ?, updated_at = ?, started_at = coalesce(started_at, ?),
              checkpoint_path = CASE WHEN ? THEN ? ELSE checkpoint_path END,
              owner_pid = ?, owner_host = ?, heartbeat_at = ?
       WHERE id = ?`,
    ).run(JSON.stringify(progress), now, now, checkpointPath === undefined ? 0 : 1, checkpointPath ?? null, OWNER.pid, OWNER.host, now, job.id);
  });
  held(db).add(id);
}

/** Moves a queued job to running without progress yet. */
export function startJob(db: ProjectDb, id: number): void {
  db.transaction(() => {
    requireActiveJob(db, id);
    const now = Date.now();
    db.statement(`UPDATE jobs SET state = 'running', started_at = coalesce(started_at, ?), updated_at = ?, owner_pid = ?, owner_host = ?, heartbeat_at = ? WHERE id = ?`)
      .run(now, now, OWNER.pid, OWNER.host, now, id);
  });
  held(db).add(id);
}

/** Renews the lease of jobs this process is running (they stay 'running' for other processes). */
export function heartbeatJobs(db: ProjectDb, ids: readonly number[]): void {
  if (ids.length === 0) return;
  const now = Date.now();
  const beat = db.statement(`UPDATE jobs SET heartbeat_at = ? WHERE id = ? AND state IN ('queued', 'running') AND owner_pid = ? AND owner_host = ?`);
  db.transaction(() => {
    for (const id of ids) beat.run(now, id, OWNER.pid, OWNER.host);
  });
}

/** Whether the process that owns a running job is gone (see the lease rules above). */
function jobOwnerGone(db: ProjectDb, job: Pick<JobRow, 'id' | 'owner_pid' | 'owner_host' | 'heartbeat_at'>, now: number): boolean {
  if (job.owner_pid === null || job.owner_host === null) return true; // written before leases existed: its process is long gone
  const age = now - (job.heartbeat_at ?? 0);
  if (job.owner_host !== OWNER.host) return age > LEASE_TIMEOUT_MS;
  if (job.owner_pid === OWNER.pid) return !held(db).has(job.id); // this process: interrupted only if nothing here runs it
  return !processAlive(job.owner_pid) || age > LOCAL_LEASE_TIMEOUT_MS;
}

/** Ends a job. A job that already ended cannot end again (INVALID_ARGUMENT). */
export function finishJob(db: ProjectDb, id: number, outcome: JobOutcome): JobRecord {
  return db.transaction(() => {
    requireActiveJob(db, id);
    const now = Date.now();
    const error = outcome.state === 'failed' ? outcome.error : null;
    db.statement('UPDATE jobs SET state = ?, error_code = ?, error_message = ?, updated_at = ?, finished_at = ? WHERE id = ?')
      .run(outcome.state, error?.code ?? null, error?.message ?? null, now, now, id);
    held(db).delete(id);
    return getJob(db, id)!;
  });
}

/** One job by id, or undefined. */
export function getJob(db: ProjectDb, id: number): JobRecord | undefined {
  const row = db.statement('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  return row ? toJob(row) : undefined;
}

/** Jobs, newest first, optionally only those in the given states. */
export function listJobs(db: ProjectDb, filter: { states?: readonly JobState[]; limit?: number } = {}): JobRecord[] {
  const rows = db.statement('SELECT * FROM jobs ORDER BY id DESC').all() as JobRow[];
  const wanted = filter.states ? rows.filter((r) => filter.states!.includes(r.state)) : rows;
  return wanted.slice(0, filter.limit ?? wanted.length).map(toJob);
}

/**
 * Jobs whose row changed after `sinceMs` (updated_at), oldest change first:
 * how the app notices jobs that another process (the CLI) runs on the same project.
 */
export function listJobsUpdatedSince(db: ProjectDb, sinceMs: number): JobRecord[] {
  const rows = db.statement('SELECT * FROM jobs WHERE updated_at > ? ORDER BY updated_at, id').all(sinceMs) as JobRow[];
  return rows.map(toJob);
}

/**
 * Marks every job still 'running' whose owner process is gone (jobOwnerGone)
 * as failed with message "interrupted". Jobs of live processes — the app
 * training while `sonotype scan` opens the project — are left alone. Called
 * by openProjectDb. Queued jobs are left queued. Returns the ids marked.
 */
export function markInterruptedJobs(db: ProjectDb): number[] {
  return db.transaction(() => {
    const now = Date.now();
    const running = (db.statement(`SELECT id, owner_pid, owner_host, heartbeat_at FROM jobs WHERE state = 'running'`).all() as
      Pick<JobRow, 'id' | 'owner_pid' | 'owner_host' | 'heartbeat_at'>[]).filter((job) => jobOwnerGone(db, job, now));
    const mark = db.statement(
      `UPDATE jobs SET state = 'failed', error_code = 'INTERNAL', error_message = ?, updated_at = ?, finished_at = ? WHERE id = ?`,
    );
    for (const { id } of running) {
      mark.run(INTERRUPTED_MESSAGE, now, now, id);
      held(db).delete(id);
    }
    return running.map((r) => r.id);
  });
}

function requireActiveJob(db: ProjectDb, id: number): JobRecord {
  const job = getJob(db, id);
  if (!job) throw new SonotypeError('NOT_FOUND', `Job ${id} does not exist in this project.`);
  if (job.state !== 'queued' && job.state !== 'running') {
    throw new SonotypeError('INVALID_ARGUMENT', `Job ${id} (${job.kind}) has already ended (${job.state}).`);
  }
  return job;
}

function toJob(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    params: parseJsonColumn<Record<string, unknown>>(row.params_json, 'jobs.params') ?? {},
    progress: parseJsonColumn<Record<string, unknown>>(row.progress_json, 'jobs.progress'),
    error: row.error_code !== null ? ({ code: row.error_code, message: row.error_message ?? '' } as ErrorInfo) : null,
    checkpointPath: row.checkpoint_path,
    createdAt: row.created_at,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

/**
 * Sets the job's `checkpoint_path` column (a path relative to the project
 * folder, or null) without touching its state, so it also works on queued
 * and ended jobs (jobs/checkpoint-store.ts decides what to store).
 */
export function setJobCheckpointColumn(db: ProjectDb, jobId: number, storedPath: string | null): void {
  db.statement('UPDATE jobs SET checkpoint_path = ?, updated_at = ? WHERE id = ?').run(storedPath, Date.now(), jobId);
}
