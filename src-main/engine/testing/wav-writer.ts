/**
 * WAV writer for tests and benchmarks. Writes every layout the reader must
 * accept: PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE and
 * RF64 (the >4 GiB variant), in memory or streamed to disk block by block.
 * Never used on users' recordings: Sonotype does not modify audio.
 */
import { open } from 'node:fs/promises';

export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

export interface WavLayout {
  sampleRate: number;
  channels: number;
  format: WavSampleFormat;
  /** Write a WAVE_FORMAT_EXTENSIBLE fmt chunk (required by many >2-channel or >16-bit recorders). */
  extensible?: boolean;
  /** Write an RF64 header with a ds64 chunk instead of RIFF. */
  rf64?: boolean;
  /** Extra chunk (e.g. 'LIST') inserted before 'data' to exercise chunk skipping. */
  extraChunk?: { id: string; bytes: Uint8Array };
}

const BYTES: Record<WavSampleFormat, number> = { pcm8: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4, float64: 8 };

export function bytesPerSample(format: WavSampleFormat): number {
  return BYTES[format];
}

/** Header bytes for a file with `frames` sample frames. */
export function wavHeader(layout: WavLayout, frames: number): Buffer {
  const bps = BYTES[layout.format];
  const isFloat = layout.format.startsWith('float');
  const blockAlign = bps * layout.channels;
  const dataBytes = frames * blockAlign;
  const fmtSize = layout.extensible ? 40 : isFloat ? 18 : 16;
  const extra = layout.extraChunk;
  const extraSize = extra ? 8 + extra.bytes.length + (extra.bytes.length % 2) : 0;
  const ds64Size = layout.rf64 ? 8 + 28 : 0;
  const headerSize = 12 + ds64Size + 8 + fmtSize + extraSize + 8;
  const h = Buffer.alloc(headerSize);
  let o = 0;
  const riffSize = headerSize - 8 + dataBytes + (dataBytes % 2);
  h.write(layout.rf64 ? 'RF64' : 'RIFF', o); o += 4;
  // A plain RIFF over 4 GiB cannot state its size; writers put 0xFFFFFFFF there.
  h.writeUInt32LE(layout.rf64 ? 0xffffffff : Math.min(riffSize, 0xffffffff), o); o += 4;
  h.write('WAVE', o); o += 4;
  if (layout.rf64) {
    h.write('ds64', o); o += 4;
    h.writeUInt32LE(28, o); o += 4;
    h.writeBigUInt64LE(BigInt(riffSize), o); o += 8;
    h.writeBigUInt64LE(BigInt(dataBytes), o); o += 8;
    h.writeBigUInt64LE(BigInt(frames), o); o += 8;
    h.writeUInt32LE(0, o); o += 4; // table length
  }
  h.write('fmt ', o); o += 4;
  h.writeUInt32LE(fmtSize, o); o += 4;
  const formatTag = layout.extensible ? 0xfffe : isFloat ? 3 : 1;
  h.writeUInt16LE(formatTag, o); o += 2;
  h.writeUInt16LE(layout.channels, o); o += 2;
  h.writeUInt32LE(layout.sampleRate, o); o += 4;
  h.writeUInt32LE(layout.sampleRate * blockAlign, o); o += 4;
  h.writeUInt16LE(blockAlign, o); o += 2;
  h.writeUInt16LE(bps * 8, o); o += 2;
  if (layout.extensible) {
    h.writeUInt16LE(22, o); o += 2; // cbSize
    h.writeUInt16LE(bps * 8, o); o += 2; // valid bits
    h.writeUInt32LE(layout.channels === 1 ? 0x4 : 0x3, o); o += 4; // channel mask
    // Sub-format GUID: {0000000X-0000-0010-8000-00aa00389b71}
    h.writeUInt32LE(isFloat ? 3 : 1, o); o += 4;
    Buffer.from([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]).copy(h, o); o += 12;
  } else if (isFloat) {
    h.writeUInt16LE(0, o); o += 2; // cbSize
  }
  if (extra) {
    h.write(extra.id.padEnd(4).slice(0, 4), o); o += 4;
    h.writeUInt32LE(extra.bytes.length, o); o += 4;
    Buffer.from(extra.bytes).copy(h, o); o += extra.bytes.length + (extra.bytes.length % 2);
  }
  h.write('data', o); o += 4;
  h.writeUInt32LE(layout.rf64 || dataBytes > 0xffffffff ? 0xffffffff : dataBytes, o); o += 4;
  return h;
}

/** Encodes interleaved float samples in [-1, 1] into the layout's sample format. */
export function encodeSamples(interleaved: Float32Array, format: WavSampleFormat): Buffer {
  const bps = BYTES[format];
  const b = Buffer.alloc(interleaved.length * bps);
  for (let i = 0; i < interleaved.length; i++) {
    const x = Math.max(-1, Math.min(1, interleaved[i]));
    const o = i * bps;
    switch (format) {
      case 'pcm8': b.writeUInt8(Math.round(x * 127) + 128, o); break;
      case 'pcm16': b.writeInt16LE(Math.round(x * 32767), o); break;
      case 'pcm24': b.writeIntLE(Math.round(x * 8388607), o, 3); break;
      case 'pcm32': b.writeInt32LE(Math.round(x * 2147483647), o); break;
      case 'float32': b.writeFloatLE(interleaved[i], o); break;
      case 'float64': b.writeDoubleLE(interleaved[i], o); break;
    }
  }
  return b;
}

/** Interleaves per-channel arrays (all the same length). */
export function interleave(channels: Float32Array[]): Float32Array {
  const n = channels[0]?.length ?? 0;
  const out = new Float32Array(n * channels.length);
  for (let c = 0; c < channels.length; c++) for (let i = 0; i < n; i++) out[i * channels.length + c] = channels[c][i];
  return out;
}

/** A complete WAV file in memory. `channels` holds one array per channel. */
export function encodeWav(channels: Float32Array[], layout: Omit<WavLayout, 'channels'>): Buffer {
  const full: WavLayout = { ...layout, channels: channels.length };
  const frames = channels[0]?.length ?? 0;
  const data = encodeSamples(interleave(channels), layout.format);
  const pad = data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([wavHeader(full, frames), data, pad]);
}

/**
 * Streams a long WAV to disk without holding it in memory: `generate(start, n)`
 * returns interleaved samples for frames [start, start + n).
 */
export async function writeWavStreaming(
  path: string,
  layout: WavLayout,
  frames: number,
  generate: (startFrame: number, count: number) => Float32Array,
  blockFrames = 1 << 16,
): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.write(wavHeader(layout, frames));
    for (let start = 0; start < frames; start += blockFrames) {
      const count = Math.min(blockFrames, frames - start);
      await fh.write(encodeSamples(generate(start, count), layout.format));
    }
    const dataBytes = frames * layout.channels * BYTES[layout.format];
    if (dataBytes % 2) await fh.write(Buffer.alloc(1));
  } finally {
    await fh.close();
  }
}
