import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectBlocks } from '../testing/signal-compare';
import { encodeWithFfmpeg } from '../testing/ffmpeg-encode';
import { sine, whiteNoise } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { findFfmpeg } from './ffmpeg-locate';
import { openAudioRangeReader, readAudioRange } from './read-range';
import { readAudioBlocks } from './read-blocks';

describe('random-access reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonotype-range-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const left = whiteNoise(44_100, 3, 0.3, 4);
  const right = sine(44_100, 3, 440, 0.5);

  it('reads any range of any channel of a WAV exactly as the streaming decoder does', async () => {
    for (const format of ['pcm16', 'pcm24', 'float32'] as const) {
      const file = join(dir, `stereo-${format}.wav`);
      writeFileSync(file, encodeWav([left, right], { sampleRate: 44_100, format, rf64: format === 'float32' }));
      for (const channel of [0, 1]) {
        const whole = await collectBlocks(readAudioBlocks(file, { channel }));
        for (const [start, n] of [[0, 10], [12_345, 6789], [132_290, 10], [132_300, 5], [0, 132_300]]) {
          const got = await readAudioRange(file, { channel, startFrame: start, frames: n });
          expect(Array.from(got), `${format} ch${channel} ${start}+${n}`).toEqual(Array.from(whole.subarray(start, start + n)));
        }
      }
    }
  });

  it('refuses bad ranges and channels with readable errors', async () => {
    const file = join(dir, 'stereo-pcm16.wav');
    await expect(readAudioRange(file, { startFrame: -1, frames: 5 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(readAudioRange(file, { startFrame: 0, frames: 1.5 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(readAudioRange(file, { channel: 2, startFrame: 0, frames: 5 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/Channel 2 does not exist/),
    });
    const reader = await openAudioRangeReader(file);
    expect(reader.seekable).toBe(true);
    await reader.close();
  });

  it('reads many scattered ranges in one call, equal to single reads', async () => {
    const file = join(dir, 'stereo-pcm24.wav');
    const whole = await collectBlocks(readAudioBlocks(file, { channel: 1 }));
    const reader = await openAudioRangeReader(file);
    const ranges = Array.from({ length: 200 }, (_, i) => ({ startFrame: i * 661 + 7, frames: 512 }));
    ranges.push({ startFrame: 132_000, frames: 512 }, { startFrame: 132_300, frames: 4 });
    const many = await reader.readMany(ranges, 1);
    expect(many.map((x) => x.length)).toEqual(ranges.map((r) => Math.max(0, Math.min(r.frames, 132_300 - r.startFrame))));
    many.forEach((x, i) => expect(Array.from(x)).toEqual(Array.from(whole.subarray(ranges[i].startFrame, ranges[i].startFrame + 512))));
    const aborted = new AbortController();
    aborted.abort();
    await expect(reader.readMany(ranges, 1, aborted.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    await reader.close();
  });

  const ffmpeg = findFfmpeg();
  if (!ffmpeg) console.warn('read-range: no ffmpeg binary, skipping the compressed-format fallback test');
  it.skipIf(!ffmpeg)('falls back to decoding from the start for compressed files', async () => {
    const wav = join(dir, 'stereo-pcm16.wav');
    const flac = join(dir, 'stereo.flac');
    await encodeWithFfmpeg(ffmpeg!, wav, flac, 'flac');
    const whole = await collectBlocks(readAudioBlocks(flac, { channel: 1 }));
    const reader = await openAudioRangeReader(flac);
    expect(reader.seekable).toBe(false);
    const got = await reader.read(100_000, 20_000, 1);
    expect(Array.from(got)).toEqual(Array.from(whole.subarray(100_000, 120_000)));
    expect((await reader.read(132_290, 100, 1)).length).toBe(10);
    await reader.close();
  });
});
