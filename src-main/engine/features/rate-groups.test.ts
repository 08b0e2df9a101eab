import { describe, expect, it } from 'vitest';
import { analysisRateFor, assignRateGroups, rateRatio, RATE_GROUP_MAX_RATIO } from './rate-groups';

describe('assignRateGroups', () => {
  it('gives a mixed-rate folder one group per family of rates, never resampling by more than the ratio', () => {
    // The folder: a 2 kHz right whale, 24 kHz humpback, 44.1 kHz birds and 48 kHz dolphins.
    const natives = [2000, 24_000, 44_100, 44_100, 48_000, 48_000, 48_000];
    const groups = assignRateGroups(natives);
    expect(groups).toEqual([
      { analysisSampleRate: 2000, nativeRates: [2000] },
      { analysisSampleRate: 24_000, nativeRates: [24_000] },
      { analysisSampleRate: 48_000, nativeRates: [44_100, 48_000] },
    ]);
    for (const r of natives) expect(rateRatio(r, analysisRateFor(r, groups))).toBeLessThanOrEqual(RATE_GROUP_MAX_RATIO);
  });

  it('picks the most common rate of a family as its analysis rate (ties → higher)', () => {
    expect(assignRateGroups([44_100, 44_100, 48_000])).toEqual([{ analysisSampleRate: 44_100, nativeRates: [44_100, 48_000] }]);
    expect(assignRateGroups([22_050, 24_000])).toEqual([{ analysisSampleRate: 24_000, nativeRates: [22_050, 24_000] }]);
    // 32 kHz is 1.38× from 44.1 kHz: its own group.
    expect(assignRateGroups([32_000, 44_100]).map((g) => g.analysisSampleRate)).toEqual([32_000, 44_100]);
  });

  it('keeps existing groups and lets new rates join the nearest one within the ratio', () => {
    const first = assignRateGroups([2000, 48_000]);
    // 44.1 kHz joins 48 kHz even though it is now the most common rate: existing rates never move.
    const next = assignRateGroups([2000, 48_000, 44_100, 44_100, 44_100, 8000, 192_000], first);
    expect(next).toEqual([
      { analysisSampleRate: 2000, nativeRates: [2000] },
      { analysisSampleRate: 8000, nativeRates: [8000] },
      { analysisSampleRate: 48_000, nativeRates: [44_100, 48_000] },
      { analysisSampleRate: 192_000, nativeRates: [192_000] },
    ]);
    expect(first).toEqual([
      { analysisSampleRate: 2000, nativeRates: [2000] },
      { analysisSampleRate: 48_000, nativeRates: [48_000] },
    ]);
  });

  it('analyses rates below the pipeline minimum at 1 kHz', () => {
    expect(assignRateGroups([500, 1000])).toEqual([{ analysisSampleRate: 1000, nativeRates: [500, 1000] }]);
  });

  it('matches a brute-force check on random folders: every rate in one group, within the ratio', () => {
    const common = [1000, 2000, 8000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000, 96_000, 192_000, 250_000, 256_000, 384_000];
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const natives = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => common[Math.floor(rand() * common.length)]);
      const groups = assignRateGroups(natives);
      const all = groups.flatMap((g) => g.nativeRates);
      expect(new Set(all).size).toBe(all.length);
      expect(new Set(all)).toEqual(new Set(natives));
      for (const g of groups) {
        for (const r of g.nativeRates) expect(rateRatio(r, g.analysisSampleRate)).toBeLessThanOrEqual(RATE_GROUP_MAX_RATIO);
        // The analysis rate is one of the group's own native rates: nothing is analysed at an invented rate.
        expect(g.nativeRates).toContain(g.analysisSampleRate);
      }
    }
  });

  it('rejects invalid rates', () => {
    expect(() => assignRateGroups([0])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => assignRateGroups([44_100.5])).toThrow(/not a positive whole number/);
  });
});

describe('analysisRateFor', () => {
  const groups = assignRateGroups([2000, 48_000]);
  it('returns the group rate, or what the next scan would give a rate no group holds yet', () => {
    expect(analysisRateFor(2000, groups)).toBe(2000);
    expect(analysisRateFor(48_000, groups)).toBe(48_000);
    expect(analysisRateFor(44_100, groups)).toBe(48_000);
    expect(analysisRateFor(8000, groups)).toBe(8000);
    expect(analysisRateFor(8000, [])).toBe(8000);
  });
});
