import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWithFfmpeg } from '../testing/ffmpeg-encode';
import { bestLag, collectBlocks, snrDb } from '../testing/signal-compare';
import { fmWhistle, mixAt, sine } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { findFfmpeg, probeAudio, readAudioBlocks, scanFolder } from './index';
import { parseFfmpegBanner } from './ffmpeg-decoder';

const ffmpeg = findFfmpeg();
if (!ffmpeg) console.warn('Skipping compressed-format tests: no ffmpeg found to create FLAC/MP3/OGG/M4A test files.');

// 48 kHz so Opus (always decoded at 48 kHz) compares sample for sample with the source.
const RATE = 48000;
const SECONDS = 2.5;
const left = mixAt(sine(RATE, SECONDS, 440, 0.3), fmWhistle({ sampleRate: RATE, durationSeconds: 1.5, startHz: 2000, endHz: 5000, amplitude: 0.4 }), RATE, 0.5);
const right = sine(RATE, SECONDS, 1234, 0.6);
const FRAMES = left.length;

/** Per codec: minimum SNR (dB) after alignment, and how far the reported length may be from the source (frames). */
const LOSSY: Record<string, { minSnr: number; lengthSlack: number }> = {
  mp3: { minSnr: 20, lengthSlack: 48 },
  ogg: { minSnr: 20, lengthSlack: 48 },
  opus: { minSnr: 15, lengthSlack: 48 },
  // AAC priming (1024) plus the partial last frame: ffmpeg 4 keeps the padding, so allow two AAC frames.
  m4a: { minSnr: 15, lengthSlack: 2048 },
};

