/**
 * Two browser tabs on one project, over the real WebSocket API: Ctrl+Z in one
 * tab undoes that tab's edit, never the other tab's newer label (it used to).
 * After a tab is closed, its edits can be undone from the other one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whiteNoise } from '../engine/testing/synth';
import { createTileFixture, type TileFixture } from '../engine/tiles/test-helpers';
import { startBrowserServer, type BrowserServer } from './browser-server';
import { callOver, openApiSocket } from './test-helpers';

describe('undo per browser tab', () => {
  let fx: TileFixture;
  let server: BrowserServer;
  let rendererDir: string;
  beforeAll(async () => {
    fx = await createTileFixture([{ name: 'a.wav', samples: whiteNoise(8000, 2, 0.1, 2), sampleRate: 8000 }], 8000);
    fx.project.close();
    rendererDir = mkdtempSync(join(tmpdir(), 'sonotype-renderer-'));
    server = await startBrowserServer({ rendererDir, projectDir: fx.dir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(fx.dir, { recursive: true, force: true });
    rmSync(rendererDir, { recursive: true, force: true });
  });

  it("undoes each tab's own edits", async () => {
    const query = { query: `?token=${server.token}` };
    const tabA = await openApiSocket(server.port, query);
    const tabB = await openApiSocket(server.port, query);
    const recordingId = fx.ids.get('a.wav')!;
    let n = 1;
    const call = async (ws: typeof tabA, name: string, ...args: unknown[]) => {
      const reply = await callOver(ws, n++, name, args);
      if (!reply.result.ok) throw new Error(reply.result.error!.message);
      return reply.result.value as never;
    };
    const a = await call(tabA, 'labels:create', { recordingId, startSample: 0, endSample: 800, value: 'sound' }) as { id: number };
    const b = await call(tabB, 'labels:create', { recordingId, startSample: 4000, endSample: 4800, value: 'silence' }) as { id: number };
    await call(tabA, 'history:undo');
    const labels = (await call(tabB, 'labels:list', recordingId) as { id: number }[]).map((l) => l.id);
    expect(labels).toEqual([b.id]);
    expect(labels).not.toContain(a.id);
    expect(await call(tabA, 'history:state')).toMatchObject({ canUndo: false, canRedo: true });
    // Tab B closes: what it did can now be undone from tab A.
    tabB.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(await call(tabA, 'history:state')).toMatchObject({ canUndo: true });
    await call(tabA, 'history:undo');
    expect(await call(tabA, 'labels:list', recordingId)).toEqual([]);
    tabA.close();
  });
});
