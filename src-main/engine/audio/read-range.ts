/**
 * Random access to a recording's samples: "frames [start, start + n) of
 * channel c" without decoding what comes before, so the review UI can show
 * any moment of a many-hour file at once.
 *
 * - WAV/RF64 (any PCM/float layout the header parser accepts): one positioned
 *   read of exactly the requested bytes — O(frames), independent of where in
 *   the file the range lies.
 * - Compressed formats (FLAC, MP3, Ogg, M4A/AAC): there is no sample-accurate
 *   seek in our decoders, so the range is decoded from the start of the file
 *   and the frames before it are discarded — O(startFrame + frames). Correct
 *   but slow near the end of long files; callers that need many ranges
 *   (spectrogram tiles) should make one streaming pass instead
 *   (`seekable` tells them which case they are in).
 */
import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AudioInfo } from '../../../src-shared/audio-types';
import { SonotypeError } from '../../../src-shared/errors';
import { throwIfAborted, toFileError } from './fs-errors';
import { probeSource, type DecoderPlan } from './probe';
import { readAudioBlocks } from './read-blocks';
import { deinterleaveChannel } from './wav-reader';

export interface ReadRangeOptions {
  /** Zero-based channel (default 0). */
  channel?: number;
  /** First frame (sample per channel) of the range, ≥ 0. */
  startFrame: number;
  /** Number of frames wanted, ≥ 0. */
  frames: number;
  signal?: AbortSignal;
}

/** An open recording that answers range reads; keep it for many reads, then close it. */
export interface AudioRangeReader {
  readonly info: AudioInfo;
  /** True for WAV/RF64 (constant-time seek); false when reads decode from the start. */
  readonly seekable: boolean;
  /**
   * Frames [startFrame, startFrame + frames) of `channel` as Float32 in [-1, 1].
   * The result is shorter when the range runs past the end of the file
   * (empty when it starts there). Throws INVALID_ARGUMENT for a bad range or
   * channel, CANCELLED on abort, or the decoder's error codes.
   */
  read(startFrame: number, frames: number, channel?: number, signal?: AbortSignal): Promise<Float32Array>;
  /**
   * Many short ranges at once (e.g. one FFT frame every few minutes of a long
   * file), same results as `read` for each. For WAV it uses synchronous
   * positioned reads in batches of READ_MANY_BATCH, yielding to the event loop
   * between batches: on a page-cached file that is ~15× faster than one
   * promise per read, while a slow disk still cannot stall the process for
   * more than one batch.
   */
  readMany(ranges: readonly { startFrame: number; frames: number }[], channel?: number, signal?: AbortSignal): Promise<Float32Array[]>;
  close(): Promise<void>;
}

function checkRange(startFrame: number, frames: number): void {
  if (!Number.isSafeInteger(startFrame) || startFrame < 0 || !Number.isSafeInteger(frames) || frames < 0) {
    throw new SonotypeError('INVALID_ARGUMENT', `Invalid sample range: start ${startFrame}, length ${frames} (whole numbers ≥ 0 expected)`);
  }
}

function checkChannel(channel: number, info: AudioInfo): void {
  if (!Number.isInteger(channel) || channel < 0 || channel >= info.channels) {
    throw new SonotypeError(
      'INVALID_ARGUMENT',
      `Channel ${channel} does not exist: this recording has ${info.channels} channel${info.channels === 1 ? '' : 's'} (0–${info.channels - 1})`,
    );
  }
}

/** Decodes from the start and keeps only the wanted frames (compressed formats). */
async function decodeRangeFromStart(absPath: string, channel: number, startFrame: number, frames: number, signal?: AbortSignal): Promise<Float32Array> {
  const out = new Float32Array(frames);
  let filled = 0;
  let position = 0;
  for await (const block of readAudioBlocks(absPath, { channel, signal })) {
    const blockEnd = position + block.length;
    if (blockEnd > startFrame) {
      const from = Math.max(0, startFrame - position);
      const take = Math.min(block.length - from, frames - filled);
      out.set(block.subarray(from, from + take), filled);
      filled += take;
    }
    position = blockEnd;
    // Leaving the loop early closes the decoder (and kills an ffmpeg child).
    if (filled >= frames) break;
  }
  return filled === frames ? out : out.slice(0, filled);
}

type WavPlan = Extract<DecoderPlan, { type: 'wav' }>;

/**
 * The buffer and file position for frames [startFrame, startFrame + frames),
 * clamped to the data chunk (null when nothing is left). Shared by the async
 * and sync readers so both clamp identically.
 */
