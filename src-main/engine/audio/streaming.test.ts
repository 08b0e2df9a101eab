import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeWavStreaming } from '../testing/wav-writer';
import { probeAudio, readAudioBlocks } from './index';

// 20 minutes at 96 kHz, 16-bit mono: 230 MB on disk, 460 MB as Float32 if loaded whole.
const RATE = 96000;
const FRAMES = RATE * 1200;
/** Integer test pattern covering the full 16-bit range; cheap to generate and to verify exactly. */
const pattern = (i: number) => ((i * 7919) % 65535) - 32767;

describe('streaming decode of a long WAV', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sonotype-long-'));
  const file = path.join(dir, 'twenty-minutes-96k.wav');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps RSS growth under 100 MB and yields every sample exactly', async () => {
    await writeWavStreaming(file, { sampleRate: RATE, channels: 1, format: 'pcm16' }, FRAMES, (start, count) => {
      const out = new Float32Array(count);
      for (let k = 0; k < count; k++) out[k] = pattern(start + k) / 32767;
      return out;
    });
    expect(await probeAudio(file)).toMatchObject({ sampleRate: RATE, frames: FRAMES });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let frame = 0;
    let mismatches = 0;
    for await (const block of readAudioBlocks(file, { blockFrames: 1 << 16 })) {
      for (let k = 0; k < block.length; k++) if (block[k] !== pattern(frame + k) / 32768) mismatches++;
      frame += block.length;
      if ((frame & 0xfffff) < block.length) peak = Math.max(peak, process.memoryUsage().rss);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(frame).toBe(FRAMES);
    expect(mismatches).toBe(0);
    console.info(`streamed ${FRAMES} frames; RSS growth ${((peak - baseline) / 2 ** 20).toFixed(1)} MB`);
    expect(peak - baseline).toBeLessThan(100 * 2 ** 20);
  });
});
