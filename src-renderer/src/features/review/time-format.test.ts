import { describe, expect, it } from 'vitest';
import { decimalsForStep, formatFrequency, formatTime } from './time-format';

describe('formatTime', () => {
  it('writes minutes and seconds, hours for long recordings', () => {
    expect(formatTime(0)).toBe('0:00');
    expect(formatTime(61.5, 1)).toBe('1:01.5');
    expect(formatTime(3723.25, 2)).toBe('1:02:03.25');
    expect(formatTime(5, 0, true)).toBe('0:00:05');
  });

  it('carries rounding into the minute instead of showing :60', () => {
    expect(formatTime(59.9996, 3)).toBe('1:00.000');
    expect(formatTime(3599.6, 0)).toBe('1:00:00');
  });

  it('chooses decimals from the tick step', () => {
    expect(decimalsForStep(10)).toBe(0);
    expect(decimalsForStep(0.5)).toBe(1);
    expect(decimalsForStep(0.1)).toBe(1);
    expect(decimalsForStep(0.02)).toBe(2);
    expect(decimalsForStep(0.0001)).toBe(4);
    expect(decimalsForStep(1e-7)).toBe(4);
  });
});

describe('formatFrequency', () => {
  it('uses kHz from 1 kHz up', () => {
    expect(formatFrequency(800)).toBe('800 Hz');
    expect(formatFrequency(1000)).toBe('1 kHz');
    expect(formatFrequency(12_500)).toBe('12.5 kHz');
    expect(formatFrequency(2250)).toBe('2.25 kHz');
    expect(formatFrequency(96_000)).toBe('96 kHz');
  });
});
