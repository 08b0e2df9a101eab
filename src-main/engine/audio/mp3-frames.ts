/**
 * Exact MP3 length from the Xing/Info + LAME header of the first frame.
 * music-metadata's duration counts whole frames including the encoder delay
 * and padding, which the gapless decoder removes; this gives the number of
 * samples the decoder actually yields.
 */
import { id3v2TagSize } from './formats';
import type { ReadAt } from './wav-header';

const RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

export interface Mp3GaplessInfo {
  sampleRate: number;
  channels: number;
  /** Decoded frames after removing encoder delay and padding. */
  frames: number;
}

/** Returns the gapless length, or null if the first frame carries no Xing/Info tag with a frame count. */
export async function readMp3GaplessInfo(readAt: ReadAt): Promise<Mp3GaplessInfo | null> {
  const start = id3v2TagSize(await readAt(0, 10));
  const frame = await readAt(start, 512);
  if (frame.length < 4 || frame[0] !== 0xff || (frame[1] & 0xe0) !== 0xe0) return null;
  const version = (frame[1] >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layer = (frame[1] >> 1) & 3; // 1 = Layer III
  const rateIndex = (frame[2] >> 2) & 3;
  const mono = (frame[3] >> 6) === 3;
  if (layer !== 1 || version === 1 || rateIndex === 3) return null;
  const sampleRate = RATES[version][rateIndex];
  const samplesPerFrame = version === 3 ? 1152 : 576;
  // The tag sits right after the side information, whose size depends on version and mode.
  const sideInfo = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
  let o = 4 + sideInfo;
  const tag = frame.toString('latin1', o, o + 4);
  if (tag !== 'Xing' && tag !== 'Info') return null;
  const flags = frame.readUInt32BE(o + 4);
  o += 8;
  if (!(flags & 1)) return null;
  const frameCount = frame.readUInt32BE(o);
  o += 4;
  if (flags & 2) o += 4; // byte count
  if (flags & 4) o += 100; // seek table
  if (flags & 8) o += 4; // quality
  let delay = 0;
  let padding = 0;
  // LAME extension: 9-byte encoder string, then delay/padding as two 12-bit values at +21.
  if (frame.length >= o + 24 && /^(LAME|Lavc|Lavf|L3.9)/.test(frame.toString('latin1', o, o + 4))) {
    delay = (frame[o + 21] << 4) | (frame[o + 22] >> 4);
    padding = ((frame[o + 22] & 0x0f) << 8) | frame[o + 23];
  }
  const frames = Math.max(0, frameCount * samplesPerFrame - delay - padding);
  return { sampleRate, channels: mono ? 1 : 2, frames };
}
