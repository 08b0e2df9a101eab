import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listJobs } from './jobs';
import { createTempProject, type TempProject } from './test-helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const writerScript = path.join(here, 'kill-test-writer.ts');
const TOTAL = 400;
const WINDOWS_PER_RECORDING = 300;

interface WriterRun {
  committed: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the writer; with `killAfter`, SIGKILLs it as soon as that many commits were reported. */
function runWriter(dbPath: string, killAfter?: number): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, dbPath, String(TOTAL), String(WINDOWS_PER_RECORDING)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let committed = 0;
    let stderr = '';
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      committed += lines.filter((l) => l.startsWith('committed ')).length;
      if (killAfter !== undefined && committed >= killAfter && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ committed, exitCode, signal, stderr }));
  });
}

let project: TempProject;
beforeEach(() => {
  project = createTempProject('sonotype-kill-');
  project.db.close(); // the child owns the database while it runs
});
afterEach(() => project.cleanup());

describe('crash safety', () => {
  it('a writer SIGKILLed mid-way leaves a consistent database, and re-running completes the work', async () => {
    const killed = await runWriter(project.dbPath, 40);
    expect(killed.stderr).toBe('');
    expect(killed.signal).toBe('SIGKILL');

    const db = project.reopen();
    expect(db.sql.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.sql.pragma('foreign_key_check')).toEqual([]);
    const perRecording = db.sql
      .prepare(
        `SELECT r.id, r.rel_path, r.sample_rate, r.content_hash, count(w.id) AS windows, sum(w.padded) AS padded
         FROM recordings r LEFT JOIN windows w ON w.recording_id = r.id GROUP BY r.id ORDER BY r.rel_path`,
      )
      .all() as { rel_path: string; sample_rate: number | null; content_hash: string | null; windows: number; padded: number }[];
    console.log(`kill test: SIGKILL after ${killed.committed} reported commits; ${perRecording.length} complete recordings on reopen`);
    // Every commit the writer reported survived; the kill came before the end.
    expect(perRecording.length).toBeGreaterThanOrEqual(killed.committed);
    expect(perRecording.length).toBeLessThan(TOTAL);
    // Each recording is all-or-nothing: complete metadata and all its windows.
    for (const row of perRecording) {
      expect(row, row.rel_path).toMatchObject({ sample_rate: 16_000, windows: WINDOWS_PER_RECORDING, padded: 1 });
      expect(row.content_hash).toMatch(/^hash-\d+$/);
    }
    // The job the dead process left running is reported as interrupted.
    expect(listJobs(db)).toMatchObject([{ kind: 'kill-test', state: 'failed', error: { message: 'interrupted' } }]);
    db.close();

    const resumed = await runWriter(project.dbPath);
    expect(resumed.stderr).toBe('');
    expect(resumed.exitCode).toBe(0);
    expect(resumed.committed).toBe(TOTAL - perRecording.length);
    const after = project.reopen();
    expect(after.sql.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(after.sql.prepare('SELECT count(*) AS n FROM recordings').get()).toEqual({ n: TOTAL });
    expect(after.sql.prepare('SELECT count(*) AS n FROM windows').get()).toEqual({ n: TOTAL * WINDOWS_PER_RECORDING });
    expect(listJobs(after).map((j) => j.state)).toEqual(['succeeded', 'failed']);
  });
});