function wavRangeBuffer(plan: WavPlan, startFrame: number, frames: number): { bytes: Buffer; position: number } | null {
  const { header } = plan;
  const count = Math.max(0, Math.min(frames, header.frames - startFrame));
  if (count === 0) return null;
  return { bytes: Buffer.alloc(count * header.blockAlign), position: header.dataOffset + startFrame * header.blockAlign };
}

/** Deinterleaves the whole frames among the first `got` bytes. */
function wavRangeSamples(plan: WavPlan, bytes: Buffer, got: number, channel: number): Float32Array {
  const { header } = plan;
  const whole = Math.floor(got / header.blockAlign);
  const out = new Float32Array(whole);
  deinterleaveChannel(bytes, header.sampleKind, header.blockAlign, channel, whole, out);
  return out;
}

async function readWavRange(fh: FileHandle, absPath: string, plan: WavPlan, channel: number, startFrame: number, frames: number): Promise<Float32Array> {
  const range = wavRangeBuffer(plan, startFrame, frames);
  if (!range) return new Float32Array(0);
  const { bytes, position } = range;
  let got = 0;
  try {
    while (got < bytes.length) {
      const { bytesRead } = await fh.read(bytes, got, bytes.length - got, position + got);
      if (bytesRead === 0) break; // the file shrank since it was probed
      got += bytesRead;
    }
  } catch (error) {
    throw toFileError(error, absPath);
  }
  return wavRangeSamples(plan, bytes, got, channel);
}

/** Synchronous reads per batch in readMany before yielding to the event loop. */
export const READ_MANY_BATCH = 64;

function readWavRangeSync(fd: number, absPath: string, plan: WavPlan, channel: number, startFrame: number, frames: number): Float32Array {
  const range = wavRangeBuffer(plan, startFrame, frames);
  if (!range) return new Float32Array(0);
  const { bytes, position } = range;
  let got = 0;
  try {
    while (got < bytes.length) {
      const bytesRead = readSync(fd, bytes, got, bytes.length - got, position + got);
      if (bytesRead === 0) break; // the file shrank since it was probed
      got += bytesRead;
    }
  } catch (error) {
    throw toFileError(error, absPath);
  }
  return wavRangeSamples(plan, bytes, got, channel);
}

/**
 * Probes a recording once and returns a reader for any number of range reads
 * (the file stays open until `close`). Throws the probe's SonotypeErrors.
 */
export async function openAudioRangeReader(absPath: string): Promise<AudioRangeReader> {
  const { info, plan } = await probeSource(absPath);
  let fh: FileHandle | null = null;
  if (plan.type === 'wav') {
    try {
      fh = await open(absPath, 'r');
    } catch (error) {
      throw toFileError(error, absPath);
    }
  }
  return {
    info,
    seekable: plan.type === 'wav',
    async read(startFrame, frames, channel = 0, signal) {
      checkRange(startFrame, frames);
      checkChannel(channel, info);
      throwIfAborted(signal);
      if (plan.type === 'wav' && fh) return readWavRange(fh, absPath, plan, channel, startFrame, frames);
      return decodeRangeFromStart(absPath, channel, startFrame, frames, signal);
    },
    async readMany(ranges, channel = 0, signal) {
      for (const r of ranges) checkRange(r.startFrame, r.frames);
      checkChannel(channel, info);
      const out: Float32Array[] = [];
      if (plan.type !== 'wav') {
        // No random access: each range decodes from the start (see the file comment).
        for (const r of ranges) out.push(await decodeRangeFromStart(absPath, channel, r.startFrame, r.frames, signal));
        return out;
      }
      for (let i = 0; i < ranges.length; i++) {
        if (i % READ_MANY_BATCH === 0) {
          if (i > 0) await nextTurn();
          throwIfAborted(signal);
          if (!fh) throw new SonotypeError('INTERNAL', 'Audio range reader used after close().');
        }
        out.push(readWavRangeSync((fh as FileHandle).fd, absPath, plan, channel, ranges[i].startFrame, ranges[i].frames));
      }
      return out;
    },
    async close() {
      const handle = fh;
      fh = null;
      await handle?.close();
    },
  };
}

/**
 * Reads frames [startFrame, startFrame + frames) of one channel as Float32 in
 * [-1, 1] at the native rate. O(frames) for WAV/RF64 (a positioned read);
 * compressed formats are decoded from the start (see the file comment). The
 * result is shorter when the range runs past the end of the recording.
 */
export async function readAudioRange(absPath: string, opts: ReadRangeOptions): Promise<Float32Array> {
  checkRange(opts.startFrame, opts.frames);
  const reader = await openAudioRangeReader(absPath);
  try {
    return await reader.read(opts.startFrame, opts.frames, opts.channel ?? 0, opts.signal);
  } finally {
    await reader.close();
  }
}
