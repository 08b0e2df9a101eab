/**
 * Kill -9 during label editing, over the real WebSocket API: 30 seeded trials
 * on one project. After every kill each acknowledged edit is in the database
 * (only the edit in flight may be missing), the database passes
 * integrity_check and foreign_key_check, and the next server starts on it;
 * at the end, undo and redo work on the survivors' history.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../engine/project/open-project';
import { scanProject } from '../engine/project/scan-project';
import { whiteNoise } from '../engine/testing/synth';
import { encodeWav } from '../engine/testing/wav-writer';
import { createRng } from '../engine/util/random';
import { checkAfterKill, connect, LabelModel, runLabelKillTrial, settleUncertain, startServerProcess } from '../server/testing/label-trials';
import { callOver } from '../server/test-helpers';

const TRIALS = 30;
const RATE = 8000;
const FRAMES = 20 * RATE;

describe('kill -9 during label editing', () => {
  let dir: string;
  let recordingId: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sonotype-kill-labels-'));
    writeFileSync(join(dir, 'a.wav'), encodeWav([whiteNoise(RATE, FRAMES / RATE, 0.05, 4)], { sampleRate: RATE, format: 'pcm16' }));
    const project = await openProject(dir);
    recordingId = (await scanProject(project)).recordings[0].id;
    project.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`loses no acknowledged edit in ${TRIALS} trials, and undo works afterwards`, async () => {
    const model = new LabelModel();
    const recordingOf = new Map<number, number>();
    const rng = createRng(9);
    for (let trial = 0; trial < TRIALS; trial++) {
      await runLabelKillTrial({ projectDir: dir, recordingId, frames: FRAMES, seed: 100 + trial, killAfter: 2 + Math.floor(rng() * 8) }, model, recordingOf);
      const check = checkAfterKill(dir, model);
      expect(check.integrity, `trial ${trial}`).toBe('ok');
      expect(check.foreignKeyErrors, `trial ${trial}`).toBe(0);
      expect(check.lost, `trial ${trial}`).toEqual([]);
      settleUncertain(dir, model);
    }
    expect(model.acknowledged).toBeGreaterThanOrEqual(TRIALS * 2);

    // The edits of the killed servers are nobody's now: a new window can undo and redo them.
    const server = await startServerProcess(dir);
    const ws = await connect(server);
    try {
      const call = async (name: string, ...args: unknown[]) => (await callOver(ws, Math.floor(Math.random() * 1e9), name, args)).result;
      const spans = async () => ((await call('labels:list', recordingId)).value as { id: number; startSample: number; endSample: number; value: string }[])
        .map((l) => [l.id, l.startSample, l.endSample, l.value]);
      const before = await spans();
      expect(await call('history:state')).toMatchObject({ ok: true, value: { canUndo: true } });
      expect((await call('history:undo')).ok).toBe(true);
      expect(await spans()).not.toEqual(before);
      expect((await call('history:redo')).ok).toBe(true);
      expect(await spans()).toEqual(before);
    } finally {
      ws.terminate();
      await server.kill();
    }
  }, 300_000);
});
