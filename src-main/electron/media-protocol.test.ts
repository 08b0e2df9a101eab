/**
 * The desktop app's `sonotype:` protocol answers from the open project's own
 * TileService (the one review:open uses): one tile cache and one set of open
 * files per project, none built beside it. Electron is faked (no binary here).
 */
import { describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './testing/fake-electron';
import { requireSession, type ProjectSession } from '../app/app-state';
import { createTestApp, openAndScan } from '../app/test-helpers';
import { handleMediaProtocol } from './media-protocol';

const fake = vi.hoisted(() => ({ current: null as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./testing/fake-electron');
  fake.current = createFakeElectron();
  return { ...fake.current.electron, default: fake.current.electron };
});

describe('sonotype: protocol', () => {
  it("serves tiles through the open session's TileService, and none once the project is closed", async () => {
    const app = createTestApp();
    try {
      const ids = await openAndScan(app);
      const session = requireSession(app.state);
      const getTile = vi.spyOn(session.tiles, 'getTile');
      let open: ProjectSession | null = session;
      const release = handleMediaProtocol(() => open);
      const handle = fake.current.protocolHandler()!;
      const url = `sonotype://media/tiles/${ids['a.wav']}/0/0`;

      const response = await handle(new Request(url));
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
      expect(getTile).toHaveBeenCalledWith(ids['a.wav'], 0, 0, expect.anything());

      open = null;
      expect((await handle(new Request(url))).status).toBe(404);
      release();
      expect(fake.current.protocolHandler()).toBeNull();
    } finally {
      await app.close();
    }
  });
});
