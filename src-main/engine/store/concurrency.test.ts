/**
 * Two processes on one project: a transaction that reads and then writes
 * waits for the other process's write lock instead of failing. Deferred
 * transactions used to fail at once with "database busy" (SQLite cannot wait
 * when a reader upgrades to a writer), which refused label edits made while
 * `detect` or another window was writing.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempProject, type TempProject } from './test-helpers';
import { setSetting, getSetting } from './settings';

let project: TempProject;
beforeEach(() => {
  project = createTempProject('sonotype-concurrency-');
});
afterEach(() => project.cleanup());

/** A child that takes the write lock, says so, holds it for `holdMs`, writes and commits. */
function holdWriteLock(dbPath: string, holdMs: number): Promise<{ locked: Promise<void>; done: Promise<number | null> }> {
  const script = `
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new Database(${JSON.stringify(dbPath)});
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT OR REPLACE INTO project_settings (key, value_json, updated_at) VALUES ('other', '1', 0)").run();
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  return Promise.resolve({ locked, done });
}

describe('transactions across processes', () => {
  it('a read-then-write transaction waits for another process holding the write lock, then commits', async () => {
    const { db } = project;
    setSetting(db, 'channel', 0);
    const other = await holdWriteLock(project.dbPath, 600);
    await other.locked;
    const started = performance.now();
    // Reads first, then writes: the pattern of every edit (check the label, then change it).
    db.transaction(() => {
      const channel = getSetting(db, 'channel') ?? 0;
      setSetting(db, 'channel', channel + 1);
    });
    const waited = performance.now() - started;
    expect(getSetting(db, 'channel')).toBe(1);
    expect(waited).toBeGreaterThan(300);
    expect(await other.done).toBe(0);
  });
});
