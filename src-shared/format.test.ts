import { describe, expect, it } from 'vitest';
import { formatDuration, formatEta, formatPercent } from './format';

describe('one way to write numbers, in the CLI and the UI', () => {
  it('writes durations with the precision asked for (UI 1 decimal, CLI tables 3)', () => {
    expect(formatDuration(61.5)).toBe('1:01.5');
    expect(formatDuration(3725.5)).toBe('1:02:06');
    expect(formatDuration(3725.5, 3)).toBe('1:02:05.500');
    expect(formatDuration(59.9996, 3)).toBe('1:00.000');
    expect(formatDuration(0.0345, 3)).toBe('35 ms');
    expect(formatDuration(null, 3)).toBe('–');
  });

  it('writes ETAs and percentages', () => {
    expect(formatEta(200)).toBe('3 min 20 s');
    expect(formatEta(null)).toBe('estimating…');
    expect(formatPercent(0.8321)).toBe('83.2%');
    expect(formatPercent(null)).toBe('–');
  });
});
