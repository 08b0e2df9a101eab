/**
 * Seeded mutations of audio files for the fuzz tests and the reliability
 * bench: damaged WAV headers (absurd rates and channel counts, chunk sizes
 * past the end, hundreds of thousands of empty chunks, truncation…) and
 * damaged compressed files (truncated, flipped bytes, zeroed or repeated
 * ranges). The same seed always gives the same files, so a failure found by
 * CI can be reproduced exactly.
 */
import { createRng } from '../util/random';

export interface MutatedFile {
  /** File name (unique within a batch), with the base's extension. */
  name: string;
  bytes: Buffer;
  /** What was done, for failure messages. */
  mutation: string;
}

type Rng = () => number;

const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)];

/** Values that break naive parsers: zero, one, sign boundaries, all ones, and the values the original probe found. */
const EXTREME_U32 = [0, 1, 2, 3, 7, 255, 0xffff, 0x10000, 34_561, 436_000_000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const EXTREME_U16 = [0, 1, 2, 3, 5, 7, 8, 9, 12, 24, 31, 33, 64, 255, 0x7fff, 0x8000, 34_561 & 0xffff, 0xfffe, 0xffff];

interface Field {
  name: string;
  offset: number;
  size: 2 | 4;
}

/** Offsets of the fields of a canonical 44-byte header (RIFF, 'fmt ' of 16 bytes, then 'data'). */
const CANONICAL_FIELDS: Field[] = [
  { name: 'riff size', offset: 4, size: 4 },
  { name: 'fmt size', offset: 16, size: 4 },
  { name: 'format tag', offset: 20, size: 2 },
  { name: 'channels', offset: 22, size: 2 },
  { name: 'sample rate', offset: 24, size: 4 },
  { name: 'byte rate', offset: 28, size: 4 },
  { name: 'block align', offset: 32, size: 2 },
  { name: 'bits per sample', offset: 34, size: 2 },
  { name: 'data size', offset: 40, size: 4 },
];

function chunk(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** Splits a canonical WAV into its 36-byte RIFF+fmt part and its data chunk. */
function splitCanonical(wav: Buffer): { riffFmt: Buffer; data: Buffer } {
  if (wav.toString('latin1', 36, 40) !== 'data') throw new Error('fuzz base WAV must be canonical (44-byte header)');
  return { riffFmt: wav.subarray(0, 36), data: wav.subarray(36) };
}

function withRiffSize(file: Buffer): Buffer {
  file.writeUInt32LE(Math.min(0xffffffff, file.length - 8), 4);
  return file;
}

/** One mutation of a canonical WAV's header. */
function mutateWav(base: Buffer, rng: Rng): { bytes: Buffer; mutation: string } {
  const kind = int(rng, 10);
  switch (kind) {
    case 0:
    case 1: {
      // One header field set to an extreme value.
      const field = pick(rng, CANONICAL_FIELDS);
      const value = field.size === 4 ? pick(rng, EXTREME_U32) : pick(rng, EXTREME_U16);
      const bytes = Buffer.from(base);
      if (field.size === 4) bytes.writeUInt32LE(value, field.offset);
      else bytes.writeUInt16LE(value, field.offset);
      return { bytes, mutation: `${field.name} = ${value}` };
    }
    case 2: {
      // Two or three fields at once (e.g. a rate and a block align that agree with each other but not with the data).
      const bytes = Buffer.from(base);
      const names: string[] = [];
      for (let i = 0, n = 2 + int(rng, 2); i < n; i++) {
        const field = pick(rng, CANONICAL_FIELDS);
        const value = field.size === 4 ? pick(rng, EXTREME_U32) : pick(rng, EXTREME_U16);
        if (field.size === 4) bytes.writeUInt32LE(value, field.offset);
        else bytes.writeUInt16LE(value, field.offset);
        names.push(`${field.name} = ${value}`);
      }
      return { bytes, mutation: names.join(', ') };
    }
    case 3: {
      // Random bytes anywhere in the first 64.
      const bytes = Buffer.from(base);
      const n = 1 + int(rng, 4);
      for (let i = 0; i < n; i++) bytes[int(rng, Math.min(64, bytes.length))] = int(rng, 256);
      return { bytes, mutation: `${n} random header bytes` };
    }
    case 4: {
      // Truncated anywhere from 0 bytes to the end of the header plus some data.
      const at = int(rng, Math.min(base.length, 44 + 64));
      return { bytes: base.subarray(0, at), mutation: `truncated to ${at} bytes` };
    }
    case 5: {
      // Many empty chunks before the data (a slow header parser's worst case).
      const { riffFmt, data } = splitCanonical(base);
      const count = pick(rng, [1_000, 20_000, 200_000]);
      const empty = Buffer.alloc(8 * count);
      for (let i = 0; i < count; i++) empty.write('junk', i * 8, 'latin1');
      return { bytes: withRiffSize(Buffer.concat([riffFmt, empty, data])), mutation: `${count} empty chunks before data` };
    }
    case 6: {
      // A chunk whose size points past the end of the file, before or after fmt.
      const { riffFmt, data } = splitCanonical(base);
      const bogus = Buffer.alloc(8);
      bogus.write(pick(rng, ['LIST', 'junk', 'bext', 'fact']), 0, 'latin1');
      bogus.writeUInt32LE(pick(rng, [0x7fffffff, 0xffffffff, base.length * 4, 0xfffffff0]), 4);
      const before = rng() < 0.5;
      const bytes = before
        ? Buffer.concat([riffFmt.subarray(0, 12), bogus, riffFmt.subarray(12), data])
        : Buffer.concat([riffFmt, bogus, data]);
      return { bytes, mutation: `chunk size past EOF ${before ? 'before' : 'after'} fmt` };
    }
    case 7: {
      // data before fmt, duplicated fmt, or fmt missing.
      const { riffFmt, data } = splitCanonical(base);
      const fmt = riffFmt.subarray(12, 36);
      const riff = riffFmt.subarray(0, 12);
      const variant = int(rng, 3);
      const parts = variant === 0 ? [riff, data, fmt] : variant === 1 ? [riff, fmt, fmt, data] : [riff, data];
      return { bytes: withRiffSize(Buffer.concat(parts)), mutation: ['data before fmt', 'fmt twice', 'no fmt'][variant] };
    }
    case 8: {
      // Odd-sized and oversized fmt chunks.
      const { riffFmt, data } = splitCanonical(base);
      const fmtBody = Buffer.concat([riffFmt.subarray(20, 36), Buffer.alloc(int(rng, 40))]);
      if (fmtBody.length > 16) fmtBody.fill(int(rng, 256), 16);
      return { bytes: withRiffSize(Buffer.concat([riffFmt.subarray(0, 12), chunk('fmt ', fmtBody), data])), mutation: `fmt chunk of ${fmtBody.length} bytes` };
    }
    default: {
      // Random bytes over the first 256, header and first samples alike.
      const bytes = Buffer.from(base);
      const n = 1 + int(rng, 12);
      for (let i = 0; i < n; i++) bytes[int(rng, Math.min(256, bytes.length))] = int(rng, 256);
      return { bytes, mutation: `${n} random bytes in the first 256` };
    }
  }
}

/** One mutation of a compressed file (FLAC, MP3, Ogg, M4A). */
function mutateCompressed(base: Buffer, rng: Rng): { bytes: Buffer; mutation: string } {
  const kind = int(rng, 7);
  switch (kind) {
    case 0: {
      const at = pick(rng, [0, 1, 4, 16, 64, 128, 512, int(rng, base.length)]);
      return { bytes: base.subarray(0, Math.min(at, base.length)), mutation: `truncated to ${at} bytes` };
    }
    case 1: {
      const at = Math.floor(base.length * (0.3 + 0.6 * rng()));
      return { bytes: base.subarray(0, at), mutation: `truncated to ${at} of ${base.length} bytes` };
    }
    case 2: {
      const bytes = Buffer.from(base);
      const n = 1 + int(rng, 8);
      for (let i = 0; i < n; i++) bytes[int(rng, Math.min(512, bytes.length))] = int(rng, 256);
      return { bytes, mutation: `${n} random bytes in the first 512` };
    }
    case 3: {
      const bytes = Buffer.from(base);
      const n = 1 + int(rng, 64);
      for (let i = 0; i < n; i++) bytes[int(rng, bytes.length)] = int(rng, 256);
      return { bytes, mutation: `${n} random bytes anywhere` };
    }
    case 4: {
      const bytes = Buffer.from(base);
      const start = int(rng, bytes.length);
      const length = 1 + int(rng, Math.max(1, bytes.length - start));
      bytes.fill(pick(rng, [0, 0xff]), start, start + length);
      return { bytes, mutation: `bytes ${start}+${length} overwritten` };
    }
    case 5: {
      const start = int(rng, base.length);
      const length = 1 + int(rng, 4096);
      const bytes = Buffer.concat([base.subarray(0, start), base.subarray(start, start + length), base.subarray(start)]);
      return { bytes, mutation: `bytes ${start}+${length} repeated` };
    }
    default: {
      const junk = Buffer.alloc(1 + int(rng, 8192));
      for (let i = 0; i < junk.length; i++) junk[i] = int(rng, 256);
      return { bytes: Buffer.concat([base, junk]), mutation: `${junk.length} junk bytes appended` };
    }
  }
}

/**
 * `count` mutated files made from the canonical WAVs in `bases` (each a
 * 44-byte-header WAV), named `wav-<i>.wav`.
 */
export function mutatedWavs(bases: readonly Buffer[], count: number, seed: number): MutatedFile[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const { bytes, mutation } = mutateWav(bases[i % bases.length], rng);
    return { name: `wav-${String(i).padStart(4, '0')}.wav`, bytes, mutation };
  });
}

/** `count` mutated files made from `bases` (extension → bytes), round robin over the extensions. */
export function mutatedCompressed(bases: ReadonlyMap<string, Buffer>, count: number, seed: number): MutatedFile[] {
  const rng = createRng(seed);
  const exts = [...bases.keys()];
  return Array.from({ length: count }, (_, i) => {
    const ext = exts[i % exts.length];
    const { bytes, mutation } = mutateCompressed(bases.get(ext)!, rng);
    return { name: `${ext}-${String(i).padStart(4, '0')}.${ext}`, bytes, mutation };
  });
}
