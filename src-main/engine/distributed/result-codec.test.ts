import { describe, expect, it } from 'vitest';
import { SonotypeError } from '../../../src-shared/errors';
import { decodeResult, encodeResult, requireArray, resultChecksum } from './result-codec';

function sample() {
  const emb = new Float32Array(3 * 5).map((_, i) => Math.sin(i) * 10);
  return encodeResult({ kind: 'embed', firstWindow: 7, note: 'ünïcode' }, [
    { name: 'embeddings', dtype: 'f32', data: emb },
    { name: 'half', dtype: 'f16', data: emb },
    { name: 'flags', dtype: 'u8', data: new Uint8Array([1, 0, 1]) },
    { name: 'spans', dtype: 'f64', data: new Float64Array([0, 1.5, 3]) },
    { name: 'ids', dtype: 'i32', data: new Int32Array([-1, 2, 3]) },
  ]);
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof SonotypeError ? error.code : 'OTHER';
  }
  return undefined;
}

describe('shard result codec', () => {
  it('round-trips every dtype and the meta object', () => {
    const { bytes, checksum } = sample();
    expect(resultChecksum(bytes)).toBe(checksum);
    const decoded = decodeResult(bytes, checksum);
    expect(decoded.meta).toEqual({ kind: 'embed', firstWindow: 7, note: 'ünïcode' });
    const emb = requireArray(decoded, 'embeddings', Float32Array, 15);
    expect(Array.from(emb)).toEqual(Array.from(new Float32Array(15).map((_, i) => Math.sin(i) * 10)));
    const half = requireArray(decoded, 'half', Float32Array);
    half.forEach((v, i) => expect(Math.abs(v - emb[i])).toBeLessThanOrEqual(Math.abs(emb[i]) * 2 ** -11));
    expect(Array.from(requireArray(decoded, 'flags', Uint8Array))).toEqual([1, 0, 1]);
    expect(Array.from(requireArray(decoded, 'spans', Float64Array))).toEqual([0, 1.5, 3]);
    expect(Array.from(requireArray(decoded, 'ids', Int32Array))).toEqual([-1, 2, 3]);
  });

  it('float16 halves the payload', () => {
    const data = new Float32Array(10_000);
    const f32 = encodeResult({}, [{ name: 'x', dtype: 'f32', data }]).bytes.length;
    const f16 = encodeResult({}, [{ name: 'x', dtype: 'f16', data }]).bytes.length;
    expect(f16).toBeLessThan(f32 * 0.51);
  });

  it('rejects any flipped byte, truncation, a foreign checksum and non-results', () => {
    const { bytes, checksum } = sample();
    for (const at of [0, 9, 20, bytes.length >> 1, bytes.length - 40, bytes.length - 1]) {
      const damaged = Buffer.from(bytes);
      damaged[at] ^= 0x40;
      expect(code(() => decodeResult(damaged))).toBe('CORRUPT_DATA');
    }
    expect(code(() => decodeResult(bytes.subarray(0, bytes.length - 1)))).toBe('CORRUPT_DATA');
    expect(code(() => decodeResult(bytes, '0'.repeat(64)))).toBe('CORRUPT_DATA');
    expect(code(() => decodeResult(Buffer.from('hello world, this is not a result at all.....')))).toBe('CORRUPT_DATA');
    expect(code(() => requireArray(decodeResult(bytes), 'missing', Float32Array))).toBe('CORRUPT_DATA');
    expect(code(() => requireArray(decodeResult(bytes), 'flags', Uint8Array, 4))).toBe('CORRUPT_DATA');
  });

  it('refuses an array whose declared type does not match its data', () => {
    expect(code(() => encodeResult({}, [{ name: 'x', dtype: 'f64', data: new Float32Array(2) }]))).toBe('INVALID_ARGUMENT');
  });
});
