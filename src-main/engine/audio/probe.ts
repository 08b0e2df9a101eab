/**
 * Identifies a recording and reads its stream info without decoding it, and
 * decides which decoder will read its samples.
 */
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { AudioInfo } from '../../../src-shared/audio-types';
import { SonotypeError } from '../../../src-shared/errors';
import { completeInfo, readCompressedInfo, type PartialInfo } from './compressed-metadata';
import { probeWithFfmpeg } from './ffmpeg-decoder';
import { findFfmpeg, needsFfmpegMessage } from './ffmpeg-locate';
import { id3v2TagSize, sniffFormat, type SniffedFormat } from './formats';
import { toFileError } from './fs-errors';
import { readWasmBlocks, type WasmCodec } from './wasm-decoders';
import { parseWavHeader, type ReadAt, type WavHeader } from './wav-header';
import { assertPlausibleStream } from './plausibility';
import { flacHeldLength, holdsNoAudio, mp3HeldLength, truncationWarning } from './truncation';

/** How a probed file's samples are read. */
export type DecoderPlan =
  | { type: 'wav'; header: WavHeader }
  | { type: 'wasm'; codec: WasmCodec }
  | { type: 'ffmpeg'; ffmpeg: string };

export interface ProbedSource {
  info: AudioInfo;
  plan: DecoderPlan;
}

const WASM_CODECS: Partial<Record<SniffedFormat, { codec: WasmCodec; container: string; label: string }>> = {
  flac: { codec: 'flac', container: 'flac', label: 'FLAC' },
  mp3: { codec: 'mp3', container: 'mp3', label: 'MP3' },
  'ogg-vorbis': { codec: 'vorbis', container: 'ogg', label: 'Ogg Vorbis' },
  'ogg-opus': { codec: 'opus', container: 'ogg', label: 'Ogg Opus' },
};
const FFMPEG_CONTAINERS: Partial<Record<SniffedFormat, { container: string; label: string }>> = {
  mp4: { container: 'm4a', label: 'This M4A/MP4 file' },
  adts: { container: 'aac', label: 'This AAC file' },
  'ogg-other': { container: 'ogg', label: 'This Ogg file (codec other than Vorbis/Opus)' },
};
const WAV_EXTENSIONS = new Set(['.wav', '.wave', '.bwf', '.rf64']);

/** Header reads go through one cached page: a header of 200,000 tiny chunks is parsed from 25 reads, not 200,000. */
const PAGE_BYTES = 64 * 1024;

function readerFor(fh: FileHandle, absPath: string): ReadAt {
  const readRaw = async (position: number, length: number) => {
    const buffer = Buffer.alloc(length);
    try {
      const { bytesRead } = await fh.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    } catch (error) {
      throw toFileError(error, absPath);
    }
  };
  let page = Buffer.alloc(0);
  let pageStart = 0;
  return async (position, length) => {
    if (length > PAGE_BYTES) return readRaw(position, length);
    if (position < pageStart || position + length > pageStart + page.length) {
      page = await readRaw(position, PAGE_BYTES);
      pageStart = position;
    }
    const offset = position - pageStart;
    return Buffer.from(page.subarray(offset, offset + length));
  };
}

/** Counts frames by decoding: the fallback when a file does not state its length. */
async function countDecodedFrames(codec: WasmCodec, absPath: string): Promise<number> {
  let frames = 0;
  for await (const block of readWasmBlocks(codec, absPath, 0, 1 << 16)) frames += block.length;
  return frames;
}

function requireStreamInfo(p: PartialInfo, label: string): asserts p is PartialInfo & { sampleRate: number; channels: number } {
  if (!p.sampleRate || !p.channels) {
    // The magic bytes said this is a `label` file, so missing stream info means a cut-off or damaged header.
    throw new SonotypeError('TRUNCATED', `This ${label} file's header is truncated or damaged: no sample rate or channel count found`);
  }
}

/**
 * Probes a recording and picks its decoder. Throws SonotypeError (EMPTY_FILE,
 * NOT_AUDIO, TRUNCATED, UNSUPPORTED_CODEC, NEEDS_FFMPEG, UNREADABLE, NOT_FOUND).
 */
export async function probeSource(absPath: string): Promise<ProbedSource> {
  try {
    return await probeFile(absPath);
  } catch (error) {
    if (error instanceof SonotypeError) throw error;
    // A parser tripping over a damaged header (RangeError, TypeError…): say so, never pass the raw error on.
    const detail = error instanceof Error ? error.message : String(error);
    throw new SonotypeError('TRUNCATED', `This file's header is damaged or cut short and cannot be read (${detail})`, { cause: error });
  }
}

