import { describe, expect, it } from 'vitest';
import { chooseAnalysisRate, defaultFeatureConfig, featureConfigKey, keptBins, validateFeatureConfig } from './feature-config';

describe('chooseAnalysisRate', () => {
  it('picks the most common native rate', () => {
    expect(chooseAnalysisRate([44100, 96000, 96000, 48000])).toBe(96000);
  });
  it('breaks ties towards the higher rate', () => {
    expect(chooseAnalysisRate([44100, 48000, 48000, 44100])).toBe(48000);
    expect(chooseAnalysisRate([22050])).toBe(22050);
  });
  it('rejects an empty folder and invalid rates', () => {
    expect(() => chooseAnalysisRate([])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => chooseAnalysisRate([0])).toThrow(/not a positive whole number/);
  });
});

describe('defaultFeatureConfig', () => {
  it('has the seeds\' settings and keeps 256 bins below Nyquist', () => {
    const c = defaultFeatureConfig(48000);
    expect(c).toEqual({
      version: 1, analysisSampleRate: 48000, channel: 0, fftSize: 512, hopSize: 256, magnitude: 'db',
      band: { lowHz: 0, highHz: 24000 }, windowFrames: 32, windowStride: 16, normalisation: 'window',
    });
    expect(keptBins(c).binCount).toBe(256);
  });
  it('applies overrides, including a partial band', () => {
    const c = defaultFeatureConfig(96000, { hopSize: 128, band: { lowHz: 2000 } });
    expect(c.hopSize).toBe(128);
    expect(c.band).toEqual({ lowHz: 2000, highHz: 48000 });
  });
});

describe('keptBins', () => {
  it('keeps bins k with lowHz ≤ k·rate/fft < highHz (hand-computed)', () => {
    // 48 kHz / 512 = 93.75 Hz per bin: 1000 Hz → first bin 11 (1031.25), 5000 Hz → last bin 53 (4968.75).
    const kb = keptBins(defaultFeatureConfig(48000, { band: { lowHz: 1000, highHz: 5000 } }));
    expect(kb.firstBin).toBe(11);
    expect(kb.binCount).toBe(43);
    expect(kb.frequenciesHz[0]).toBe(1031.25);
    expect(kb.frequenciesHz[42]).toBe(4968.75);
  });
  it('includes a bin exactly at lowHz and excludes one exactly at highHz', () => {
    const kb = keptBins(defaultFeatureConfig(48000, { band: { lowHz: 937.5, highHz: 1125 } }));
    expect([kb.firstBin, kb.binCount]).toEqual([10, 2]); // 937.5 and 1031.25
  });
});

describe('validateFeatureConfig', () => {
  const good = defaultFeatureConfig(48000);
  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['fft not a power of two', { fftSize: 500 }, /fftSize 500 must be a power of two/],
    ['hop larger than fft', { hopSize: 1024 }, /hopSize 1024 is larger than fftSize 512/],
    ['hop 0', { hopSize: 0 }, /hopSize must be a whole number/],
    ['band above Nyquist', { band: { lowHz: 0, highHz: 30000 } }, /outside 0–24000 Hz/],
    ['band below 0', { band: { lowHz: -5, highHz: 1000 } }, /outside 0–24000 Hz/],
    ['band inverted', { band: { lowHz: 5000, highHz: 1000 } }, /must be below highHz/],
    ['band too narrow', { band: { lowHz: 100, highHz: 150 } }, /too narrow: it contains no FFT bin/],
    ['windowFrames < 1', { windowFrames: 0 }, /windowFrames must be a whole number of at least 1/],
    ['stride > window', { windowStride: 40 }, /windowStride 40 is larger than windowFrames 32/],
    ['unknown magnitude', { magnitude: 'log' }, /magnitude must be "db" or "linear"/],
    ['unknown normalisation', { normalisation: 'global' }, /normalisation must be/],
    ['wrong version', { version: 2 }, /unsupported version 2/],
    ['channel negative', { channel: -1 }, /channel must be a whole number ≥ 0/],
    ['channel as text', { channel: '1' }, /channel must be a whole number ≥ 0/],
    ['rate not whole', { analysisSampleRate: 44100.5 }, /analysisSampleRate must be a whole number/],
  ];
  for (const [name, patch, message] of bad) {
    it(`rejects ${name} with INVALID_CONFIG`, () => {
      const attempt = () => validateFeatureConfig({ ...good, ...patch });
      expect(attempt).toThrow(message);
      expect(attempt).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    });
  }
  it('rejects non-objects', () => {
    expect(() => validateFeatureConfig(null)).toThrow(/expected an object/);
    expect(() => validateFeatureConfig('x')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
  it('returns only known fields', () => {
    expect(validateFeatureConfig({ ...good, extra: 1 })).toEqual(good);
  });
});

describe('featureConfigKey', () => {
  it('is independent of property order and stable', () => {
    const a = defaultFeatureConfig(48000);
    const reversed = Object.fromEntries(Object.entries(a).reverse().map(([k, v]) =>
      [k, k === 'band' ? { highHz: a.band.highHz, lowHz: a.band.lowHz } : v]));
    expect(featureConfigKey(reversed as typeof a)).toBe(featureConfigKey(a));
    expect(featureConfigKey(a)).toBe(
      '{"analysisSampleRate":48000,"band":{"highHz":24000,"lowHz":0},"channel":0,"fftSize":512,"hopSize":256,' +
        '"magnitude":"db","normalisation":"window","version":1,"windowFrames":32,"windowStride":16}',
    );
  });
  it('differs when any setting differs', () => {
    const base = featureConfigKey(defaultFeatureConfig(48000));
    expect(featureConfigKey(defaultFeatureConfig(48000, { hopSize: 128 }))).not.toBe(base);
    expect(featureConfigKey(defaultFeatureConfig(44100))).not.toBe(base);
    expect(featureConfigKey(defaultFeatureConfig(48000, { band: { highHz: 20000 } }))).not.toBe(base);
  });
});
