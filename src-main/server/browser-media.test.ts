import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whiteNoise } from '../engine/testing/synth';
import { createTileFixture, type TileFixture } from '../engine/tiles/test-helpers';
import { decodeTile } from '../engine/tiles/tile-format';
import { startBrowserServer, type BrowserServer } from './browser-server';

describe('browser mode media routes', () => {
  let fx: TileFixture;
  let server: BrowserServer;
  let rendererDir: string;

  beforeAll(async () => {
    fx = await createTileFixture([{ name: 'a.wav', samples: whiteNoise(16_000, 5, 0.1, 2), sampleRate: 16_000 }], 16_000);
    fx.project.close(); // the server opens its own connection
    rendererDir = mkdtempSync(join(tmpdir(), 'sonotype-renderer-'));
    server = await startBrowserServer({ rendererDir, projectDir: fx.dir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(fx.dir, { recursive: true, force: true });
    rmSync(rendererDir, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${server.port}`;

  it('refuses tiles and audio without the token', async () => {
    for (const path of ['/media/tiles/1/0/0', '/media/audio/1?start=0&end=1', '/media/tiles/1/0/0?token=wrong']) {
      const r = await fetch(base() + path);
      expect(r.status, path).toBe(403);
      expect(await r.text()).toMatch(/token/);
    }
  });

  it('serves tiles and audio with the token (query, then cookie)', async () => {
    const r = await fetch(`${base()}/media/tiles/1/0/0?token=${server.token}`);
    expect(r.status).toBe(200);
    const tile = decodeTile(new Uint8Array(await r.arrayBuffer()));
    expect(tile?.columns).toBe(Math.ceil((5 * 16_000) / 256));
    const cookie = r.headers.get('set-cookie')!.split(';')[0];
    const audio = await fetch(`${base()}/media/audio/1?start=0&end=2`, { headers: { cookie, range: 'bytes=0-43' } });
    expect(audio.status).toBe(206);
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('RIFF');
    const missing = await fetch(`${base()}/media/tiles/7/0/0`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/No recording with id 7/);
  });
});
