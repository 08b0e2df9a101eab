/**
 * A time range of a recording as a WAV file, generated on the fly in blocks
 * (never the whole range in memory), with HTTP byte ranges so a media
 * element can seek inside it.
 */
import { Readable } from 'node:stream';
import type { AudioRangeReader } from '../audio/read-range';
import type { DcBlocks } from './dc-offset';

export type WavOutputFormat = 's16' | 'f32';
const WAV_HEADER_BYTES = 44;
const BLOCK_FRAMES = 1 << 16;

/** The 44-byte header of a mono WAV (PCM16 or IEEE float32) of `frames` frames. */
export function monoWavHeader(sampleRate: number, frames: number, format: WavOutputFormat): Buffer {
  const bytesPerSample = format === 's16' ? 2 : 4;
  const dataBytes = frames * bytesPerSample;
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(format === 's16' ? 1 : 3, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * bytesPerSample, 28);
  h.writeUInt16LE(bytesPerSample, 32);
  h.writeUInt16LE(bytesPerSample * 8, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

function encode(samples: Float32Array, format: WavOutputFormat): Buffer {
  if (format === 'f32') {
    const out = Buffer.alloc(samples.length * 4);
    for (let i = 0; i < samples.length; i++) out.writeFloatLE(samples[i], i * 4);
    return out;
  }
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const x = Math.max(-1, Math.min(1, samples[i]));
    out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(x * 32768))), i * 2);
  }
  return out;
}

export interface WavRangeBody {
  /** Total size of the WAV. */
  totalBytes: number;
  /** Streams bytes [from, to] (inclusive) of the WAV. */
  stream(from: number, to: number, signal?: AbortSignal): Readable;
}

/** Optional processing for listening: DC offset removed (dc-offset.ts), then a gain in dB (clipped at full scale). */
export interface ListeningOptions {
  dc?: DcBlocks;
  gainDb?: number;
}

/**
 * The WAV of native frames [startFrame, startFrame + frames) of `channel`.
 * `frames` must already be clipped to the recording. With `listening`, every
 * sample is computed the same way whatever byte range is asked for, so a media
 * element seeking inside the page hears one continuous signal.
 */
export function wavRangeBody(
  reader: AudioRangeReader,
  channel: number,
  sampleRate: number,
  startFrame: number,
  frames: number,
  format: WavOutputFormat,
  listening: ListeningOptions = {},
): WavRangeBody {
  const gain = 10 ** ((listening.gainDb ?? 0) / 20);
  const readSamples = async (from: number, n: number, signal?: AbortSignal): Promise<Float32Array> => {
    const samples = listening.dc ? await listening.dc.readWithoutDc(from, from + n, signal) : await reader.read(from, n, channel, signal);
    if (gain !== 1) for (let i = 0; i < samples.length; i++) samples[i] *= gain;
    return samples;
  };
  const bytesPerSample = format === 's16' ? 2 : 4;
  const header = monoWavHeader(sampleRate, frames, format);
  const totalBytes = WAV_HEADER_BYTES + frames * bytesPerSample;
  return {
    totalBytes,
    stream(from, to, signal) {
      async function* generate(): AsyncGenerator<Buffer> {
        if (from < WAV_HEADER_BYTES) yield header.subarray(from, Math.min(WAV_HEADER_BYTES, to + 1));
        // Whole frames covering the data bytes asked for, then trimmed to the exact byte range.
        const firstByte = Math.max(from, WAV_HEADER_BYTES) - WAV_HEADER_BYTES;
        const lastByte = to - WAV_HEADER_BYTES; // inclusive
        if (lastByte < firstByte) return;
        const f0 = Math.floor(firstByte / bytesPerSample);
        const f1 = Math.floor(lastByte / bytesPerSample) + 1;
        for (let f = f0; f < f1; f += BLOCK_FRAMES) {
          const n = Math.min(BLOCK_FRAMES, f1 - f);
          const samples = await readSamples(startFrame + f, n, signal);
          const bytes = encode(samples, format);
          const skip = f === f0 ? firstByte - f0 * bytesPerSample : 0;
          const end = Math.min(bytes.length, lastByte - f * bytesPerSample + 1);
          yield bytes.subarray(skip, end);
          if (samples.length < n) return; // the file shrank: end early rather than pad
        }
      }
      return Readable.from(generate());
    },
  };
}

/**
 * Parses a single `bytes=a-b` / `bytes=a-` / `bytes=-n` Range header against
 * `total` bytes. Returns null when there is no usable header (serve it all),
 * 'unsatisfiable' for a range outside the body.
 */
export function parseByteRange(header: string | undefined, total: number): { from: number; to: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // multi-range or malformed: ignore, as RFC 9110 allows
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { from: Math.max(0, total - suffix), to: total - 1 };
  }
  const from = Number(m[1]);
  const to = m[2] === '' ? total - 1 : Math.min(Number(m[2]), total - 1);
  if (from >= total || to < from) return 'unsatisfiable';
  return { from, to };
}
