import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fmWhistle, sine, whiteNoise, mixAt } from '../testing/synth';
import { collectBlocks } from '../testing/signal-compare';
import { encodeWav, type WavSampleFormat } from '../testing/wav-writer';
import { probeAudio, readAudioBlocks } from './index';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sonotype-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RATE = 22050;
// Two distinct channels so a channel mix-up cannot pass: a whistle + noise, and a low sine.
const left = mixAt(whiteNoise(RATE, 0.75, 0.05, 5), fmWhistle({ sampleRate: RATE, durationSeconds: 0.5, startHz: 2000, endHz: 6000 }), RATE, 0.1);
const right = sine(RATE, 0.75, 300, 0.7);
const FRAMES = left.length;

function writeTemp(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Largest decode error allowed: writer rounds x*(2^(b-1)-1), reader divides by 2^(b-1). */
const TOLERANCE: Record<WavSampleFormat, number> = {
  pcm8: 1.5 / 128,
  pcm16: 1.5 / 32768,
  pcm24: 1.5 / 8388608,
  pcm32: 1e-7, // limited by Float32 output precision
  float32: 0,
  float64: 1e-7,
};

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Replaces bytes of a copy of `buf` at `offset`. */
function patched(buf: Buffer, offset: number, write: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(buf);
  write(copy.subarray(offset));
  return copy;
}

describe('WAV layouts decode to the synthesized original', () => {
  const formats: WavSampleFormat[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];
  const variants = [
    { name: 'riff', layout: {} },
    { name: 'extensible', layout: { extensible: true } },
    { name: 'rf64', layout: { rf64: true } },
    { name: 'list-odd-chunk', layout: { extraChunk: { id: 'LIST', bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7]) } } },
  ];
  for (const format of formats) {
    for (const variant of variants) {
      it(`${format} ${variant.name}: both channels, odd block size`, async () => {
        const file = writeTemp(`${format}-${variant.name}.wav`, encodeWav([left, right], { sampleRate: RATE, format, ...variant.layout }));
        const info = await probeAudio(file);
        expect(info).toMatchObject({ sampleRate: RATE, channels: 2, frames: FRAMES, container: variant.name === 'rf64' ? 'rf64' : 'wav' });
        expect(info.durationSeconds).toBeCloseTo(FRAMES / RATE, 9);
        expect(info.bitsPerSample).toBe({ pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 }[format]);
        const blocks: Float32Array[] = [];
        for await (const b of readAudioBlocks(file, { blockFrames: 1001 })) blocks.push(b);
        expect(blocks.slice(0, -1).every((b) => b.length === 1001)).toBe(true);
        const ch0 = await collectBlocks(readAudioBlocks(file, { channel: 0, blockFrames: 1001 }));
        const ch1 = await collectBlocks(readAudioBlocks(file, { channel: 1, blockFrames: 4096 }));
        expect(maxAbsDiff(ch0, left)).toBeLessThanOrEqual(TOLERANCE[format] + 1e-9);
        expect(maxAbsDiff(ch1, right)).toBeLessThanOrEqual(TOLERANCE[format] + 1e-9);
      });
    }
  }
  it('reports codec names', async () => {
    const f8 = writeTemp('codec8.wav', encodeWav([left], { sampleRate: RATE, format: 'pcm8' }));
    const f32 = writeTemp('codecf.wav', encodeWav([left], { sampleRate: RATE, format: 'float32', extensible: true }));
    expect((await probeAudio(f8)).codec).toBe('pcm_u8');
    expect((await probeAudio(f32)).codec).toBe('pcm_f32le');
  });
});

