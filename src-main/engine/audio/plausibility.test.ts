/**
 * Headers no recorder writes are per-file errors at probe (and so scan) time,
 * with the offending value in the message; the fuzzed values that used to
 * scan "ok" and then break detection are each reproduced here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sine } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { assertPlausibleStream, MAX_CHANNELS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './plausibility';
import { probeAudio } from './probe';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sonotype-plausible-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = encodeWav([sine(16_000, 0.25, 440)], { sampleRate: 16_000, format: 'pcm16' });

function variant(name: string, edit: (b: Buffer) => Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, edit(Buffer.from(base)));
  return file;
}

/** The canonical header with `count` empty 'junk' chunks between fmt and data. */
function withEmptyChunks(count: number): Buffer {
  const chunks = Buffer.alloc(8 * count);
  for (let i = 0; i < count; i++) chunks.write('junk', i * 8, 'latin1');
  const out = Buffer.concat([base.subarray(0, 36), chunks, base.subarray(36)]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

describe('implausible stream values', () => {
  it.each([
    ['1 Hz', (b: Buffer) => (b.writeUInt32LE(1, 24), b), /sample rate of 1 Hz/],
    ['436 MHz', (b: Buffer) => (b.writeUInt32LE(436_000_000, 24), b), /sample rate of 436 MHz/],
    ['34,561 channels', (b: Buffer) => (b.writeUInt16LE(34_561 & 0xffff, 22), b), /declares \d+ channels \(at most 256/],
    ['65,535 channels', (b: Buffer) => (b.writeUInt16LE(0xffff, 22), b), /declares 65535 channels/],
  ])('rejects a WAV header declaring %s', async (_name, edit, message) => {
    const file = variant(`${_name.replace(/\W/g, '')}.wav`, edit);
    await expect(probeAudio(file)).rejects.toMatchObject({ code: 'NOT_AUDIO', message: expect.stringMatching(message) });
  });

  it('accepts the edges of the plausible range', () => {
    for (const sampleRate of [MIN_SAMPLE_RATE, 1000, 384_000, MAX_SAMPLE_RATE]) {
      expect(() => assertPlausibleStream({ sampleRate, channels: 1, frames: 0 })).not.toThrow();
    }
    expect(() => assertPlausibleStream({ sampleRate: 48_000, channels: MAX_CHANNELS, frames: 10 })).not.toThrow();
    expect(() => assertPlausibleStream({ sampleRate: 48_000, channels: 2, frames: -312 })).toThrow(/length of -312 samples/);
    expect(() => assertPlausibleStream({ sampleRate: Number.NaN, channels: 2, frames: 1 })).toThrow(/sample rate of NaN/);
  });

  it('reads a header with 20,000 empty chunks and refuses one with 200,000 (it used to take 38 s)', async () => {
    const many = path.join(dir, 'many-chunks.wav');
    writeFileSync(many, withEmptyChunks(20_000));
    expect(await probeAudio(many)).toMatchObject({ sampleRate: 16_000, channels: 1, frames: 4000 });
    const absurd = path.join(dir, 'absurd-chunks.wav');
    writeFileSync(absurd, withEmptyChunks(200_000));
    await expect(probeAudio(absurd)).rejects.toThrow(/more than 100,000 chunks before the audio data/);
  });
});
