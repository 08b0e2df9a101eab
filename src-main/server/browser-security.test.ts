/**
 * The browser-mode security probes as tests: every request below needs no
 * valid token, or tries to get around it, and must be refused without taking
 * the server down. After each group the server must still answer a normal
 * call (the "still alive" check is what the original crashes failed).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../engine/project/open-project';
import { scanProject } from '../engine/project/scan-project';
import { whiteNoise } from '../engine/testing/synth';
import { encodeWav } from '../engine/testing/wav-writer';
import { startBrowserServer, type BrowserServer } from './browser-server';
import { callOver, openApiSocket, rawRequest, sendAndReceive } from './test-helpers';

const SECRET = 'root:x:0:0 secret outside the renderer';

describe('browser-mode server under hostile requests', () => {
  let base: string;
  let projectDir: string;
  let rendererDir: string;
  let outsideDir: string;
  let server: BrowserServer;
  let port: number;
  let linkedRecordingId: number;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'sonotype-security-'));
    projectDir = join(base, 'project');
    rendererDir = join(base, 'renderer');
    outsideDir = join(base, 'outside');
    for (const d of [projectDir, rendererDir, join(rendererDir, 'assets'), outsideDir, join(outsideDir, 'dir')]) mkdirSync(d);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(outsideDir, 'secret.txt'), SECRET);
    writeFileSync(join(outsideDir, 'dir', 'secret.txt'), SECRET);
    const wav = encodeWav([whiteNoise(8000, 1, 0.1, 3)], { sampleRate: 8000, format: 'pcm16' });
    writeFileSync(join(projectDir, 'a.wav'), wav);
    writeFileSync(join(outsideDir, 'elsewhere.wav'), wav);
    // Symlinks out of the renderer folder and out of the audio folder.
    symlinkSync(join(outsideDir, 'secret.txt'), join(rendererDir, 'link.txt'));
    symlinkSync(join(outsideDir, 'dir'), join(rendererDir, 'linkdir'));
    symlinkSync(join(outsideDir, 'secret.txt'), join(rendererDir, 'assets', 'deep.js'));
    symlinkSync(join(rendererDir, 'link.txt'), join(rendererDir, 'chain.txt'));
    symlinkSync(join(outsideDir, 'missing.txt'), join(rendererDir, 'dangling.txt'));
    symlinkSync(join(outsideDir, 'elsewhere.wav'), join(projectDir, 'linked.wav'));
    const project = await openProject(projectDir);
    const report = await scanProject(project);
    linkedRecordingId = report.recordings.find((r) => r.path === 'linked.wav')!.id;
    project.close();
    server = await startBrowserServer({ rendererDir, projectDir });
    port = server.port;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(base, { recursive: true, force: true });
  });

  async function expectAlive(): Promise<void> {
    const page = await rawRequest(port, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    const ws = await openApiSocket(port, { query: `?token=${server.token}` });
    const reply = await callOver(ws, 1, 'app:info', []);
    expect(reply.result.ok).toBe(true);
    ws.close();
  }

  describe('token', () => {
    it('refuses a token of the right length with a multibyte character (it used to crash timingSafeEqual)', async () => {
      const r = await rawRequest(port, `/?token=%C3%A9${'a'.repeat(server.token.length - 1)}`);
      expect(r.status).toBe(403);
      await expectAlive();
    });

    it('refuses wrong, empty, repeated and oversized tokens', async () => {
      for (const query of ['?token=', `?token=${server.token.slice(1)}x`, '?token=%00', `?token=${'a'.repeat(100_00)}`, `?token=${server.token.toUpperCase()}`]) {
        const r = await rawRequest(port, `/${query}`);
        expect(r.status, query).toBe(403);
        expect(r.headers['set-cookie'], query).toBeUndefined();
      }
      await expectAlive();
    });

    it('refuses a malformed cookie (it used to crash decodeURIComponent)', async () => {
      for (const cookie of ['sonotype_token=%E0%A4%A', 'sonotype_token=%', `sonotype_token=${server.token}%`, 'sonotype_token', '=;;=']) {
        const r = await rawRequest(port, '/', { headers: { cookie } });
        expect(r.status, cookie).toBe(403);
      }
      await expectAlive();
    });

    it('accepts the right token as a cookie', async () => {
      const r = await rawRequest(port, '/', { headers: { cookie: `other=1; sonotype_token=${server.token}` } });
      expect(r.status).toBe(200);
    });

    it('refuses the same malformed tokens and cookies on the WebSocket upgrade', async () => {
      const probes = [
        { query: `?token=%C3%A9${'a'.repeat(server.token.length - 1)}` },
        { headers: { cookie: 'sonotype_token=%E0%A4%A' } },
        { query: '?token=wrong' },
        {},
      ];
      for (const probe of probes) await expect(openApiSocket(port, probe), JSON.stringify(probe)).rejects.toThrow(/403/);
      await expectAlive();
    });
  });

  describe('host, origin and methods', () => {
    it('refuses requests whose Host is not this server (DNS rebinding), even with the token', async () => {
      for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `127.0.0.1:${port + 1}`, '', null]) {
        const r = await rawRequest(port, `/?token=${server.token}`, { headers: { host } });
        expect(r.status, String(host)).toBeGreaterThanOrEqual(400);
        expect(r.body, String(host)).not.toContain('id="app"');
      }
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
        expect((await rawRequest(port, `/?token=${server.token}`, { headers: { host } })).status, host).toBe(200);
      }
      await expect(openApiSocket(port, { query: `?token=${server.token}`, headers: { host: `evil.example:${port}` } })).rejects.toThrow(/403/);
      await expectAlive();
    });

    it('refuses WebSocket upgrades from other origins', async () => {
      for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, 'null', `https://127.0.0.1:${port}`]) {
        await expect(openApiSocket(port, { query: `?token=${server.token}`, headers: { origin } }), origin).rejects.toThrow(/403/);
      }
      const ws = await openApiSocket(port, { query: `?token=${server.token}`, headers: { origin: `http://localhost:${port}` } });
      ws.close();
    });

    it('answers only GET and HEAD (405 with Allow for POST, PUT, DELETE, PATCH, OPTIONS)', async () => {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
        for (const path of [`/?token=${server.token}`, `/media/tile-info/1?token=${server.token}`]) {
          const r = await rawRequest(port, path, { method, body: method === 'OPTIONS' ? undefined : 'x=1' });
          expect(r.status, `${method} ${path}`).toBe(405);
          expect(r.headers.allow).toBe('GET, HEAD');
        }
      }
      const head = await rawRequest(port, `/?token=${server.token}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      await expectAlive();
    });
  });

  describe('paths', () => {
    const traversals = [
      '/../secret.txt', '/../outside/secret.txt', '/..%2foutside%2fsecret.txt', '/%2e%2e/outside/secret.txt',
      '/%2e%2e%2foutside%2fsecret.txt', '/%252e%252e/outside/secret.txt', '/..\\outside\\secret.txt', '/..%5coutside%5csecret.txt',
      '/assets/../../outside/secret.txt', '/assets/%2e%2e/%2e%2e/outside/secret.txt', '/./../outside/secret.txt',
      '/....//outside/secret.txt', '/..;/outside/secret.txt', '/%c0%ae%c0%ae/outside/secret.txt', '/%uff0e%uff0e/outside/secret.txt',
      '/../../../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '//etc/passwd', '/etc/passwd', '/%2fetc%2fpasswd',
      '/index.html%00.js', '/%00', '/assets/app.js%00', '/.%00./outside/secret.txt', '/%',
      '/%e0%a4%a', '/assets/%ff', `/${'../'.repeat(40)}etc/passwd`, '/proc/self/environ', '/..%00/outside/secret.txt',
      '/media/audio/../../outside/secret.txt', '/media/tiles/1/../../../outside/secret.txt', '/media/audio/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/media/audio/1%2f..%2f..%2fsecret', '/media/tile-info/..', '/media//etc/passwd', '/media/audio/-1?start=0&end=1',
      '/media/audio/1e3?start=0&end=1', '/media/tiles/0x1/0/0', '/media/tiles/1/0/0/../../../../etc/passwd',
      '/media/tile-info/99999999999999999999',
    ];

    it(`refuses ${traversals.length} path-traversal probes without leaking a byte from outside`, async () => {
      expect(traversals.length).toBeGreaterThanOrEqual(41);
      for (const path of traversals) {
        const sep = path.includes('?') ? '&' : '?';
        const r = await rawRequest(port, `${path}${sep}token=${server.token}`);
        expect([400, 403, 404], `${path} → ${r.status}`).toContain(r.status);
        expect(r.body, path).not.toContain('secret');
        expect(r.body, path).not.toContain('root:x');
      }
      await expectAlive();
    });

    it('refuses symlinks that lead out of the renderer or the audio folder', async () => {
      const links = ['/link.txt', '/linkdir/secret.txt', '/assets/deep.js', '/chain.txt', '/dangling.txt'];
      for (const path of links) {
        const r = await rawRequest(port, `${path}?token=${server.token}`);
        expect(r.status, path).toBe(404);
        expect(r.body, path).not.toContain('secret');
      }
      const media = await rawRequest(port, `/media/audio/${linkedRecordingId}?start=0&end=1&token=${server.token}`);
      expect(media.status).toBe(404);
      expect(media.body).toMatch(/not inside the project's audio folder/);
      await expectAlive();
    });
  });

  describe('WebSocket messages', () => {
    it('closes a socket sending a frame over 8 MiB and stays up (it used to crash: no error listener)', async () => {
      const ws = await openApiSocket(port, { query: `?token=${server.token}` });
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.on('error', () => {});
      ws.send(Buffer.alloc(9 * 1024 * 1024, 0x20));
      expect(await closed).toBe(1009);
      await expectAlive();
    });

    it('answers malformed messages with a readable error instead of failing', async () => {
      const ws = await openApiSocket(port, { query: `?token=${server.token}` });
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const probes: (string | Buffer)[] = [
        '{', 'null', '[]', '"x"', '42', 'true', deep, Buffer.from([0xff, 0xfe, 0x00]),
        JSON.stringify({ id: 1, call: 'nope', args: [] }),
        JSON.stringify({ id: 2, call: 'labels:list', args: 'x' }),
        JSON.stringify({ id: 3, call: 'labels:list', args: [-1] }),
        JSON.stringify({ id: 4, call: '__proto__', args: [] }),
        JSON.stringify({ id: 5, call: 'constructor', args: [] }),
        JSON.stringify({ id: 6, call: 'toString', args: [] }),
        '{"id":7,"call":"app:info","args":[],"__proto__":{"polluted":true}}',
      ];
      for (const probe of probes) {
        const reply = (await sendAndReceive(ws, probe)) as { result: { ok: boolean; error?: { code: string; message: string } } };
        expect(reply.result.ok, String(probe).slice(0, 40)).toBe(probe.toString().includes('"app:info"'));
        if (!reply.result.ok) expect(reply.result.error?.message.length, String(probe).slice(0, 40)).toBeGreaterThan(0);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      ws.close();
      await expectAlive();
    });
  });
});
