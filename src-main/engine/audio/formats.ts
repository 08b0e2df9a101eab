/**
 * Which files Sonotype treats as recordings, and what a file really is,
 * judged by its first bytes (a text file renamed `.wav` is not a WAV).
 */
import path from 'node:path';

/** Lower-case extensions (with dot) that scans pick up, matched case-insensitively. */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.freeze([
  '.wav', '.wave', '.bwf', '.rf64', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac',
]);

/** True when the file name has a supported audio extension (any case). */
export function hasSupportedExtension(fileName: string): boolean {
  return SUPPORTED_EXTENSIONS.includes(path.extname(fileName).toLowerCase());
}

/** Container identified from magic bytes; 'unknown' when nothing matches. */
export type SniffedFormat = 'wav' | 'flac' | 'mp3' | 'ogg-vorbis' | 'ogg-opus' | 'ogg-other' | 'mp4' | 'adts' | 'unknown';

/** Size of a leading ID3v2 tag (some FLAC and most MP3 files start with one). */
export function id3v2TagSize(head: Uint8Array): number {
  if (head.length < 10 || head[0] !== 0x49 || head[1] !== 0x44 || head[2] !== 0x33) return 0;
  const size = ((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f);
  return 10 + size + (head[5] & 0x10 ? 10 : 0);
}

function sniffOgg(head: Buffer): SniffedFormat {
  // First page: 27-byte header, segment table, then the codec's identification packet.
  if (head.length < 28) return 'ogg-other';
  const packet = 27 + head[26];
  if (head.toString('latin1', packet + 1, packet + 7) === 'vorbis' && head[packet] === 1) return 'ogg-vorbis';
  if (head.toString('latin1', packet, packet + 8) === 'OpusHead') return 'ogg-opus';
  return 'ogg-other';
}

/** Identifies the container/codec from the first bytes of the file (after any ID3v2 tag). */
export function sniffFormat(head: Buffer): SniffedFormat {
  const magic = head.toString('latin1', 0, 4);
  if (magic === 'RIFF' || magic === 'RF64' || magic === 'BW64') return 'wav';
  if (magic === 'fLaC') return 'flac';
  if (magic === 'OggS') return sniffOgg(head);
  if (head.toString('latin1', 4, 8) === 'ftyp') return 'mp4';
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) {
    // Layer bits 00 mean ADTS (AAC); anything else is MPEG audio.
    return (head[1] & 0x06) === 0 ? 'adts' : 'mp3';
  }
  return 'unknown';
}
