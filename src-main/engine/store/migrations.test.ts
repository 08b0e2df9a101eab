import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SonotypeError } from '../../../src-shared/errors';
import { openProjectDb } from './database';
import { getJob } from './jobs';
import { createLabel, listLabels } from './labels';
import { applyMigrations, migrations, readSchemaVersion, SCHEMA_VERSION, type Migration } from './migrate';
import { getRecording, listRecordings } from './recordings';
import { getSetting } from './settings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sonotype-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every schema object of a database, for comparing upgrade paths. */
function schemaOf(file: string): { type: string; name: string; sql: string | null }[] {
  const raw = new Database(file, { readonly: true });
  const rows = raw.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
  raw.close();
  return rows as { type: string; name: string; sql: string | null }[];
}

/** A database file migrated with only the first `version` migrations, as an older Sonotype would leave it. */
function databaseAtVersion(file: string, version: number): Database.Database {
  const raw = new Database(file);
  applyMigrations(raw, migrations.slice(0, version));
  expect(readSchemaVersion(raw)).toBe(version);
  return raw;
}

describe('migrations', () => {
  it('are numbered 1..N and SCHEMA_VERSION is the last one', () => {
    expect(migrations.map((m) => m.version)).toEqual(Array.from({ length: migrations.length }, (_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(migrations.length);
  });

  it('upgrading from every older version gives exactly the schema built from empty', () => {
    const fresh = path.join(dir, 'fresh.db');
    openProjectDb(fresh).close();
    const expected = schemaOf(fresh);
    expect(expected.map((o) => o.name)).toEqual(
      expect.arrayContaining(['recordings', 'jobs', 'project_settings', 'labels', 'label_history', 'embeddings', 'regions', 'cluster_members', 'sound_clusters']),
    );
    for (let version = 0; version < SCHEMA_VERSION; version++) {
      const file = path.join(dir, `from-v${version}.db`);
      databaseAtVersion(file, version).close();
      const db = openProjectDb(file);
      expect(readSchemaVersion(db.sql)).toBe(SCHEMA_VERSION);
      db.close();
      expect(schemaOf(file)).toEqual(expected);
    }
  });

  it('upgrading a v1 project keeps its recordings, settings and jobs and makes the v2 tables usable', () => {
    const file = path.join(dir, 'sonotype.db');
    const raw = databaseAtVersion(file, 1);
    raw.prepare(
      `INSERT INTO recordings (rel_path, size_bytes, mtime_ms, content_hash, sample_rate, channels, frames, duration_seconds,
                               codec, container, status, first_seen_at, last_seen_at)
       VALUES ('site-a/2011-07-01.wav', 960044, 1300000000000, 'abc123', 48000, 2, 240000, 5, 'pcm_s16le', 'wav', 'ok', 1, 2)`,
    ).run();
    raw.prepare(
      `INSERT INTO recordings (rel_path, size_bytes, mtime_ms, status, error_code, error_message, first_seen_at, last_seen_at, missing)
       VALUES ('broken.wav', 0, 5, 'error', 'EMPTY_FILE', 'File is empty (0 bytes)', 1, 2, 1)`,
    ).run();
    raw.prepare(`INSERT INTO project_settings (key, value_json, updated_at) VALUES ('analysisSampleRate', '48000', 1)`).run();
    raw.prepare(`INSERT INTO jobs (kind, state, created_at, updated_at) VALUES ('scan', 'succeeded', 1, 2)`).run();
    raw.close();

    const db = openProjectDb(file);
    try {
      expect(readSchemaVersion(db.sql)).toBe(SCHEMA_VERSION);
      expect(listRecordings(db).map((r) => r.path)).toEqual(['broken.wav', 'site-a/2011-07-01.wav']);
      const rec = getRecording(db, 'site-a/2011-07-01.wav')!;
      expect(rec).toMatchObject({ sizeBytes: 960044, hash: 'abc123', sampleRate: 48000, channels: 2, frames: 240000, durationSeconds: 5, missing: false });
      expect(getRecording(db, 'broken.wav')).toMatchObject({ status: 'error', error: { code: 'EMPTY_FILE', message: 'File is empty (0 bytes)' }, missing: true });
      expect(getSetting(db, 'analysisSampleRate')).toBe(48000);
      expect(getJob(db, 1)).toMatchObject({ kind: 'scan', state: 'succeeded' });
      createLabel(db, { recordingId: rec.id, startSample: 10, endSample: 20, value: 'silence' });
      expect(listLabels(db, rec.id)).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it('a failing migration leaves the database at the previous whole version', () => {
    const file = path.join(dir, 'sonotype.db');
    const raw = databaseAtVersion(file, 1);
    const broken: Migration = {
      version: 2,
      description: 'fails half way',
      up(sql) {
        sql.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('simulated failure');
      },
    };
    expect(() => applyMigrations(raw, [migrations[0], broken])).toThrow('simulated failure');
    expect(readSchemaVersion(raw)).toBe(1);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('refuses a migration list with gaps and a database newer than the list', () => {
    const raw = new Database(':memory:');
    expect(() => applyMigrations(raw, [migrations[1]])).toThrow(SonotypeError);
    applyMigrations(raw);
    expect(() => applyMigrations(raw, migrations.slice(0, 1))).toThrow(/newer version of Sonotype/);
    expect(readSchemaVersion(raw)).toBe(SCHEMA_VERSION);
    raw.close();
  });
});
