/**
 * What a scan reports must be what the file holds. Each case here was wrong
 * before: an 8 kHz Opus reported at 8 kHz with 6× its length, a truncated Opus
 * with a negative length, a mono M4A as stereo, a 64-byte FLAC as a complete
 * recording, cut-short files without a word, a raw RangeError for a 64-byte
 * MP3. Cut-short files open with what they hold plus a warning.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWithFfmpeg } from '../testing/ffmpeg-encode';
import { whiteNoise } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { findFfmpeg } from './ffmpeg-locate';
import { id3v2TagSize } from './formats';
import { probeAudio } from './probe';
import { readAudioBlocks } from './read-blocks';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sonotype-metadata-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, name);

async function decodedFrames(absPath: string): Promise<number> {
  let n = 0;
  for await (const block of readAudioBlocks(absPath)) n += block.length;
  return n;
}

/** The first `fraction` of a file's bytes, as a copy interrupted part way would leave it. */
function cutShort(source: string, target: string, bytes: number): string {
  writeFileSync(file(target), readFileSync(file(source)).subarray(0, bytes));
  return file(target);
}

describe('cut-short and tiny WAV files', () => {
  beforeAll(() => writeFileSync(file('full.wav'), encodeWav([whiteNoise(44_100, 2.5, 0.1)], { sampleRate: 44_100, format: 'pcm16' })));

  it('opens a truncated WAV with what it holds and says how much is missing', async () => {
    const cut = cutShort('full.wav', 'cut.wav', 44 + 2 * 48_510);
    const info = await probeAudio(cut);
    expect(info).toMatchObject({ sampleRate: 44_100, frames: 48_510 });
    expect(info.warning).toMatch(/^The header says 2\.5 s; the file holds 1\.1 s/);
    expect(await decodedFrames(cut)).toBe(48_510);
    expect((await probeAudio(file('full.wav'))).warning).toBeUndefined();
  });

  it('refuses a WAV that holds no sample at all', async () => {
    await expect(probeAudio(cutShort('full.wav', 'header-only.wav', 44))).rejects.toMatchObject({
      code: 'TRUNCATED', message: expect.stringMatching(/holds no audio \(its header says 2\.5 s\)/),
    });
  });
});

const ffmpeg = findFfmpeg();
if (!ffmpeg) console.warn('metadata-truth compressed cases skipped: no ffmpeg to encode the test files');

describe.skipIf(!ffmpeg)('compressed files', () => {
  beforeAll(async () => {
    writeFileSync(file('src8k.wav'), encodeWav([whiteNoise(8000, 1.56, 0.1)], { sampleRate: 8000, format: 'pcm16' }));
    writeFileSync(file('src44.wav'), encodeWav([whiteNoise(44_100, 2.5, 0.1)], { sampleRate: 44_100, format: 'pcm16' }));
    await encodeWithFfmpeg(ffmpeg!, file('src8k.wav'), file('from8k.opus'), 'opus');
    for (const ext of ['flac', 'mp3', 'm4a', 'opus'] as const) await encodeWithFfmpeg(ffmpeg!, file('src44.wav'), file(`a.${ext}`), ext);
  });

  it('reports an Opus file at 48 kHz, the rate it decodes at, with its true length (not 8 kHz and 9.4 s)', async () => {
    const info = await probeAudio(file('from8k.opus'));
    expect(info.sampleRate).toBe(48_000);
    expect(info.durationSeconds).toBeCloseTo(1.56, 1);
    expect(await decodedFrames(file('from8k.opus'))).toBe(info.frames);
  });

  it('refuses a truncated Opus file instead of giving it a negative length', async () => {
    await expect(probeAudio(cutShort('a.opus', 'tiny.opus', 64))).rejects.toMatchObject({ code: 'TRUNCATED', message: expect.stringMatching(/holds no audio/) });
  });

  it('reports a mono M4A as mono', async () => {
    expect((await probeAudio(file('a.m4a'))).channels).toBe(1);
  });

  it('refuses a 64-byte FLAC instead of reporting its full 2.5 s', async () => {
    await expect(probeAudio(cutShort('a.flac', 'tiny.flac', 64))).rejects.toMatchObject({ code: 'TRUNCATED', message: expect.stringMatching(/FLAC file is truncated: it holds no audio/) });
  });

  it('opens a cut-short FLAC with what it holds, and says so', async () => {
    const cut = cutShort('a.flac', 'cut.flac', Math.floor(readFileSync(file('a.flac')).length * 0.44));
    const info = await probeAudio(cut);
    expect(info.warning).toMatch(/^The header says 2\.5 s; the file holds 0\.\d+ s/);
    expect(info.frames).toBe(await decodedFrames(cut));
  });

  it('gives a readable error, never a raw RangeError, for a 64-byte MP3', async () => {
    const mp3 = readFileSync(file('a.mp3'));
    const stream = mp3.subarray(id3v2TagSize(mp3));
    for (const bytes of [4, 16, 40, 64, 200]) {
      writeFileSync(file(`raw${bytes}.mp3`), stream.subarray(0, bytes));
      const outcome = await probeAudio(file(`raw${bytes}.mp3`)).then(() => null, (e: Error & { code?: string }) => e);
      expect(outcome, `${bytes} bytes`).not.toBeNull();
      expect(outcome!.constructor.name, `${bytes} bytes`).toBe('SonotypeError');
      expect(outcome!.code, `${bytes} bytes`).toBe('TRUNCATED');
    }
  });

  it('opens a cut-short MP3 with about what it holds, and says so', async () => {
    const cut = cutShort('a.mp3', 'cut.mp3', Math.floor(readFileSync(file('a.mp3')).length * 0.44));
    const info = await probeAudio(cut);
    expect(info.warning).toMatch(/^The header says 2\.5 s; the file holds 1\.\d+ s/);
    // The held length is estimated from the byte count: within a few frames of what decodes.
    expect(Math.abs(info.frames - (await decodedFrames(cut)))).toBeLessThan(3 * 1152);
  });
});
