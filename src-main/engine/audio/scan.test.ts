import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWithFfmpeg } from '../testing/ffmpeg-encode';
import { sine } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { findFfmpeg, hashFile, listAudioFiles, scanFolder, type ScannedFile } from './index';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const RATE = 16000;
const good = encodeWav([sine(RATE, 0.5, 440)], { sampleRate: RATE, format: 'pcm16' });
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function scanAll(root: string, opts?: Parameters<typeof scanFolder>[1]): Promise<Map<string, ScannedFile>> {
  const out = new Map<string, ScannedFile>();
  for await (const f of scanFolder(root, opts)) out.set(f.relPath, f);
  return out;
}

describe('scanFolder on a messy card', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sonotype-scan-'));
  const ffmpeg = findFfmpeg();
  beforeAll(async () => {
    mkdirSync(path.join(root, 'site A', 'night 1'), { recursive: true });
    writeFileSync(path.join(root, 'good.wav'), good);
    writeFileSync(path.join(root, 'site A', 'night 1', 'upper.WAV'), good);
    writeFileSync(path.join(root, 'empty.wav'), Buffer.alloc(0));
    writeFileSync(path.join(root, 'truncated.wav'), good.subarray(0, 30));
    writeFileSync(path.join(root, 'notes.wav'), 'Deployment notes: battery 80%\n');
    const adpcm = Buffer.from(good);
    adpcm.writeUInt16LE(0x0002, 20);
    writeFileSync(path.join(root, 'adpcm.wav'), adpcm);
    writeFileSync(path.join(root, '._good.wav'), Buffer.from('AppleDouble junk'));
    writeFileSync(path.join(root, 'sonotype.db'), Buffer.from('sqlite'));
    writeFileSync(path.join(root, 'sonotype.db-wal.wav'), Buffer.from('not ours to scan'));
    writeFileSync(path.join(root, 'readme.txt'), 'hello');
    symlinkSync('..', path.join(root, 'site A', 'loop-to-parent'));
    symlinkSync(path.join(root, 'missing.wav'), path.join(root, 'dangling.wav'));
    if (ffmpeg) await encodeWithFfmpeg(ffmpeg, path.join(root, 'good.wav'), path.join(root, 'site A', 'mixed.Flac'), 'flac');
    else console.warn('No ffmpeg: the .Flac part of the scan test is skipped.');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists audio files recursively, case-insensitively, skipping junk, through a symlink loop', async () => {
    const rel = (await listAudioFiles(root)).map((p) => path.relative(root, p).split(path.sep).join('/'));
    const expected = ['adpcm.wav', 'empty.wav', 'good.wav', 'notes.wav', ...(ffmpeg ? ['site A/mixed.Flac'] : []), 'site A/night 1/upper.WAV', 'truncated.wav'];
    expect(rel).toEqual(expected);
  });

  it('reports broken files as errors and scans the rest ok, with independent hashes', async () => {
    const seen: string[] = [];
    const results = await scanAll(root, { onFile: (r) => seen.push(r) });
    expect(seen).toEqual([...results.keys()]);
    const codes = Object.fromEntries([...results].map(([k, v]) => [k, v.status === 'ok' ? 'ok' : v.error?.code]));
    expect(codes).toEqual({
      'adpcm.wav': 'UNSUPPORTED_CODEC',
      'empty.wav': 'EMPTY_FILE',
      'good.wav': 'ok',
      'notes.wav': 'NOT_AUDIO',
      ...(ffmpeg ? { 'site A/mixed.Flac': 'ok' } : {}),
      'site A/night 1/upper.WAV': 'ok',
      'truncated.wav': 'TRUNCATED',
    });
    const g = results.get('good.wav') as ScannedFile;
    expect(g.hash).toBe(sha256(path.join(root, 'good.wav')));
    expect(g.sizeBytes).toBe(good.length);
    expect(g.info).toMatchObject({ sampleRate: RATE, channels: 1, frames: 8000, codec: 'pcm_s16le' });
    // Same bytes, different name: the hash is what re-links a moved recording.
    expect(results.get('site A/night 1/upper.WAV')?.hash).toBe(g.hash);
    expect(results.get('empty.wav')?.error?.message).toBe('File is empty (0 bytes)');
    expect(results.get('notes.wav')?.hash).toBe(sha256(path.join(root, 'notes.wav')));
    if (ffmpeg) expect(results.get('site A/mixed.Flac')?.info).toMatchObject({ codec: 'flac', frames: 8000 });
  });

  it('uses the hash cache for unchanged files', async () => {
    const calls: [string, number, number][] = [];
    const results = await scanAll(root, {
      hashCache: (relPath, size, mtime) => {
        calls.push([relPath, size, mtime]);
        return relPath === 'good.wav' ? 'cached-hash' : undefined;
      },
    });
    expect(results.get('good.wav')?.hash).toBe('cached-hash');
    expect(results.get('site A/night 1/upper.WAV')?.hash).toBe(sha256(path.join(root, 'good.wav')));
    const goodCall = calls.find((c) => c[0] === 'good.wav');
    expect(goodCall?.[1]).toBe(good.length);
    expect(goodCall?.[2]).toBe(results.get('good.wav')?.mtimeMs);
  });

  it('aborts with CANCELLED', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(scanAll(root, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('never modifies recordings', async () => {
    const before = sha256(path.join(root, 'good.wav'));
    await scanAll(root);
    expect(sha256(path.join(root, 'good.wav'))).toBe(before);
    expect(await hashFile(path.join(root, 'good.wav'))).toBe(before);
  });

  it('rejects a missing root with NOT_FOUND', async () => {
    await expect(listAudioFiles(path.join(root, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('unreadable files', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sonotype-perm-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const isRoot = process.getuid?.() === 0;
  const canDropPrivileges = isRoot && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;
  if (isRoot && !canDropPrivileges) console.warn('Skipping permission test: running as root and `runuser -u nobody` is unavailable.');

  it.skipIf(isRoot && !canDropPrivileges)('an unreadable file is UNREADABLE and the others still scan ok', async () => {
    chmodSync(root, 0o755);
    writeFileSync(path.join(root, 'open.wav'), good);
    writeFileSync(path.join(root, 'locked.wav'), good);
    chmodSync(path.join(root, 'locked.wav'), 0o000);
    let results: { relPath: string; status: string; code?: string; message?: string }[];
    if (isRoot) {
      // Root ignores file modes, so scan as `nobody` in a child process.
      const script = path.join(root, 'scan-as-nobody.mts');
      writeFileSync(
        script,
        `import { scanFolder } from ${JSON.stringify(path.join(here, 'index.ts'))};\n` +
          `const out = [];\nfor await (const f of scanFolder(${JSON.stringify(root)})) out.push({ relPath: f.relPath, status: f.status, code: f.error?.code, message: f.error?.message });\n` +
          'console.log(JSON.stringify(out));\n',
      );
      chmodSync(script, 0o644);
      const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
      const stdout = execFileSync('runuser', ['-u', 'nobody', '--', process.execPath, tsx, script], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: root },
        encoding: 'utf8',
      });
      results = JSON.parse(stdout.trim().split('\n').pop() as string);
    } else {
      results = [];
      for await (const f of scanFolder(root)) results.push({ relPath: f.relPath, status: f.status, code: f.error?.code, message: f.error?.message });
    }
    expect(results.map((r) => [r.relPath, r.status, r.code])).toEqual([
      ['locked.wav', 'error', 'UNREADABLE'],
      ['open.wav', 'ok', undefined],
    ]);
    expect(results[0].message).toMatch(/Permission denied/);
  });
});
