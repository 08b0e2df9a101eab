/**
 * Stream info (rate, channels, length, codec) of compressed files, read with
 * music-metadata and corrected where it is not exact (MP3 gapless length).
 */
import type { AudioInfo } from '../../../src-shared/audio-types';
import { SonotypeError } from '../../../src-shared/errors';
import { readMp3GaplessInfo } from './mp3-frames';
import type { ReadAt } from './wav-header';

export type CompressedInfo = Omit<AudioInfo, 'container'>;

/** Stream info whose length may be unknown (raw ADTS, FLAC streamed without a sample count). */
export interface PartialInfo {
  sampleRate?: number;
  channels?: number;
  codec: string;
  frames?: number;
}

/** Completes partial info into AudioInfo fields once the frame count is known. */
export function completeInfo(p: PartialInfo & { sampleRate: number; channels: number; frames: number }): CompressedInfo {
  return { sampleRate: p.sampleRate, channels: p.channels, frames: p.frames, durationSeconds: p.frames / p.sampleRate, codec: p.codec };
}

/** Short codec name from music-metadata's descriptive one. */
export function shortCodecName(codec: string | undefined, fallback: string): string {
  const c = (codec ?? '').toLowerCase();
  if (c.includes('flac')) return 'flac';
  if (c.includes('layer 3') || c === 'mp3') return 'mp3';
  if (c.includes('vorbis')) return 'vorbis';
  if (c.includes('opus')) return 'opus';
  if (c.includes('aac')) return 'aac';
  if (c.includes('alac')) return 'alac';
  return c || fallback;
}

function metadataError(error: unknown): SonotypeError {
  const message = error instanceof Error ? error.message : String(error);
  if (/end-of-stream|eof|outside the bounds|out of range/i.test(message)) {
    return new SonotypeError('TRUNCATED', `File is truncated: its header ends before the audio stream info (${message})`, { cause: error });
  }
  return new SonotypeError('NOT_AUDIO', `Could not read the audio stream info: ${message}`, { cause: error });
}

/**
 * Reads stream info with music-metadata (and the LAME header for MP3s).
 * Fields music-metadata cannot tell are left undefined for the caller to
 * fill in from ffmpeg or by counting decoded frames.
 */
export async function readCompressedInfo(absPath: string, fallbackCodec: string, readAt: ReadAt): Promise<PartialInfo> {
  let format;
  try {
    const { parseFile } = await import('music-metadata');
    ({ format } = await parseFile(absPath, { duration: false, skipCovers: true }));
  } catch (error) {
    throw metadataError(error);
  }
  const codec = shortCodecName(format.codec, fallbackCodec);
  if (codec === 'mp3') {
    // music-metadata counts whole MPEG frames; the decoder drops encoder delay and padding.
    const gapless = await readMp3GaplessInfo(readAt);
    if (gapless) return { ...gapless, codec };
  }
  // Opus always decodes at 48 kHz; the rate in its header is only the input's (an 8 kHz source says 8000).
  const sampleRate = codec === 'opus' ? 48_000 : format.sampleRate || undefined;
  const frames =
    format.numberOfSamples ?? (format.duration !== undefined && sampleRate ? Math.round(format.duration * sampleRate) : undefined);
  // A cut-short Ogg file whose last page precedes the audio gives a negative count (granule − pre-skip): it holds none.
  return { sampleRate, channels: format.numberOfChannels || undefined, codec, frames: frames !== undefined && Number.isFinite(frames) ? Math.max(0, frames) : undefined };
}
