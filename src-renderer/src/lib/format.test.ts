import { describe, expect, it } from 'vitest';
import { baseName, errorMessage, formatDuration, formatEta, formatPercent, formatRate, formatRatePerItem } from './format';
import { ApiError } from './api';

describe('format', () => {
  it('formats durations as m:ss.s and h:mm:ss, rounding without 60-second glitches', () => {
    expect(formatDuration(61.5)).toBe('1:01.5');
    expect(formatDuration(59.96)).toBe('1:00.0');
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(0.0345)).toBe('35 ms');
    expect(formatDuration(0.96)).toBe('0:01.0');
    expect(formatDuration(3 * 3600 + 5 * 60 + 7.4)).toBe('3:05:07');
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
  });

  it('formats ETAs in words and says when it cannot estimate yet', () => {
    expect(formatEta(44.6)).toBe('45 s');
    expect(formatEta(200)).toBe('3 min 20 s');
    expect(formatEta(2 * 3600 + 5 * 60 + 10)).toBe('2 h 05 min');
    expect(formatEta(null)).toBe('estimating…');
  });

  it('formats percent, rates and base names', () => {
    expect(formatPercent(0.4567)).toBe('45.7%');
    expect(formatPercent(null)).toBe('–');
    expect(formatRate(48000)).toBe('48 kHz');
    expect(formatRate(22050)).toBe('22.05 kHz');
    expect(formatRate(500)).toBe('500 Hz');
    expect(baseName('/data/site A/rec.wav')).toBe('rec.wav');
    expect(baseName('C:\\x\\y.flac')).toBe('y.flac');
  });

  it('turns ApiError, Error and plain objects into their readable message', () => {
    expect(errorMessage(new ApiError('EMPTY_FILE', 'File is empty (0 bytes).'))).toBe('File is empty (0 bytes).');
    expect(errorMessage({ code: 'X', message: 'plain' })).toBe('plain');
    expect(errorMessage('text')).toBe('text');
  });

  it('shows slow rates as time per item, in the unit that is counted', () => {
    expect(formatRatePerItem(1 / 40, 'batches')).toBe('40 s per batch');
    expect(formatRatePerItem(3.25, 'windows')).toBe('3.3 windows/s');
    expect(formatRatePerItem(0.5, 'files')).toBe('2 s per file');
    expect(formatRatePerItem(0, 'batches')).toBe('');
  });
});
