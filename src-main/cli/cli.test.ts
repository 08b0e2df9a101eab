/**
 * The `sonotype` CLI end to end, in-process (runCli with captured output) and
 * once as a real child process (exit codes, and a kill in the middle of a scan).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir, rename, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { runCli } from './main';
import { captureIo } from './test-helpers';
import { encodeWav } from '../engine/testing/wav-writer';
import { fmWhistle, whiteNoise, concat } from '../engine/testing/synth';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, 'bin.mjs');

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sonotype-cli-'));
  await mkdir(join(root, 'audio', 'day1'), { recursive: true });
  const a = concat(whiteNoise(48_000, 1, 0.01), fmWhistle({ sampleRate: 48_000, durationSeconds: 1 }));
  await writeFile(join(root, 'audio', 'day1', 'a.wav'), encodeWav([a], { sampleRate: 48_000, format: 'pcm16' }));
  await writeFile(join(root, 'audio', 'b.WAV'), encodeWav([whiteNoise(48_000, 0.5, 0.01, 9)], { sampleRate: 48_000, format: 'pcm24' }));
  await writeFile(join(root, 'audio', 'c.wav'), encodeWav([whiteNoise(32_000, 3, 0.01, 4)], { sampleRate: 32_000, format: 'float32' }));
  await writeFile(join(root, 'audio', 'notes.wav'), 'these are my field notes, not audio\n');
  await writeFile(join(root, 'audio', 'empty.wav'), '');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('sonotype scan', () => {
  it('prints the stable JSON shape, with per-file errors and exit code 0', async () => {
    const io = captureIo();
    const code = await runCli(['scan', join(root, 'audio'), '--json'], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(io.stdout);
    const byPath = Object.fromEntries(out.recordings.map((r: { path: string }) => [r.path, r]));
    expect(Object.keys(byPath).sort()).toEqual(['b.WAV', 'c.wav', 'day1/a.wav', 'empty.wav', 'notes.wav']);
    expect(byPath['day1/a.wav']).toMatchObject({ status: 'ok', sampleRate: 48_000, channels: 1 });
    expect(byPath['day1/a.wav'].durationSeconds).toBeCloseTo(2, 6);
    expect(byPath['day1/a.wav'].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(byPath['c.wav']).toMatchObject({ status: 'ok', sampleRate: 32_000 });
    expect(byPath['empty.wav'].status).toBe('error');
    expect(byPath['empty.wav'].error).toMatch(/empty/i);
    expect(byPath['notes.wav'].status).toBe('error');
    expect(typeof byPath['notes.wav'].error).toBe('string');
    for (const r of out.recordings) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['path', 'status', 'durationSeconds', 'sampleRate', 'channels', 'codec', 'hash']));
    }
    expect(out.totals).toMatchObject({ files: 5, ok: 3, errors: 2, inserted: 5 });
    expect(out.totals.durationSeconds).toBeCloseTo(2 + 0.5 + 3, 6);
    // Each rate family is analysed at its own rate: 32 kHz is not resampled to the 48 kHz files' rate.
    expect(out.project.rateGroups).toEqual([
      { analysisSampleRate: 32_000, nativeRates: [32_000] },
      { analysisSampleRate: 48_000, nativeRates: [48_000] },
    ]);
    expect(out.project.analysisSampleRate).toBe(48_000);
  });

  it('re-scans without duplicating and re-links a moved file by its hash', async () => {
    const first = captureIo();
    await runCli(['scan', join(root, 'audio'), '--json'], first);
    const before = JSON.parse(first.stdout).recordings.find((r: { path: string }) => r.path === 'day1/a.wav');
    await mkdir(join(root, 'audio', 'day2'));
    await rename(join(root, 'audio', 'day1', 'a.wav'), join(root, 'audio', 'day2', 'renamed.wav'));
    const io = captureIo();
    expect(await runCli(['scan', join(root, 'audio'), '--json'], io)).toBe(0);
    const out = JSON.parse(io.stdout);
    expect(out.recordings).toHaveLength(5);
    const moved = out.recordings.find((r: { path: string }) => r.path === 'day2/renamed.wav');
    expect(moved.hash).toBe(before.hash);
    expect(out.totals.relinked).toBe(1);
    expect(out.totals.inserted).toBe(0);
    const db = new Database(join(root, 'audio', 'sonotype.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT count(*) AS n FROM recordings').get() as { n: number };
      expect(rows.n).toBe(5);
    } finally {
      db.close();
    }
  });

  it('prints a readable table by default and keeps the project where --project says', async () => {
    const io = captureIo();
    const projectDir = join(root, 'elsewhere');
    expect(await runCli(['scan', join(root, 'audio'), '--project', projectDir], io)).toBe(0);
    expect(io.stdout).toMatch(/file\s+duration\s+rate\s+channels\s+status/);
    expect(io.stdout).toMatch(/c\.wav\s+0:03\.000\s+32000\s+1\s+ok/);
    expect(io.stdout).toMatch(/notes\.wav.*error/);
    expect(io.stdout).toMatch(/analysis rates 32000 Hz; 48000 Hz, channel 0/);
    expect((await readFile(join(projectDir, 'sonotype.db'))).length).toBeGreaterThan(0);
  });

  it('opens a cut-short file with what it holds and says so (--json warning, and in the table)', async () => {
    const dir = join(root, 'cut');
    await mkdir(dir);
    const whole = encodeWav([whiteNoise(8000, 2.5, 0.01, 5)], { sampleRate: 8000, format: 'pcm16' });
    await writeFile(join(dir, 'cut.wav'), whole.subarray(0, 44 + 2 * 8800));
    await writeFile(join(dir, 'whole.wav'), whole);
    const io = captureIo();
    expect(await runCli(['scan', dir, '--json'], io)).toBe(0);
    const byPath = Object.fromEntries(JSON.parse(io.stdout).recordings.map((r: { path: string }) => [r.path, r]));
    expect(byPath['cut.wav']).toMatchObject({ status: 'ok', durationSeconds: 1.1, warning: expect.stringMatching(/^The header says 2\.5 s; the file holds 1\.1 s/) });
    expect(byPath['whole.wav']).not.toHaveProperty('warning');
    const table = captureIo();
    expect(await runCli(['scan', dir], table)).toBe(0);
    expect(table.stdout).toMatch(/cut\.wav.*ok, warning: The header says 2\.5 s/);
  });

  it('exits 2 on usage errors', async () => {
    expect(await runCli(['scan'], captureIo())).toBe(2);
    expect(await runCli(['scan', join(root, 'does-not-exist')], captureIo())).toBe(2);
    expect(await runCli(['scan', root, '--bogus'], captureIo())).toBe(2);
    expect(await runCli(['frobnicate'], captureIo())).toBe(2);
    expect(await runCli([], captureIo())).toBe(2);
  });
});

describe('sonotype features', () => {
  it('prints the config and the window count of the file', async () => {
    const io = captureIo();
    expect(await runCli(['features', join(root, 'audio', 'c.wav'), '--json', '--project', join(root, 'audio')], io)).toBe(0);
    const out = JSON.parse(io.stdout);
    // c.wav (32 kHz) is 1.5× from the folder's 48 kHz files: it forms its own rate group and is not resampled.
    expect(out.config).toMatchObject({ version: 1, analysisSampleRate: 32_000, fftSize: 512, hopSize: 256, windowFrames: 32, windowStride: 16 });
    expect(out.resampled).toBe(false);
    // Independent count: 3 s at 32 kHz = 96000 samples; a frame starts every 256 samples while the
    // start is inside the signal; windows start every 16 frames until the last frame is covered.
    const samples = 3 * 32_000;
    let frames = 0;
    for (let start = 0; start < samples; start += 256) frames++;
    const windows = Math.ceil(Math.max(0, frames - 32) / 16) + 1;
    expect(out.frameCount).toBe(frames);
    expect(out.windowCount).toBe(windows);
    expect(out.binCount).toBe(256);
  });

  it('uses the native rate outside a project and fails with exit 1 on a broken file', async () => {
    const lone = await mkdtemp(join(tmpdir(), 'sonotype-lone-'));
    try {
      await writeFile(join(lone, 'x.wav'), encodeWav([whiteNoise(22_050, 1, 0.01)], { sampleRate: 22_050, format: 'pcm16' }));
      await writeFile(join(lone, 'broken.wav'), 'RIFF');
      const io = captureIo();
      expect(await runCli(['features', join(lone, 'x.wav'), '--json'], io)).toBe(0);
      expect(JSON.parse(io.stdout)).toMatchObject({ project: null, resampled: false, config: { analysisSampleRate: 22_050 } });
      const bad = captureIo();
      expect(await runCli(['features', join(lone, 'broken.wav')], bad)).toBe(1);
      expect(bad.stderr).toMatch(/broken\.wav|truncated|header/i);
      expect(await runCli(['features'], captureIo())).toBe(2);
    } finally {
      await rm(lone, { recursive: true, force: true });
    }
  });
});

describe('sonotype as a process', () => {
  it('exits 0, 1 and 2 as documented', () => {
    const ok = spawnSync(process.execPath, [bin, 'scan', join(root, 'audio'), '--json'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).totals.files).toBe(5);
    expect(spawnSync(process.execPath, [bin, 'nope'], { encoding: 'utf8' }).status).toBe(2);
    expect(spawnSync(process.execPath, [bin, 'features', join(root, 'audio', 'notes.wav')], { encoding: 'utf8' }).status).toBe(1);
  });

  it('a scan killed mid-way leaves a consistent database that the next scan completes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sonotype-kill-'));
    try {
      const n = 150;
      const wav = (i: number) => encodeWav([whiteNoise(16_000, 0.25, 0.01, i + 1)], { sampleRate: 16_000, format: 'pcm16' });
      for (let i = 0; i < n; i++) await writeFile(join(dir, `f${String(i).padStart(3, '0')}.wav`), wav(i));
      const child = spawn(process.execPath, [bin, 'scan', dir, '--json'], { stdio: 'ignore' });
      const dbPath = join(dir, 'sonotype.db');
      // Kill once some but not all files are stored.
      await new Promise<void>((resolveWait, reject) => {
        const started = Date.now();
        const timer = setInterval(() => {
          try {
            const db = new Database(dbPath, { readonly: true, fileMustExist: true });
            const { c } = db.prepare('SELECT count(*) AS c FROM recordings').get() as { c: number };
            db.close();
            if (c >= 10) {
              clearInterval(timer);
              child.kill('SIGKILL');
              resolveWait();
            }
          } catch {
            /* not created yet */
          }
          if (Date.now() - started > 30_000) {
            clearInterval(timer);
            child.kill('SIGKILL');
            reject(new Error('scan did not start storing recordings within 30 s'));
          }
        }, 20);
      });
      await new Promise((r) => child.once('exit', r));
      const db = new Database(dbPath);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const partial = db.prepare("SELECT count(*) AS c FROM recordings WHERE status = 'ok' AND content_hash IS NOT NULL AND duration_seconds > 0").get() as { c: number };
        const all = db.prepare('SELECT count(*) AS c FROM recordings').get() as { c: number };
        expect(partial.c).toBe(all.c); // every stored row is complete
      } finally {
        db.close();
      }
      const io = captureIo();
      expect(await runCli(['scan', dir, '--json'], io)).toBe(0);
      const out = JSON.parse(io.stdout);
      expect(out.totals).toMatchObject({ files: n, ok: n, errors: 0 });
      expect(out.totals.inserted + out.totals.unchanged).toBe(n);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('feature flags', () => {
  it('override single settings and report invalid values readably', async () => {
    const io = captureIo();
    const file = join(root, 'audio', 'c.wav');
    expect(
      await runCli(['features', file, '--json', '--analysis-rate', '32000', '--fft', '1024', '--hop', '512', '--band', '1000-8000', '--magnitude', 'linear'], io),
    ).toBe(0);
    const out = JSON.parse(io.stdout);
    expect(out.config).toMatchObject({ analysisSampleRate: 32_000, fftSize: 1024, hopSize: 512, magnitude: 'linear', band: { lowHz: 1000, highHz: 8000 } });
    // Bins k with 1000 <= k * 32000 / 1024 < 8000: k = 32 … 255.
    expect(out.binCount).toBe(256 - 32);
    expect(out.resampled).toBe(false);

    const bad = captureIo();
    expect(await runCli(['features', file, '--fft', '1000'], bad)).toBe(1);
    expect(bad.stderr).toMatch(/power of (two|2)/i);
    expect(await runCli(['features', file, '--band', 'low-high'], captureIo())).toBe(2);
    expect(await runCli(['features', file, '--magnitude', 'loud'], captureIo())).toBe(2);
  });
});

describe('sonotype model summary', () => {
  it('prints Keras-style tables whose totals match the seeds (V1)', async () => {
    const v1 = captureIo();
    expect(await runCli(['model', 'summary', 'v1'], v1)).toBe(0);
    expect(v1.stdout).toMatch(/Total params: 762,736/);
    expect(v1.stdout).toMatch(/Trainable params: 762,480/);
    expect(v1.stdout).toMatch(/conv2d_3 \(Conv2D\)\s+\(None, 2, 16, 16\)\s+32784/);
    expect(await runCli(['model', 'summary', 'v2'], captureIo())).toBe(2);
  });

  it('prints Keras-style tables whose totals match the seeds (V3)', async () => {
    const v3 = captureIo();
    expect(await runCli(['model', 'summary', 'v3'], v3)).toBe(0);
    expect(v3.stdout).toMatch(/Total params: 275,328/);
  });
});
