/**
 * The one entry point for decoding: mono blocks of a chosen channel at the
 * native rate, streamed from whichever decoder the file needs.
 */
import { SonotypeError } from '../../../src-shared/errors';
import { readFfmpegBlocks } from './ffmpeg-decoder';
import { throwIfAborted } from './fs-errors';
import { probeSource } from './probe';
import { readWasmBlocks } from './wasm-decoders';
import { readWavBlocks } from './wav-reader';

export interface ReadBlocksOptions {
  /** Zero-based channel to decode (default 0). */
  channel?: number;
  /** Frames per yielded block (default 65536); the last block may be shorter. */
  blockFrames?: number;
  signal?: AbortSignal;
}

export const DEFAULT_BLOCK_FRAMES = 1 << 16;

/**
 * Decodes one channel of a recording as mono Float32 blocks in [-1, 1], in
 * order, at the file's native sample rate, never holding the whole file in
 * memory. Returning early from the generator (break, `return()`) closes the
 * file and kills any ffmpeg child. Throws SonotypeError: INVALID_ARGUMENT for a
 * channel out of range, CANCELLED on abort, or the probe/decoder error codes.
 */
export async function* readAudioBlocks(absPath: string, opts: ReadBlocksOptions = {}): AsyncGenerator<Float32Array> {
  const channel = opts.channel ?? 0;
  const blockFrames = opts.blockFrames ?? DEFAULT_BLOCK_FRAMES;
  if (!Number.isInteger(blockFrames) || blockFrames < 1) {
    throw new SonotypeError('INVALID_ARGUMENT', `blockFrames must be a positive integer, got ${blockFrames}`);
  }
  throwIfAborted(opts.signal);
  const { info, plan } = await probeSource(absPath);
  if (!Number.isInteger(channel) || channel < 0 || channel >= info.channels) {
    throw new SonotypeError(
      'INVALID_ARGUMENT',
      `Channel ${channel} does not exist: this recording has ${info.channels} channel${info.channels === 1 ? '' : 's'} (0–${info.channels - 1})`,
    );
  }
  switch (plan.type) {
    case 'wav':
      yield* readWavBlocks(absPath, plan.header, channel, blockFrames, opts.signal);
      break;
    case 'wasm':
      // In Ogg the last granule position defines the length; the decoders emit junk past a truncated last page.
      yield* readWasmBlocks(plan.codec, absPath, channel, blockFrames, opts.signal, plan.codec === 'vorbis' || plan.codec === 'opus' ? info.frames : Infinity);
      break;
    case 'ffmpeg':
      yield* readFfmpegBlocks(plan.ffmpeg, absPath, channel, blockFrames, opts.signal);
      break;
  }
}
