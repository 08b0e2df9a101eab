/**
 * Streams one channel of a PCM/float WAV as Float32 blocks, reading the file
 * block by block so memory stays flat whatever the recording's length.
 */
import { open } from 'node:fs/promises';
import { clampToUnit } from './block-assembler';
import { throwIfAborted, toFileError } from './fs-errors';
import type { WavHeader, WavSampleKind } from './wav-header';

/** Extracts channel `channel` of `frames` interleaved frames from `bytes` into `out`. */
export function deinterleaveChannel(
  bytes: Buffer,
  kind: WavSampleKind,
  blockAlign: number,
  channel: number,
  frames: number,
  out: Float32Array,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = channel * bytesOf(kind);
  switch (kind) {
    case 'uint8':
      for (let i = 0; i < frames; i++, o += blockAlign) out[i] = (view.getUint8(o) - 128) / 128;
      break;
    case 'int16':
      for (let i = 0; i < frames; i++, o += blockAlign) out[i] = view.getInt16(o, true) / 32768;
      break;
    case 'int24':
      for (let i = 0; i < frames; i++, o += blockAlign) {
        // Sign-extend the 3-byte little-endian value via the high byte.
        const v = view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16);
        out[i] = v / 8388608;
      }
      break;
    case 'int32':
      for (let i = 0; i < frames; i++, o += blockAlign) out[i] = view.getInt32(o, true) / 2147483648;
      break;
    case 'float32':
      for (let i = 0; i < frames; i++, o += blockAlign) out[i] = view.getFloat32(o, true);
      clampToUnit(out.subarray(0, frames));
      break;
    case 'float64':
      for (let i = 0; i < frames; i++, o += blockAlign) out[i] = view.getFloat64(o, true);
      clampToUnit(out.subarray(0, frames));
      break;
  }
}

function bytesOf(kind: WavSampleKind): number {
  return kind === 'uint8' ? 1 : kind === 'int16' ? 2 : kind === 'int24' ? 3 : kind === 'float64' ? 8 : 4;
}

/**
 * Yields channel `channel` of the WAV's data chunk in blocks of `blockFrames`
 * (the last block may be shorter). Opens the file read-only and closes it when
 * the generator finishes, throws or is returned early.
 */
export async function* readWavBlocks(
  absPath: string,
  header: WavHeader,
  channel: number,
  blockFrames: number,
  signal?: AbortSignal,
): AsyncGenerator<Float32Array> {
  let fh;
  try {
    fh = await open(absPath, 'r');
  } catch (error) {
    throw toFileError(error, absPath);
  }
  try {
    const buffer = Buffer.alloc(blockFrames * header.blockAlign);
    let frame = 0;
    while (frame < header.frames) {
      throwIfAborted(signal);
      const want = Math.min(blockFrames, header.frames - frame);
      const position = header.dataOffset + frame * header.blockAlign;
      let got = 0;
      try {
        // fh.read may return short counts; loop until the block is complete or EOF.
        while (got < want * header.blockAlign) {
          const { bytesRead } = await fh.read(buffer, got, want * header.blockAlign - got, position + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
      } catch (error) {
        throw toFileError(error, absPath);
      }
      // The file may have shrunk since probing (still being copied): stop at what is there.
      const frames = Math.floor(got / header.blockAlign);
      if (frames === 0) return;
      const out = new Float32Array(frames);
      deinterleaveChannel(buffer, header.sampleKind, header.blockAlign, channel, frames, out);
      yield out;
      frame += frames;
      if (frames < want) return;
    }
  } finally {
    await fh.close();
  }
}
