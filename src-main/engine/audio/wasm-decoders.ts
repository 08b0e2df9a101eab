/**
 * In-process streaming decoders (WebAssembly, no ffmpeg) for FLAC, MP3,
 * Ogg Vorbis and Ogg Opus. The file is fed to the decoder in small chunks, so
 * memory stays bounded regardless of the recording's length.
 */
import { createReadStream } from 'node:fs';
import { SonotypeError } from '../../../src-shared/errors';
import { BlockAssembler, clampToUnit } from './block-assembler';
import { throwIfAborted, toFileError } from './fs-errors';

export type WasmCodec = 'flac' | 'mp3' | 'vorbis' | 'opus';

interface DecodedChunk {
  channelData: Float32Array[];
  samplesDecoded: number;
  errors: { message: string }[];
  bitDepth?: number;
}

/**
 * The FLAC decoder scales integers by 1/(2^(b-1) - 1); rescale to 1/2^(b-1)
 * like the WAV reader, so a FLAC and its source WAV decode to identical floats.
 */
function rescaleFlac(samples: Float32Array, bitDepth: number): void {
  const max = 2 ** (bitDepth - 1);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(samples[i] * (max - 1)) / max;
}

/** The common shape of the four wasm-audio-decoders classes. */
interface StreamingDecoder {
  ready: Promise<void>;
  decode(data: Uint8Array): DecodedChunk | Promise<DecodedChunk>;
  flush?: () => Promise<DecodedChunk>;
  free(): void;
}

/** Loads decoders lazily: each WASM module costs startup time and memory. */
async function createDecoder(codec: WasmCodec): Promise<StreamingDecoder> {
  switch (codec) {
    case 'flac':
      return new (await import('@wasm-audio-decoders/flac')).FLACDecoder();
    case 'mp3':
      // Gapless mode trims the encoder delay/padding recorded in the LAME header.
      return new (await import('mpg123-decoder')).MPEGDecoder({ enableGapless: true });
    case 'vorbis':
      return new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder();
    case 'opus':
      return new (await import('ogg-opus-decoder')).OggOpusDecoder();
  }
}

const CODEC_LABEL: Record<WasmCodec, string> = { flac: 'FLAC', mp3: 'MP3', vorbis: 'Ogg Vorbis', opus: 'Ogg Opus' };

/**
 * Yields channel `channel` decoded from a FLAC/MP3/Vorbis/Opus file in blocks
 * of `blockFrames`, at most `maxFrames` frames. Frees the decoder and closes
 * the file however it ends.
 */
export async function* readWasmBlocks(
  codec: WasmCodec,
  absPath: string,
  channel: number,
  blockFrames: number,
  signal?: AbortSignal,
  maxFrames = Infinity,
): AsyncGenerator<Float32Array> {
  throwIfAborted(signal);
  const decoder = await createDecoder(codec);
  const stream = createReadStream(absPath, { flags: 'r', highWaterMark: 64 * 1024 });
  const assembler = new BlockAssembler(blockFrames);
  let decodedFrames = 0;
  let firstError: string | undefined;
  // Decoders may return views into WASM memory, so samples are copied (by the assembler) before the next call.
  const take = (chunk: DecodedChunk): Float32Array[] => {
    if (chunk.errors.length && !firstError) firstError = chunk.errors[0].message;
    if (chunk.samplesDecoded === 0) return [];
    const samples = chunk.channelData[channel];
    if (!samples) {
      throw new SonotypeError('DECODE_FAILED', `${CODEC_LABEL[codec]} decoder returned ${chunk.channelData.length} channel(s); channel ${channel} is missing`);
    }
    const count = Math.min(chunk.samplesDecoded, maxFrames - decodedFrames);
    if (count <= 0) return [];
    decodedFrames += count;
    const copy = samples.slice(0, count);
    if (codec === 'flac' && chunk.bitDepth) rescaleFlac(copy, chunk.bitDepth);
    return assembler.push(clampToUnit(copy));
  };
  try {
    await decoder.ready;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        throwIfAborted(signal);
        for (const block of take(await decoder.decode(new Uint8Array(chunk)))) yield block;
      }
    } catch (error) {
      if (error instanceof SonotypeError) throw error;
      if ((error as NodeJS.ErrnoException).code) throw toFileError(error, absPath);
      // The decoders throw their own internal errors (TypeError, "logError is not defined"…) on damaged data.
      throw new SonotypeError('DECODE_FAILED', `${CODEC_LABEL[codec]} data in this file is damaged: the decoder stopped (${(error as Error).message})`, { cause: error });
    }
    if (decoder.flush) for (const block of take(await decoder.flush())) yield block;
    if (decodedFrames === 0 && firstError) {
      throw new SonotypeError('DECODE_FAILED', `${CODEC_LABEL[codec]} data in this file is damaged and decodes to nothing (${firstError})`);
    }
    const last = assembler.flush();
    if (last) yield last;
  } finally {
    stream.destroy();
    decoder.free();
  }
}
