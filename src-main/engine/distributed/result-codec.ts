/**
 * The binary form of a shard result: named typed arrays plus a small JSON
 * header, checksummed, so a result can travel through shared storage (or,
 * when small, inline through Redis) and be verified before anything is
 * written to the project.
 *
 * Layout (little-endian):
 *   "SNTYRES1"                 8 bytes magic
 *   headerBytes                u32
 *   header                     UTF-8 JSON { meta, arrays: [{ name, dtype, length, offset }] }
 *   zero padding               to an 8-byte boundary
 *   array payloads             each starting at its 8-aligned `offset` from the start of the file
 *   SHA-256                    32 bytes over everything before it
 * The checksum is also what the worker reports through Redis, so the
 * coordinator checks both that the bytes are intact and that they are the
 * bytes the worker wrote (not a stale or foreign file).
 */
import { createHash } from 'node:crypto';
import { SonotypeError } from '../../../src-shared/errors';
import { decodeFloat16, encodeFloat16 } from './float16';

const MAGIC = Buffer.from('SNTYRES1', 'ascii');
const CHECKSUM_BYTES = 32;
/** Results are small structured objects; a header larger than this is corrupt. */
const MAX_HEADER_BYTES = 1 << 20;

/** How an array is stored; f16 arrays are Float32Array in memory. */
export type ResultDtype = 'f32' | 'f16' | 'f64' | 'i32' | 'u8' | 'i8';

export type ResultArray = Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array;

export interface ResultArraySpec {
  name: string;
  dtype: ResultDtype;
  data: ResultArray;
}

export interface DecodedResult {
  meta: Record<string, unknown>;
  arrays: Map<string, ResultArray>;
}

export interface EncodedResult {
  bytes: Buffer;
  /** Hex SHA-256 of the bytes before the trailer (equal to the trailer). */
  checksum: string;
}

const BYTES: Record<ResultDtype, number> = { f32: 4, f16: 2, f64: 8, i32: 4, u8: 1, i8: 1 };

