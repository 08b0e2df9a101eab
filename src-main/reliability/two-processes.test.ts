/**
 * Two processes on one project, as when the app and `sonotype detect` (or two
 * browser-mode servers) share a folder: two servers take label edits from
 * their own clients, several in flight each, while a third process runs
 * detection. Nothing is refused that waiting for the other writer could
 * complete (it used to: 76 of 1,600 edits came back "database busy", and
 * detect aborted in 1 of 3 runs), nothing acknowledged is lost.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../engine/project/open-project';
import { scanProject } from '../engine/project/scan-project';
import { openProjectDb, projectDbPath } from '../engine/store/database';
import { runMonitored } from '../engine/testing/reliability/child-monitor';
import { concat, digitalSilence, synthScene } from '../engine/testing/synth';
import { encodeWav } from '../engine/testing/wav-writer';
import { connect, startServerProcess } from '../server/testing/label-trials';
import { callOver } from '../server/test-helpers';

const here = dirname(fileURLToPath(import.meta.url));
const WORK_CHILD = join(here, '../engine/testing/reliability/work-child.ts');
const EDITS_PER_SERVER = 200;
const IN_FLIGHT = 4;

describe('two processes on one project', () => {
  let dir: string;
  let recordingId: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sonotype-two-processes-'));
    for (let i = 0; i < 4; i++) {
      const audio = concat(synthScene(8000, [{ kind: 'whistle', startSeconds: 0.5, endSeconds: 3 }], 6, 0.01, 70 + i), digitalSilence(8000, 4));
      writeFileSync(join(dir, `r${i}.wav`), encodeWav([audio], { sampleRate: 8000, format: 'pcm16' }));
    }
    const project = await openProject(dir);
    recordingId = (await scanProject(project)).recordings[0].id;
    project.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('edits from two servers and a detection run all go through, and every acknowledged edit is kept', async () => {
    const servers = await Promise.all([startServerProcess(dir), startServerProcess(dir)]);
    try {
      let detecting = false;
      let resolveStarted!: () => void;
      const started = new Promise<void>((r) => (resolveStarted = r));
      const detection = runMonitored<{ step: string; error?: { message: string } }>(WORK_CHILD, ['detect', dir], { stallMs: 120_000 }, (report) => {
        if (report.step === 'progress' && !detecting) {
          detecting = true;
          resolveStarted();
        }
      }).finally(() => {
        detecting = false;
        resolveStarted();
      });
      // The edits start once detection is writing, and go on at least until it ends.
      await started;
      const refused: string[] = [];
      const kept = new Map<number, { startSample: number; endSample: number }>();
      await Promise.all(servers.map(async (server, s) => {
        const ws = await connect(server);
        let next = 0;
        await Promise.all(Array.from({ length: IN_FLIGHT }, async (_, lane) => {
          while (next < EDITS_PER_SERVER || (detecting && next < 3 * EDITS_PER_SERVER)) {
            const i = next++;
            const start = (s * EDITS_PER_SERVER + i) * 100;
            const reply = await callOver(ws, i * IN_FLIGHT + lane + 1, 'labels:create', [{ recordingId, startSample: start, endSample: start + 80, value: 'sound' }]);
            if (!reply.result.ok) refused.push(`${reply.result.error?.code}: ${reply.result.error?.message}`);
            else {
              const view = reply.result.value as { id: number; startSample: number; endSample: number };
              // Every other edit is resized at once, so the two servers also update while the other writes.
              if (i % 2 === 0) {
                const update = await callOver(ws, 1e6 + i * IN_FLIGHT + lane, 'labels:update', [view.id, { endSample: start + 90 }]);
                if (!update.result.ok) refused.push(`${update.result.error?.code}: ${update.result.error?.message}`);
                else view.endSample = start + 90;
              }
              kept.set(view.id, view);
            }
          }
        }));
        ws.close();
      }));
      const detected = await detection;
      expect(refused).toEqual([]);
      expect(detected.outcome).toBe('exited');
      expect(detected.reports.at(-1), JSON.stringify(detected.reports.at(-1))).toMatchObject({ step: 'done' });
      expect(kept.size).toBeGreaterThanOrEqual(2 * EDITS_PER_SERVER);

      const db = openProjectDb(projectDbPath(dir));
      try {
        expect(String(db.sql.pragma('integrity_check', { simple: true }))).toBe('ok');
        const rows = db.sql.prepare("SELECT id, start_sample, end_sample FROM labels WHERE source = 'human' AND deleted = 0").all() as { id: number; start_sample: number; end_sample: number }[];
        expect(rows.length).toBe(kept.size);
        for (const r of rows) expect([r.start_sample, r.end_sample]).toEqual([kept.get(r.id)!.startSample, kept.get(r.id)!.endSample]);
      } finally {
        db.close();
      }
    } finally {
      await Promise.all(servers.map((s) => s.kill()));
    }
  }, 300_000);
});
