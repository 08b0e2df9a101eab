import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectDb } from './database';
import { listJobs } from './jobs';
import { createTempProject, type TempProject } from './test-helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const writerScript = path.join(here, 'kill-test-writer.ts');
const TOTAL = 150;
/** Large enough that most of the writer's time is spent inside a transaction. */
const WINDOWS_PER_RECORDING = 2000;

interface WriterRun {
  committed: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs the writer. With `kill`, SIGKILLs it `delayMs` after it reported
 * `afterCommits` commits, so the kill lands at varying points of a write.
 */
function runWriter(dbPath: string, kill?: { afterCommits: number; delayMs: number }): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, dbPath, String(TOTAL), String(WINDOWS_PER_RECORDING)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let committed = 0;
    let stderr = '';
    let buffered = '';
    let killScheduled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      committed += lines.filter((l) => l.startsWith('committed ')).length;
      if (kill && !killScheduled && committed >= kill.afterCommits) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ committed, exitCode, signal, stderr }));
  });
}

/** Checks the database is intact and every recording is complete; returns how many there are. */
function expectConsistent(db: ProjectDb): number {
  expect(db.sql.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.sql.pragma('foreign_key_check')).toEqual([]);
  const perRecording = db.sql
    .prepare(
      `SELECT r.rel_path, r.sample_rate, r.content_hash, count(w.id) AS windows, sum(w.padded) AS padded
       FROM recordings r LEFT JOIN windows w ON w.recording_id = r.id GROUP BY r.id ORDER BY r.rel_path`,
    )
    .all() as { rel_path: string; sample_rate: number | null; content_hash: string | null; windows: number; padded: number }[];
  // Each recording is all-or-nothing: complete metadata and all its windows.
  for (const row of perRecording) {
    expect(row, row.rel_path).toMatchObject({ sample_rate: 16_000, windows: WINDOWS_PER_RECORDING, padded: 1 });
    expect(row.content_hash).toMatch(/^hash-\d+$/);
  }
  return perRecording.length;
}

let project: TempProject;
beforeEach(() => {
  project = createTempProject('sonotype-kill-');
  project.db.close(); // the child owns the database while it runs
});
afterEach(() => project.cleanup());

describe('crash safety', () => {
  it('writers SIGKILLed mid-way leave a consistent database, and re-running completes the work', async () => {
    let complete = 0;
    for (const [round, delayMs] of [3, 7, 12].entries()) {
      const killed = await runWriter(project.dbPath, { afterCommits: 8, delayMs });
      expect(killed.stderr).toBe('');
      expect(killed.signal).toBe('SIGKILL');
      const db = project.reopen();
      const found = expectConsistent(db);
      console.log(`kill test round ${round}: SIGKILL ${delayMs} ms after the 8th commit (${killed.committed} reported), ${found} complete recordings`);
      // Every commit the writer reported survived; the kill came before the end.
      expect(found).toBeGreaterThanOrEqual(complete + killed.committed);
      expect(found).toBeLessThan(TOTAL);
      complete = found;
      // The jobs the dead processes left running are reported as interrupted.
      expect(listJobs(db).map((j) => [j.state, j.error?.message])).toEqual(Array(round + 1).fill(['failed', 'interrupted']));
      project.db.close();
    }

    const resumed = await runWriter(project.dbPath);
    expect(resumed.stderr).toBe('');
    expect(resumed.exitCode).toBe(0);
    expect(resumed.committed).toBe(TOTAL - complete);
    const after = project.reopen();
    expect(expectConsistent(after)).toBe(TOTAL);
    expect(after.sql.prepare('SELECT count(*) AS n FROM windows').get()).toEqual({ n: TOTAL * WINDOWS_PER_RECORDING });
    expect(listJobs(after)[0].state).toBe('succeeded');
  });
});
