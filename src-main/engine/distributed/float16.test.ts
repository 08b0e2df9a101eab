import { describe, expect, it } from 'vitest';
import { decodeFloat16, encodeFloat16, fromHalfBits, toHalfBits } from './float16';

describe('float16', () => {
  it('round-trips every finite half value exactly', () => {
    for (let b = 0; b < 65536; b++) {
      const v = fromHalfBits(b);
      if (Number.isNaN(v)) {
        expect(Number.isNaN(fromHalfBits(toHalfBits(v)))).toBe(true);
        continue;
      }
      // ±0 keep their sign bit.
      expect(toHalfBits(v)).toBe(b);
    }
  });

  it('decodes known patterns', () => {
    expect(fromHalfBits(0x3c00)).toBe(1);
    expect(fromHalfBits(0xc000)).toBe(-2);
    expect(fromHalfBits(0x7bff)).toBe(65504);
    expect(fromHalfBits(0x0001)).toBe(2 ** -24);
    expect(fromHalfBits(0x7c00)).toBe(Infinity);
  });

  it('rounds to nearest, ties to even, and saturates to Infinity', () => {
    // 1 + 2^-11 lies exactly between 1 and 1 + 2^-10: ties to the even mantissa (1).
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    // 1 + 3·2^-11 lies between 1 + 2^-10 (odd) and 1 + 2^-9 (even): rounds up to even.
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toHalfBits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(toHalfBits(65520)).toBe(0x7c00);
    expect(toHalfBits(65519)).toBe(0x7bff);
    expect(toHalfBits(2 ** -26)).toBe(0); // below half the smallest subnormal
    expect(toHalfBits(3 * 2 ** -26)).toBe(1);
  });

  it('keeps the relative error of normal values within 2^-11', () => {
    const values = new Float32Array(10_000);
    for (let i = 0; i < values.length; i++) values[i] = (Math.sin(i * 12.9898) * 43758.5453) % 1000;
    const back = decodeFloat16(encodeFloat16(values));
    for (let i = 0; i < values.length; i++) {
      if (Math.abs(values[i]) < 2 ** -14) continue;
      expect(Math.abs(back[i] - values[i]) / Math.abs(values[i])).toBeLessThanOrEqual(2 ** -11);
    }
  });
});
