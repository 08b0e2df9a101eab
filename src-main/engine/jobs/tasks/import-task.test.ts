/**
 * The 'import' job in a worker thread: progress in rows up to the total, the
 * report as its result, one undo step; and a cancel that leaves the project
 * exactly as it was. The cancel's order is made certain with a FIFO as the
 * table: the task blocks reading it until the test has cancelled.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../../src-shared/job-types';
import { jobResultOf } from '../../../../src-shared/job-kinds';
import { JobRunner } from '../job-runner';
import { openProject, type Project } from '../../project/open-project';
import { scanProject } from '../../project/scan-project';
import { undoLastEdit } from '../../store/label-history';
import { listLabels } from '../../store/labels';
import { listRecordings } from '../../store/recordings';
import { encodeWav } from '../../testing/wav-writer';
import { digitalSilence } from '../../testing/synth';

const RATE = 8_000;
let dir: string;
let project: Project;

/** An Audacity track of `rows` labels, 10 ms each, row 4 broken. */
function audacityTrack(rows: number): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push(i === 3 ? 'x\t1\tbroken' : `${(i * 0.01).toFixed(3)}\t${(i * 0.01 + 0.005).toFixed(3)}\tcall`);
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sonotype-import-task-'));
  for (const name of ['a.wav', 'b.wav']) await writeFile(join(dir, name), encodeWav([digitalSilence(RATE, 20)], { sampleRate: RATE, format: 'pcm16' }));
  project = await openProject(dir);
  await scanProject(project);
});

afterAll(async () => {
  project?.close();
  await rm(dir, { recursive: true, force: true });
});

const idOf = (name: string) => listRecordings(project.db).find((r) => r.path === name)!.id;
const allLabels = () => [...listLabels(project.db, idOf('a.wav')), ...listLabels(project.db, idOf('b.wav'))];

describe("'import' job", () => {
  it('reports rows read of the total, returns the report, and is one undo step', async () => {
    const tables = join(dir, 'tables');
    execFileSync('mkdir', ['-p', tables]);
    await writeFile(join(tables, 'a.txt'), audacityTrack(1500));
    await writeFile(join(tables, 'b.txt'), audacityTrack(700));
    const runner = new JobRunner(project.db);
    try {
      const events: JobProgress[] = [];
      runner.onProgress((p) => events.push(p));
      const jobId = runner.start('import', { tables: [{ name: 'a.txt', path: join(tables, 'a.txt') }, { name: 'b.txt', path: join(tables, 'b.txt') }], options: {}, author: 'tester' });
      const final = await runner.wait(jobId);
      expect(final.state).toBe('succeeded');
      const report = jobResultOf(final, 'import')!;
      expect(report).toMatchObject({ imported: 2198, rejected: 2, duplicates: 0, issues: [{ file: 'a.txt', line: 4 }, { file: 'b.txt', line: 4 }] });
      const rows = events.filter((e) => e.jobId === jobId && e.phase === 'matching');
      expect(rows.at(-1)).toMatchObject({ done: 2198, total: 2198, itemsLabel: 'rows' });
      expect(rows.every((e) => e.done <= (e.total ?? 0))).toBe(true);
      expect(events.some((e) => e.jobId === jobId && e.phase === 'writing')).toBe(true);
      expect(listLabels(project.db, idOf('a.wav'))).toHaveLength(1499);
      expect(listLabels(project.db, idOf('b.wav'))[0]).toMatchObject({ source: 'imported', sourceTable: 'b.txt', startSample: 0, endSample: 40 });

      undoLastEdit(project.db);
      expect(allLabels()).toEqual([]);
    } finally {
      await runner.shutdown();
    }
  });

  it('cancelled, leaves the project as it was', async () => {
    const before = allLabels();
    const fifo = join(dir, 'a.fifo.txt');
    execFileSync('mkfifo', [fifo]);
    const runner = new JobRunner(project.db, { cancelGraceMs: 60_000 });
    try {
      const events: JobProgress[] = [];
      runner.onProgress((p) => events.push(p));
      const jobId = runner.start('import', { tables: [{ name: 'a.txt', path: fifo }], options: {} });
      // The task reports 'reading' (posted at once: a new phase) and then blocks reading the FIFO.
      await new Promise<void>((resolve) => {
        const check = () => (events.some((e) => e.jobId === jobId && e.phase === 'reading') ? resolve() : setTimeout(check, 5));
        check();
      });
      expect(runner.cancel(jobId)).toBe(true);
      // Only now does the table arrive: every row is readable and would be imported but for the cancel.
      await writeFile(fifo, audacityTrack(600));
      const final = await runner.wait(jobId);
      expect(final.state).toBe('cancelled');
      expect(allLabels()).toEqual(before);
      expect(undoLastEdit(project.db)).toBeNull();
    } finally {
      await runner.shutdown();
    }
  });
});