async function probeFile(absPath: string): Promise<ProbedSource> {
  let fh: FileHandle;
  try {
    fh = await open(absPath, 'r');
  } catch (error) {
    throw toFileError(error, absPath);
  }
  try {
    const size = (await fh.stat()).size;
    if (size === 0) throw new SonotypeError('EMPTY_FILE', 'File is empty (0 bytes)');
    const readAt = readerFor(fh, absPath);
    const head = await readAt(0, 4096);
    const skip = id3v2TagSize(head);
    let format = sniffFormat(skip ? await readAt(skip, 4096) : head);
    if (format === 'wav' || (format === 'unknown' && WAV_EXTENSIONS.has(path.extname(absPath).toLowerCase()))) {
      // parseWavHeader also produces the "not a WAV file" error for impostors.
      const header = await parseWavHeader(readAt, size);
      const info: AudioInfo = {
        sampleRate: header.sampleRate,
        channels: header.channels,
        frames: header.frames,
        durationSeconds: header.frames / header.sampleRate,
        codec: header.codec,
        container: header.container,
        bitsPerSample: header.bitsPerSample,
      };
      assertPlausibleStream(info, 'This WAV header');
      if (header.frames === 0) throw holdsNoAudio('WAV', Number.isFinite(header.declaredFrames) ? header.declaredFrames / header.sampleRate : null);
      if (Number.isFinite(header.declaredFrames) && header.declaredFrames > header.frames) {
        info.warning = truncationWarning({ declaredFrames: header.declaredFrames, heldFrames: header.frames }, header.sampleRate);
      }
      return { info, plan: { type: 'wav', header } };
    }
    const wasm = WASM_CODECS[format];
    if (wasm) {
      const partial = await readCompressedInfo(absPath, wasm.codec, readAt);
      requireStreamInfo(partial, wasm.label);
      assertPlausibleStream({ ...partial, frames: partial.frames ?? 0 }, `This ${wasm.label} header`);
      let frames = partial.frames ?? (await countDecodedFrames(wasm.codec, absPath));
      const held = wasm.codec === 'flac' ? await flacHeldLength(readAt, size, partial.sampleRate)
        : wasm.codec === 'mp3' ? await mp3HeldLength(readAt, size, frames) : null;
      if (held) frames = held.heldFrames;
      if (frames <= 0) throw holdsNoAudio(wasm.label, held ? held.declaredFrames / partial.sampleRate : null);
      const info: AudioInfo = { ...completeInfo({ ...partial, frames }), container: wasm.container };
      if (held) info.warning = truncationWarning(held, partial.sampleRate);
      return { info, plan: { type: 'wasm', codec: wasm.codec } };
    }
    const viaFfmpeg = FFMPEG_CONTAINERS[format];
    if (viaFfmpeg) {
      const ffmpeg = findFfmpeg();
      if (!ffmpeg) throw new SonotypeError('NEEDS_FFMPEG', needsFfmpegMessage(viaFfmpeg.label));
      let partial: PartialInfo | undefined;
      try {
        partial = await readCompressedInfo(absPath, format === 'ogg-other' ? 'unknown' : 'aac', readAt);
      } catch {
        partial = undefined; // ffmpeg may still understand it
      }
      // ffmpeg reads the channel count from the decoder config (music-metadata reports the MP4 sample entry's,
      // which encoders often write as 2 for mono AAC); the sample count comes from the container when it has one.
      const stream = await probeWithFfmpeg(ffmpeg, absPath);
      const info = partial?.frames !== undefined && partial.sampleRate === stream.sampleRate
        ? completeInfo({ ...stream, frames: partial.frames })
        : stream;
      assertPlausibleStream(info, `${viaFfmpeg.label}'s header`);
      if (info.frames <= 0) throw holdsNoAudio(viaFfmpeg.label.replace(/^This /, ''), null);
      return { info: { ...info, container: viaFfmpeg.container }, plan: { type: 'ffmpeg', ffmpeg } };
    }
    throw new SonotypeError('NOT_AUDIO', `Not a recognised audio file: ${path.extname(absPath) || 'no extension'} file with unknown content`);
  } finally {
    await fh.close();
  }
}

/**
 * Reads a recording's stream info (rate, channels, frames, duration, codec)
 * without decoding it. Throws SonotypeError with a stable code on failure.
 */
export async function probeAudio(absPath: string): Promise<AudioInfo> {
  return (await probeSource(absPath)).info;
}
