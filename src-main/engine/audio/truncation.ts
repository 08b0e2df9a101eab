/**
 * Cut-short files (a copy interrupted, a recorder whose battery died): their
 * header states the full length, the file holds less. Such a file is still
 * worth analysing, so it opens with what it holds plus a readable warning
 * ("the header says 2.5 s; the file holds 1.1 s"); a file that holds no audio
 * at all is a TRUNCATED error. Lengths are read without decoding:
 * - WAV: the data chunk's declared size against the bytes on disk (exact);
 * - MP3: the Xing/Info tag's byte count against the file size (proportional);
 * - FLAC: the end of the metadata blocks, and the sample number in the last
 *   complete frame header near the end of the file (CRC-checked).
 * Ogg files declare no total length (the last page's position is the length),
 * and M4A files cut short lose their index and fail to open at all.
 */
import { SonotypeError } from '../../../src-shared/errors';
import { id3v2TagSize } from './formats';
import type { ReadAt } from './wav-header';

/** What a file holds when it holds less than its header says. */
export interface HeldLength {
  declaredFrames: number;
  heldFrames: number;
}

/** "2.5 s", "42.1 s", "1:02:03". */
export function formatLength(seconds: number): string {
  if (seconds < 10) return `${+seconds.toFixed(2)} s`;
  if (seconds < 60) return `${+seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The warning shown for a cut-short file. */
export function truncationWarning(held: HeldLength, sampleRate: number): string {
  return `The header says ${formatLength(held.declaredFrames / sampleRate)}; the file holds ${formatLength(held.heldFrames / sampleRate)} (it was cut short, e.g. by an interrupted copy). Sonotype analyses what is there.`;
}

/** The error for a file whose header promises audio the file does not hold. */
export function holdsNoAudio(label: string, declaredSeconds: number | null): SonotypeError {
  const said = declaredSeconds !== null && declaredSeconds > 0 ? ` (its header says ${formatLength(declaredSeconds)})` : '';
  return new SonotypeError('TRUNCATED', `This ${label} file is truncated: it holds no audio${said}.`);
}

// ---- MP3 -------------------------------------------------------------------

/**
 * Frames an MP3 with a Xing/Info byte count holds, by the share of its stream
 * bytes present; null when the file is complete or states no byte count.
 */
export async function mp3HeldLength(readAt: ReadAt, fileSize: number, declaredFrames: number): Promise<HeldLength | null> {
  const start = id3v2TagSize(await readAt(0, 10));
  const frame = await readAt(start, 512);
  if (frame.length < 4 || frame[0] !== 0xff || (frame[1] & 0xe0) !== 0xe0) return null;
  const version = (frame[1] >> 3) & 3;
  const mono = (frame[3] >> 6) === 3;
  const sideInfo = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const o = 4 + sideInfo;
  if (frame.length < o + 16) return { declaredFrames, heldFrames: 0 };
  const tag = frame.toString('latin1', o, o + 4);
  if (tag !== 'Xing' && tag !== 'Info') return null;
  const flags = frame.readUInt32BE(o + 4);
  if (!(flags & 1) || !(flags & 2)) return null;
  const mpegFrames = frame.readUInt32BE(o + 8);
  const streamBytes = frame.readUInt32BE(o + 12);
  const present = fileSize - start;
  // Trailing tags (ID3v1, APE) make a complete file longer than the stream, never shorter.
  if (streamBytes <= 0 || present >= streamBytes) return null;
  // Whole MPEG frames present, less the tag frame itself (it carries no audio).
  const samplesPerFrame = version === 3 ? 1152 : 576;
  const wholeFrames = Math.floor((mpegFrames * present) / streamBytes) - 1;
  return { declaredFrames, heldFrames: Math.min(declaredFrames, Math.max(0, wholeFrames * samplesPerFrame)) };
}

// ---- FLAC ------------------------------------------------------------------

interface FlacStreamInfo {
  audioOffset: number;
  minBlockSize: number;
  maxBlockSize: number;
  maxFrameSize: number;
  totalSamples: number;
}

/** Walks the metadata blocks; null when they run past the end of the file (no audio at all). */
async function readFlacStreamInfo(readAt: ReadAt, fileSize: number): Promise<FlacStreamInfo | null> {
  let pos = id3v2TagSize(await readAt(0, 10));
  if ((await readAt(pos, 4)).toString('latin1') !== 'fLaC') return null;
  pos += 4;
  let info: Omit<FlacStreamInfo, 'audioOffset'> | null = null;
  for (let blocks = 0; blocks < 10_000; blocks++) {
    const head = await readAt(pos, 4);
    if (head.length < 4) return null;
    const last = (head[0] & 0x80) !== 0;
    const type = head[0] & 0x7f;
    const length = head.readUIntBE(1, 3);
    if (type === 0) {
      const b = await readAt(pos + 4, 34);
      if (b.length < 18) return null;
      info = {
        minBlockSize: b.readUInt16BE(0),
        maxBlockSize: b.readUInt16BE(2),
        maxFrameSize: b.readUIntBE(7, 3),
        // 36 bits: the low 4 bits of byte 13, then bytes 14–17.
        totalSamples: (b[13] & 0x0f) * 2 ** 32 + b.readUInt32BE(14),
      };
    }
    pos += 4 + length;
    if (last) break;
  }
  if (!info || pos > fileSize) return null;
  return { ...info, audioOffset: pos };
}

/** CRC-8 of FLAC frame headers (polynomial x^8 + x^2 + x + 1). */
function crc8(bytes: Uint8Array, end: number): number {
  let crc = 0;
  for (let i = 0; i < end; i++) {
    crc ^= bytes[i];
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** The first sample of the frame whose header starts at `h[0]`, or null if it is not a valid header. */
function frameStartSample(h: Buffer, fixedBlockSize: number): number | null {
  if (h.length < 6 || h[0] !== 0xff || (h[1] & 0xfe) !== 0xf8) return null;
  const variable = (h[1] & 1) === 1;
  const blockCode = h[2] >> 4;
  const rateCode = h[2] & 0x0f;
  if (blockCode === 0 || rateCode === 15 || (h[3] & 1) !== 0 || (h[3] >> 4) > 10) return null;
  // UTF-8-style coded frame number (fixed block size) or sample number (variable).
  let i = 4;
  const lead = h[i];
  let extra = 0;
  let value: number;
  if (lead < 0x80) value = lead;
  else if ((lead & 0xe0) === 0xc0) [value, extra] = [lead & 0x1f, 1];
  else if ((lead & 0xf0) === 0xe0) [value, extra] = [lead & 0x0f, 2];
  else if ((lead & 0xf8) === 0xf0) [value, extra] = [lead & 0x07, 3];
  else if ((lead & 0xfc) === 0xf8) [value, extra] = [lead & 0x03, 4];
  else if ((lead & 0xfe) === 0xfc) [value, extra] = [lead & 0x01, 5];
  else if (lead === 0xfe) [value, extra] = [0, 6];
  else return null;
  i++;
  for (let k = 0; k < extra; k++, i++) {
    if (i >= h.length || (h[i] & 0xc0) !== 0x80) return null;
    value = value * 64 + (h[i] & 0x3f);
  }
  i += blockCode === 6 ? 1 : blockCode === 7 ? 2 : 0;
  i += rateCode === 12 ? 1 : rateCode === 13 || rateCode === 14 ? 2 : 0;
  if (i >= h.length || crc8(h, i) !== h[i]) return null;
  return variable ? value : value * fixedBlockSize;
}

/**
 * What a FLAC file holds when it is cut short (null when complete or when no
 * length is declared). Throws TRUNCATED when it holds no audio frame at all.
 */
export async function flacHeldLength(readAt: ReadAt, fileSize: number, sampleRate: number): Promise<HeldLength | null> {
  const info = await readFlacStreamInfo(readAt, fileSize);
  if (!info) throw holdsNoAudio('FLAC', null);
  if (info.audioOffset >= fileSize) throw holdsNoAudio('FLAC', info.totalSamples > 0 ? info.totalSamples / sampleRate : null);
  if (info.totalSamples === 0 || info.maxBlockSize === 0) return null;
  // The last frame header in the tail: the audio before it decodes in full.
  const span = Math.min(fileSize - info.audioOffset, Math.max(2 * (info.maxFrameSize || 0), 64 * 1024));
  const tailStart = fileSize - span;
  const tail = await readAt(tailStart, span);
  for (let p = tail.length - 6; p >= 0; p--) {
    if (tail[p] !== 0xff || (tail[p + 1] & 0xfe) !== 0xf8) continue;
    const start = frameStartSample(tail.subarray(p, p + 16), info.minBlockSize === info.maxBlockSize ? info.maxBlockSize : info.minBlockSize);
    if (start === null) continue;
    // A complete last frame ends at the declared total; only a clear shortfall is a truncation.
    if (start + info.maxBlockSize >= info.totalSamples) return null;
    return { declaredFrames: info.totalSamples, heldFrames: start };
  }
  // No frame header in the tail: a file shorter than its first frame, or a tail that is all damage.
  return tailStart <= info.audioOffset ? { declaredFrames: info.totalSamples, heldFrames: 0 } : null;
}