function corrupt(message: string): never {
  throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: ${message}`);
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function payloadOf(spec: ResultArraySpec): Uint8Array {
  const { dtype, data } = spec;
  const expected = { f32: Float32Array, f16: Float32Array, f64: Float64Array, i32: Int32Array, u8: Uint8Array, i8: Int8Array }[dtype];
  if (!(data instanceof expected)) {
    throw new SonotypeError('INVALID_ARGUMENT', `Result array '${spec.name}' is declared ${dtype} but holds a ${data.constructor.name}.`);
  }
  const typed = dtype === 'f16' ? encodeFloat16(data as Float32Array) : data;
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

/** Packs `meta` and `arrays` into the checksummed binary form. */
export function encodeResult(meta: Record<string, unknown>, arrays: readonly ResultArraySpec[]): EncodedResult {
  const payloads = arrays.map(payloadOf);
  // Offsets depend on the header length, which depends on the offsets' digits: iterate to a fixed point.
  let headerJson = '';
  let offsets: number[] = [];
  let headerBytes = 0;
  for (let guess = 0; ; ) {
    let at = align8(MAGIC.length + 4 + guess);
    offsets = payloads.map((p) => {
      const o = at;
      at = align8(at + p.byteLength);
      return o;
    });
    headerJson = JSON.stringify({
      meta,
      arrays: arrays.map((a, i) => ({ name: a.name, dtype: a.dtype, length: a.data.length, offset: offsets[i] })),
    });
    headerBytes = Buffer.byteLength(headerJson);
    if (align8(MAGIC.length + 4 + headerBytes) === align8(MAGIC.length + 4 + guess)) break;
    guess = headerBytes;
  }
  const bodyEnd = payloads.length ? align8(offsets[offsets.length - 1] + payloads[payloads.length - 1].byteLength) : align8(MAGIC.length + 4 + headerBytes);
  const bytes = Buffer.alloc(bodyEnd + CHECKSUM_BYTES);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt32LE(headerBytes, MAGIC.length);
  bytes.write(headerJson, MAGIC.length + 4, 'utf8');
  payloads.forEach((p, i) => bytes.set(p, offsets[i]));
  const digest = createHash('sha256').update(bytes.subarray(0, bodyEnd)).digest();
  digest.copy(bytes, bodyEnd);
  return { bytes, checksum: digest.toString('hex') };
}

/** Hex SHA-256 of a result's body, read from its trailer (no verification). */
export function resultChecksum(bytes: Uint8Array): string {
  if (bytes.length < MAGIC.length + 4 + CHECKSUM_BYTES) corrupt(`only ${bytes.length} bytes.`);
  return Buffer.from(bytes.subarray(bytes.length - CHECKSUM_BYTES)).toString('hex');
}

/**
 * Verifies and unpacks a result. Throws CORRUPT_DATA when the bytes are
 * damaged, truncated, not a result, or (with `expectedChecksum`) not the
 * result the worker reported.
 */
export function decodeResult(bytes: Uint8Array, expectedChecksum?: string): DecodedResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 4 + CHECKSUM_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC)) corrupt('not a Sonotype shard result (bad magic).');
  const bodyEnd = buf.length - CHECKSUM_BYTES;
  const digest = createHash('sha256').update(buf.subarray(0, bodyEnd)).digest('hex');
  const trailer = resultChecksum(buf);
  if (digest !== trailer) corrupt(`checksum mismatch (content ${digest.slice(0, 12)}…, trailer ${trailer.slice(0, 12)}…): the file is damaged or truncated.`);
  if (expectedChecksum !== undefined && expectedChecksum !== digest) {
    corrupt(`checksum ${digest.slice(0, 12)}… is not the ${expectedChecksum.slice(0, 12)}… the worker reported.`);
  }
  const headerBytes = buf.readUInt32LE(MAGIC.length);
  if (headerBytes > MAX_HEADER_BYTES || MAGIC.length + 4 + headerBytes > bodyEnd) corrupt('header length out of range.');
  let header: { meta?: unknown; arrays?: unknown };
  try {
    header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerBytes));
  } catch {
    corrupt('unreadable header.');
  }
  if (!header || typeof header.meta !== 'object' || header.meta === null || !Array.isArray(header.arrays)) corrupt('malformed header.');
  const arrays = new Map<string, ResultArray>();
  for (const entry of header.arrays as { name: unknown; dtype: unknown; length: unknown; offset: unknown }[]) {
    const { name, dtype, length, offset } = entry ?? {};
    if (typeof name !== 'string' || typeof dtype !== 'string' || !(dtype in BYTES)) corrupt('malformed array entry.');
    if (!Number.isSafeInteger(length) || !Number.isSafeInteger(offset) || (length as number) < 0 || (offset as number) % 8 !== 0) corrupt(`bad extent for '${name}'.`);
    const size = (length as number) * BYTES[dtype as ResultDtype];
    if ((offset as number) + size > bodyEnd) corrupt(`array '${name}' runs past the end.`);
    // Copy into an aligned buffer of its own: views into `buf` may be misaligned and keep the whole file alive.
    const raw = new Uint8Array(size);
    raw.set(buf.subarray(offset as number, (offset as number) + size));
    arrays.set(name, typedView(dtype as ResultDtype, raw.buffer, length as number));
  }
  return { meta: header.meta as Record<string, unknown>, arrays };
}

function typedView(dtype: ResultDtype, buffer: ArrayBuffer, length: number): ResultArray {
  switch (dtype) {
    case 'f32':
      return new Float32Array(buffer, 0, length);
    case 'f16':
      return decodeFloat16(new Uint16Array(buffer, 0, length));
    case 'f64':
      return new Float64Array(buffer, 0, length);
    case 'i32':
      return new Int32Array(buffer, 0, length);
    case 'u8':
      return new Uint8Array(buffer, 0, length);
    case 'i8':
      return new Int8Array(buffer, 0, length);
  }
}

/** The array `name` of a decoded result as `type`, or CORRUPT_DATA naming what is missing. */
export function requireArray<T extends ResultArray>(result: DecodedResult, name: string, type: new (...args: never[]) => T, length?: number): T {
  const array = result.arrays.get(name);
  if (!(array instanceof type)) corrupt(`array '${name}' is missing or of the wrong type.`);
  if (length !== undefined && array.length !== length) corrupt(`array '${name}' has ${array.length} values, ${length} expected.`);
  return array;
}
