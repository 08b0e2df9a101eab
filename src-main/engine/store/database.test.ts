import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SonotypeError } from '../../../src-shared/errors';
import { BUSY_TIMEOUT_MS, openProjectDb, projectDbPath } from './database';
import { putEmbeddings } from './embeddings';
import { SCHEMA_VERSION, SONOTYPE_APPLICATION_ID } from './migrate';
import { replaceWindows } from './windows';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sonotype-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function expectSonotypeError(fn: () => unknown, code: string, messagePart?: RegExp): SonotypeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SonotypeError);
    expect((error as SonotypeError).code).toBe(code);
    if (messagePart) expect((error as SonotypeError).message).toMatch(messagePart);
    return error as SonotypeError;
  }
  throw new Error(`expected a ${code} error`);
}

describe('openProjectDb', () => {
  it('creates sonotype.db with WAL, foreign keys, busy timeout, synchronous NORMAL and the current schema', () => {
    const db = openProjectDb(projectDbPath(dir));
    try {
      expect(path.basename(db.path)).toBe('sonotype.db');
      expect(db.sql.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.sql.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.sql.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
      expect(db.sql.pragma('synchronous', { simple: true })).toBe(1); // 1 = NORMAL
      expect(db.sql.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.sql.pragma('application_id', { simple: true })).toBe(SONOTYPE_APPLICATION_ID);
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    } finally {
      db.close();
    }
    // The WAL setting is persistent: a plain connection sees it too.
    const raw = new Database(projectDbPath(dir), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('enforces foreign keys, for raw SQL and through the repositories', () => {
    const db = openProjectDb(projectDbPath(dir));
    try {
      expect(() =>
        db.sql.prepare(`INSERT INTO labels (recording_id, start_sample, end_sample, value, source, created_at, updated_at) VALUES (999, 0, 10, 'sound', 'human', 0, 0)`).run(),
      ).toThrow(/FOREIGN KEY/);
      const fc = db.sql.prepare(`INSERT INTO feature_configs (canonical_key, config_json, version, created_at) VALUES ('k', '{}', 1, 0)`).run();
      const span = { index: 0, startFrame: 0, startSample: 0, endSample: 10, startNativeSample: 0, endNativeSample: 10, startSeconds: 0, endSeconds: 1, padded: false };
      expectSonotypeError(() => replaceWindows(db, 12345, Number(fc.lastInsertRowid), [span]), 'DATABASE', /does not exist/);
      expectSonotypeError(() => putEmbeddings(db, 1, [{ windowId: 1, vector: new Float32Array([1]) }]), 'DATABASE');
      // Nothing from the failed transaction was kept.
      expect(db.sql.prepare('SELECT count(*) AS n FROM windows').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('refuses a database from a newer Sonotype and leaves the file byte-for-byte untouched', () => {
    const file = projectDbPath(dir);
    const raw = new Database(file);
    raw.exec("CREATE TABLE future_things (x TEXT); INSERT INTO future_things VALUES ('keep me');");
    raw.pragma(`application_id = ${SONOTYPE_APPLICATION_ID}`);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = sha256(file);
    expectSonotypeError(() => openProjectDb(file), 'DATABASE', /newer version of Sonotype/);
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
  });

  it('refuses files that are not Sonotype databases without changing them', () => {
    const file = projectDbPath(dir);
    writeFileSync(file, 'these are my field notes, not a database\n'.repeat(200));
    const before = sha256(file);
    expectSonotypeError(() => openProjectDb(file), 'DATABASE', /not a Sonotype project database/);
    expect(sha256(file)).toBe(before);

    const other = path.join(dir, 'other.db');
    const raw = new Database(other);
    raw.exec('CREATE TABLE birds (name TEXT)');
    raw.close();
    expectSonotypeError(() => openProjectDb(other), 'DATABASE', /another application/);

    const foreign = path.join(dir, 'foreign.db');
    const rawForeign = new Database(foreign);
    rawForeign.pragma('application_id = 42');
    rawForeign.close();
    expectSonotypeError(() => openProjectDb(foreign), 'DATABASE', /another application/);
  });

  it('reports a missing project folder as NOT_FOUND instead of creating it', () => {
    const missing = path.join(dir, 'no-such-folder', 'sonotype.db');
    expectSonotypeError(() => openProjectDb(missing), 'NOT_FOUND', /Project folder does not exist/);
    expect(existsSync(path.dirname(missing))).toBe(false);
  });

  it('rolls back a whole transaction when any statement fails, and refuses use after close', () => {
    const db = openProjectDb(projectDbPath(dir));
    expect(() =>
      db.transaction(() => {
        db.statement(`INSERT INTO project_settings (key, value_json, updated_at) VALUES ('channel', '1', 0)`).run();
        db.statement(`INSERT INTO project_settings (key, value_json, updated_at) VALUES ('channel', '2', 0)`).run();
      }),
    ).toThrow(SonotypeError);
    expect(db.sql.prepare('SELECT count(*) AS n FROM project_settings').get()).toEqual({ n: 0 });
    expect(db.statement('SELECT 1 AS one')).toBe(db.statement('SELECT 1 AS one'));
    db.close();
    db.close();
    expectSonotypeError(() => db.transaction(() => 1), 'DATABASE', /closed/);
  });
});