function countMismatches(a: Float32Array, b: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe.skipIf(!ffmpeg)('compressed formats decode like the synthesized WAV', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sonotype-codecs-'));
  const wav = path.join(dir, 'source.wav');
  let wav16: { left: Float32Array; right: Float32Array };
  beforeAll(async () => {
    writeFileSync(wav, encodeWav([left, right], { sampleRate: RATE, format: 'pcm16' }));
    // Exact 16-bit values as stored in the source (the reference for FLAC bit-exactness).
    wav16 = { left: Float32Array.from(left, (x) => Math.round(x * 32767) / 32768), right: Float32Array.from(right, (x) => Math.round(x * 32767) / 32768) };
    await Promise.all(['flac', 'mp3', 'ogg', 'opus', 'm4a'].map((ext) => encodeWithFfmpeg(ffmpeg as string, wav, path.join(dir, `source.${ext}`), ext)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('FLAC is bit-exact to the 16-bit source on both channels, with exact length', async () => {
    const file = path.join(dir, 'source.flac');
    expect(await probeAudio(file)).toMatchObject({ sampleRate: RATE, channels: 2, frames: FRAMES, codec: 'flac', container: 'flac' });
    const ch0 = await collectBlocks(readAudioBlocks(file, { blockFrames: 3000 }));
    const ch1 = await collectBlocks(readAudioBlocks(file, { channel: 1 }));
    // Count mismatches instead of toEqual: a diff of 10^5 floats would take minutes to print.
    expect(ch0.length).toBe(FRAMES);
    expect(ch1.length).toBe(FRAMES);
    expect(countMismatches(ch0, wav16.left)).toBe(0);
    expect(countMismatches(ch1, wav16.right)).toBe(0);
  });

  for (const [ext, limits] of Object.entries(LOSSY)) {
    it(`${ext}: length, SNR after alignment, channel selection`, async () => {
      const file = path.join(dir, `source.${ext}`);
      const info = await probeAudio(file);
      expect(info).toMatchObject({ sampleRate: RATE, channels: 2 });
      expect(Math.abs(info.frames - FRAMES)).toBeLessThanOrEqual(limits.lengthSlack);
      expect(Math.abs(info.durationSeconds - SECONDS)).toBeLessThanOrEqual(limits.lengthSlack / RATE);
      const ch0 = await collectBlocks(readAudioBlocks(file, { blockFrames: 5000 }));
      const ch1 = await collectBlocks(readAudioBlocks(file, { channel: 1 }));
      // What we decode is what we reported (exact for the in-process decoders).
      if (ext === 'm4a') expect(Math.abs(ch0.length - info.frames)).toBeLessThanOrEqual(limits.lengthSlack);
      else expect(ch0.length).toBe(info.frames);
      const lag = bestLag(left, ch0, 3000, RATE, 8192);
      const from = Math.max(0, -lag) + 4800;
      const to = Math.min(FRAMES, ch0.length - lag) - 4800;
      expect(snrDb(left, ch0, lag, from, to)).toBeGreaterThan(limits.minSnr);
      expect(snrDb(right, ch1, lag, from, to)).toBeGreaterThan(limits.minSnr);
      // Channel 1 is not channel 0: the left signal explains it badly.
      expect(snrDb(left, ch1, lag, from, to)).toBeLessThan(3);
      expect(ch0.every((x) => Math.abs(x) <= 1)).toBe(true);
    });
  }

  it('truncated compressed files: cut headers are TRUNCATED; a cut Ogg stream decodes no more than it reports', async () => {
    const flac = readFileSync(path.join(dir, 'source.flac'));
    writeFileSync(path.join(dir, 'cut-header.flac.bin'), flac.subarray(0, 20));
    await expect(probeAudio(path.join(dir, 'cut-header.flac.bin'))).rejects.toMatchObject({ code: 'TRUNCATED' });
    const opus = readFileSync(path.join(dir, 'source.opus'));
    const cut = path.join(dir, 'cut.opus.bin');
    writeFileSync(cut, opus.subarray(0, Math.floor(opus.length / 2)));
    const info = await probeAudio(cut);
    expect(info.frames).toBeGreaterThan(0);
    expect(info.frames).toBeLessThan(FRAMES);
    expect((await collectBlocks(readAudioBlocks(cut))).length).toBe(info.frames);
  });

  it('returning early kills the ffmpeg child process', async () => {
    const children = () =>
      readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
        try {
          const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return Number(fields[1]) === process.pid && stat.includes('(ffmpeg)') && fields[0] !== 'Z';
        } catch {
          return false;
        }
      });
    for await (const block of readAudioBlocks(path.join(dir, 'source.m4a'), { blockFrames: 256 })) {
      expect(block.length).toBe(256);
      expect(children().length).toBe(1); // the decoder is running right now
      break;
    }
    for (let i = 0; i < 50 && children().length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(children()).toEqual([]);
  });

  it('without ffmpeg: M4A reports NEEDS_FFMPEG while FLAC/MP3/OGG still decode', async () => {
    process.env.SONOTYPE_NO_FFMPEG = '1';
    try {
      expect(findFfmpeg()).toBeNull();
      const results = new Map<string, { status: string; code?: string; message?: string }>();
      for await (const f of scanFolder(dir)) results.set(f.relPath, { status: f.status, code: f.error?.code, message: f.error?.message });
      expect(results.get('source.m4a')).toMatchObject({ status: 'error', code: 'NEEDS_FFMPEG' });
      expect(results.get('source.m4a')?.message).toMatch(/SONOTYPE_FFMPEG/);
      for (const ext of ['wav', 'flac', 'mp3', 'ogg', 'opus']) {
        expect(results.get(`source.${ext}`)?.status).toBe('ok');
        const decoded = await collectBlocks(readAudioBlocks(path.join(dir, `source.${ext}`)));
        expect(decoded.length).toBe((await probeAudio(path.join(dir, `source.${ext}`))).frames);
      }
      await expect(collectBlocks(readAudioBlocks(path.join(dir, 'source.m4a')))).rejects.toMatchObject({ code: 'NEEDS_FFMPEG' });
    } finally {
      delete process.env.SONOTYPE_NO_FFMPEG;
    }
  });
});

describe('findFfmpeg', () => {
  it('SONOTYPE_FFMPEG pointing nowhere gives null rather than silently using another ffmpeg', () => {
    process.env.SONOTYPE_FFMPEG = '/nonexistent/ffmpeg';
    try {
      expect(findFfmpeg()).toBeNull();
    } finally {
      delete process.env.SONOTYPE_FFMPEG;
    }
  });
});

describe('parseFfmpegBanner', () => {
  it('reads rate, channels, duration and codec from `ffmpeg -i` output', () => {
    const banner = [
      "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.m4a':",
      '  Duration: 01:02:03.50, start: 0.000000, bitrate: 110 kb/s',
      '    Stream #0:0(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 106 kb/s (default)',
    ].join('\n');
    expect(parseFfmpegBanner(banner)).toEqual({ sampleRate: 44100, channels: 2, frames: 3723.5 * 44100, durationSeconds: 3723.5, codec: 'aac' });
    expect(parseFfmpegBanner(banner.replace('stereo', '6 channels'))?.channels).toBe(6);
    expect(parseFfmpegBanner('Input #0, mov: no streams')).toBeNull();
  });
});
