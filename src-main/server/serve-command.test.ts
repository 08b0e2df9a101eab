/**
 * `npm run serve -- <project>` as a user runs it: one line on stdout with the
 * URL and token, the page served with the token and refused without it.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '../engine/testing/wav-writer';
import { whiteNoise } from '../engine/testing/synth';

const here = dirname(fileURLToPath(import.meta.url));
const built = existsSync(resolve(here, '../../out/renderer/index.html'));
if (!built) console.warn('serve command test skipped: the renderer is not built (npx electron-vite build)');

describe.skipIf(!built)('npm run serve', () => {
  it('prints exactly one "Sonotype is serving http://127.0.0.1:PORT/?token=…" line and guards the page with the token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sonotype-serve-'));
    await writeFile(join(dir, 'a.wav'), encodeWav([whiteNoise(16_000, 1, 0.01)], { sampleRate: 16_000, format: 'pcm16' }));
    const child = spawn(process.execPath, [join(here, 'bin.mjs'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolveLine, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL line within 30 s; stdout so far: ${out}`)), 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) {
            clearTimeout(timer);
            resolveLine(out);
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      expect(line).toMatch(/^Sonotype is serving http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{16,}\n$/);
      const url = line.trim().split(' ').pop() as string;
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="app">/);
      expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(403);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