describe('WAV header edge cases', () => {
  const mono16 = encodeWav([left], { sampleRate: RATE, format: 'pcm16' }); // fmt at 12, data header at 36, samples at 44
  const expectedMono = async (file: string, frames: number) => {
    const got = await collectBlocks(readAudioBlocks(file, { blockFrames: 777 }));
    expect(got.length).toBe(frames);
    expect(maxAbsDiff(got, left.subarray(0, frames))).toBeLessThanOrEqual(TOLERANCE.pcm16);
  };

  it('float fmt chunk of 16 bytes (no cbSize, like the PAMGuard blue whale file)', async () => {
    const full = encodeWav([left], { sampleRate: RATE, format: 'float32' }); // fmt of 18 bytes
    expect(full.readUInt32LE(16)).toBe(18);
    const short = Buffer.concat([full.subarray(0, 36), full.subarray(38)]);
    short.writeUInt32LE(16, 16);
    short.writeUInt32LE(short.length - 8, 4);
    const file = writeTemp('float-fmt16.wav', short);
    expect(await probeAudio(file)).toMatchObject({ codec: 'pcm_f32le', frames: FRAMES });
    expect(maxAbsDiff(await collectBlocks(readAudioBlocks(file)), left)).toBe(0);
  });

  it('data size 0xFFFFFFFF (streaming writer) reads to the end of the file', async () => {
    const file = writeTemp('ffff.wav', patched(mono16, 40, (b) => b.writeUInt32LE(0xffffffff, 0)));
    expect((await probeAudio(file)).frames).toBe(FRAMES);
    await expectedMono(file, FRAMES);
  });

  it('data chunk cut short by a crashed recorder: reads the whole frames on disk', async () => {
    const cut = 44 + 2 * 5000 + 1; // half a sample past frame 5000
    const file = writeTemp('crashed.wav', mono16.subarray(0, cut));
    expect((await probeAudio(file)).frames).toBe(5000);
    await expectedMono(file, 5000);
  });

  it('RF64 whose ds64 size exceeds the file is clamped', async () => {
    const rf = encodeWav([left], { sampleRate: RATE, format: 'pcm16', rf64: true });
    // ds64 body starts at 20: riffSize(8) dataSize(8) sampleCount(8).
    const file = writeTemp('rf64-big.wav', patched(rf, 28, (b) => b.writeBigUInt64LE(10n ** 12n, 0)));
    expect((await probeAudio(file)).frames).toBe(FRAMES);
    await expectedMono(file, FRAMES);
  });

  it('a chunk after the data chunk is not read as audio', async () => {
    const trailer = Buffer.from('LIST\x04\x00\x00\x00abcd', 'latin1');
    const file = writeTemp('trailer.wav', Buffer.concat([mono16, trailer]));
    expect((await probeAudio(file)).frames).toBe(FRAMES);
    await expectedMono(file, FRAMES);
  });

  it('channel out of range and bad block size are INVALID_ARGUMENT', async () => {
    const file = writeTemp('stereo.wav', encodeWav([left, right], { sampleRate: RATE, format: 'pcm16' }));
    await expect(collectBlocks(readAudioBlocks(file, { channel: 2 }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(collectBlocks(readAudioBlocks(file, { channel: -1 }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(collectBlocks(readAudioBlocks(file, { blockFrames: 0 }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('abort signal stops decoding with CANCELLED', async () => {
    const file = writeTemp('abort.wav', mono16);
    const controller = new AbortController();
    const run = async () => {
      for await (const _ of readAudioBlocks(file, { blockFrames: 100, signal: controller.signal })) controller.abort();
    };
    await expect(run()).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('returning early closes the file handle', async () => {
    const file = writeTemp('early.wav', mono16);
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    for (let k = 0; k < 20; k++) {
      for await (const _ of readAudioBlocks(file, { blockFrames: 100 })) break;
    }
    expect(fds()).toBeLessThanOrEqual(before + 1);
  });
});

describe('broken WAV files get stable error codes', () => {
  const mono16 = encodeWav([left], { sampleRate: RATE, format: 'pcm16' });
  const cases: [string, Buffer, string, RegExp][] = [
    ['empty.wav', Buffer.alloc(0), 'EMPTY_FILE', /empty \(0 bytes\)/],
    ['text.wav', Buffer.from('These are my field notes, not audio.\n'), 'NOT_AUDIO', /Not a WAV file/],
    ['riff-only.wav', mono16.subarray(0, 10), 'TRUNCATED', /truncated/],
    ['in-fmt.wav', mono16.subarray(0, 30), 'TRUNCATED', /truncated/],
    ['no-data-chunk.wav', mono16.subarray(0, 36), 'TRUNCATED', /no audio data chunk/],
    ['adpcm.wav', patched(mono16, 20, (b) => b.writeUInt16LE(0x0002, 0)), 'UNSUPPORTED_CODEC', /ADPCM \(format tag 0x0002\)/],
    ['mp3-in-wav.wav', patched(mono16, 20, (b) => b.writeUInt16LE(0x0055, 0)), 'UNSUPPORTED_CODEC', /MP3 \(format tag 0x0055\)/],
    ['not-wave.wav', patched(mono16, 8, (b) => b.write('AVI ', 0, 'latin1')), 'NOT_AUDIO', /WAVE/],
  ];
  for (const [name, bytes, code, message] of cases) {
    it(`${name} → ${code}`, async () => {
      const file = writeTemp(name, bytes);
      const error = await probeAudio(file).catch((e: unknown) => e);
      expect(error).toMatchObject({ code });
      expect((error as Error).message).toMatch(message);
      await expect(collectBlocks(readAudioBlocks(file))).rejects.toMatchObject({ code });
    });
  }
  it('extensible with an ADPCM sub-format → UNSUPPORTED_CODEC', async () => {
    const ext = encodeWav([left], { sampleRate: RATE, format: 'pcm16', extensible: true });
    // Sub-format GUID starts at 12 + 8 + 24 = 44.
    const file = writeTemp('ext-adpcm.wav', patched(ext, 44, (b) => b.writeUInt16LE(0x0002, 0)));
    await expect(probeAudio(file)).rejects.toMatchObject({ code: 'UNSUPPORTED_CODEC' });
  });
  it('missing file → NOT_FOUND', async () => {
    await expect(probeAudio(path.join(dir, 'nope.wav'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
