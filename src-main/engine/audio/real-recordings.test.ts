import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findFfmpeg, probeAudio, readAudioBlocks, scanFolder, type ScannedFile } from './index';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = path.resolve(repoRoot, '../shared/data/recordings');
if (!existsSync(dir)) console.warn(`Skipping real-recording tests: ${dir} is absent.`);

interface ManifestRow {
  file: string;
  sampleRate: number;
  channels: number;
  seconds: number;
}

/** Parses the recordings table of MANIFEST.md (columns: file | … | sr (Hz) | ch | dur (s) | …). */
function parseManifest(text: string): ManifestRow[] {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  const header = lines[0].split('|').map((c) => c.trim());
  const col = (name: string) => header.indexOf(name);
  const [iFile, iRate, iCh, iDur] = [col('file'), col('sr (Hz)'), col('ch'), col('dur (s)')];
  return lines
    .map((l) => l.split('|').map((c) => c.trim()))
    .filter((c) => /\.(wav|flac|mp3|ogg|opus|m4a)$/i.test(c[iFile] ?? ''))
    .map((c) => ({ file: c[iFile], sampleRate: Number(c[iRate]), channels: Number(c[iCh]), seconds: Number(c[iDur]) }));
}

describe.skipIf(!existsSync(dir))('real recordings in ../shared/data/recordings', () => {
  const manifest = existsSync(dir) ? parseManifest(readFileSync(path.join(dir, 'MANIFEST.md'), 'utf8')) : [];

  it('scans every file ok, matching the MANIFEST table (duration within 10 ms)', async () => {
    expect(manifest.length).toBeGreaterThan(40);
    const scanned = new Map<string, ScannedFile>();
    for await (const f of scanFolder(dir)) scanned.set(f.relPath, f);
    const failures = [...scanned.values()].filter((f) => f.status !== 'ok').map((f) => `${f.relPath}: ${f.error?.message}`);
    expect(failures).toEqual([]);
    for (const row of manifest) {
      const f = scanned.get(row.file);
      expect(f, row.file).toBeDefined();
      expect(f?.info?.sampleRate, row.file).toBe(row.sampleRate);
      expect(f?.info?.channels, row.file).toBe(row.channels);
      expect(Math.abs((f?.info?.durationSeconds ?? -1) - row.seconds), row.file).toBeLessThanOrEqual(0.01);
    }
    const some = scanned.get('minke_whale_pamguard.wav') as ScannedFile;
    expect(some.hash).toBe(createHash('sha256').update(readFileSync(some.absPath)).digest('hex'));
  });

  it('decoded frame totals equal the probed frame counts', async () => {
    for (const row of manifest) {
      const file = path.join(dir, row.file);
      const info = await probeAudio(file);
      let frames = 0;
      for await (const block of readAudioBlocks(file)) frames += block.length;
      expect(frames, row.file).toBe(info.frames);
    }
  });

  it('the float32 blue whale file (fmt without extension) decodes to finite, non-silent samples', async () => {
    const file = path.join(dir, 'blue_whale_pamguard_float32.wav');
    expect(await probeAudio(file)).toMatchObject({ codec: 'pcm_f32le', sampleRate: 1000 });
    let energy = 0;
    for await (const block of readAudioBlocks(file)) for (const x of block) energy += x * x;
    expect(Number.isFinite(energy) && energy > 0).toBe(true);
  });

  it('orcasound live000 (stereo): both channels start with ~1.9 s of exact digital zeros', async () => {
    // MANIFEST says this of both live files, but live001 has only ~9 ms of zeros (checked with Python's wave module too).
    for (const channel of [0, 1]) {
      let firstNonZero = -1;
      let index = 0;
      for await (const block of readAudioBlocks(path.join(dir, 'underwater_ambient_orcasound_live000.wav'), { channel })) {
        for (let k = 0; k < block.length && firstNonZero < 0; k++) if (block[k] !== 0) firstNonZero = index + k;
        index += block.length;
      }
      expect(firstNonZero / 48000, `ch${channel}`).toBeGreaterThan(1.85);
      expect(firstNonZero / 48000, `ch${channel}`).toBeLessThan(2.0);
    }
  });

  it.skipIf(!findFfmpeg())('stereo channels decode bit-exactly like ffmpeg (independent decoder)', async () => {
    const ffmpeg = findFfmpeg() as string;
    for (const name of ['underwater_ambient_orcasound_live000.wav', 'underwater_ambient_orcasound_live001.wav']) {
      const file = path.join(dir, name);
      for (const channel of [0, 1]) {
        const raw = execFileSync(ffmpeg, ['-v', 'error', '-nostdin', '-i', file, '-af', `pan=mono|c0=c${channel}`, '-f', 's16le', '-c:a', 'pcm_s16le', '-'], { maxBuffer: 1 << 26 });
        const reference = new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
        let index = 0;
        let mismatches = 0;
        for await (const block of readAudioBlocks(file, { channel })) {
          for (let k = 0; k < block.length; k++) if (block[k] * 32768 !== reference[index + k]) mismatches++;
          index += block.length;
        }
        expect(index, `${name} ch${channel}`).toBe(reference.length);
        expect(mismatches, `${name} ch${channel}`).toBe(0);
      }
    }
  });
});
