import { describe, expect, it } from 'vitest';
import { defaultFeatureConfig, windowSpans } from '../features';
import { createRng } from '../testing/synth';
import { DEFAULT_REGION_PARAMS, deriveRegions, resolveRegionParams, type Region, type WindowProbability } from './regions';

const RATE = 1000; // 1 sample = 1 ms, so 100 samples = 0.1 s

/** Back-to-back windows of `length` samples with the given probabilities. */
function tiled(ps: number[], length = 100): WindowProbability[] {
  return ps.map((pSilence, i) => ({ span: { startNativeSample: i * length, endNativeSample: (i + 1) * length }, pSilence }));
}

/** Compact form for hand-written expectations: [kind, start, end]. */
function shape(regions: Region[]): [string, number, number][] {
  return regions.map((r) => [r.kind, r.startSample, r.endSample]);
}

function expectTiling(regions: Region[], nativeFrames: number): void {
  expect(regions[0].startSample).toBe(0);
  expect(regions[regions.length - 1].endSample).toBe(nativeFrames);
  for (let i = 1; i < regions.length; i++) {
    expect(regions[i].startSample).toBe(regions[i - 1].endSample);
    expect(regions[i].kind).not.toBe(regions[i - 1].kind);
  }
  for (const r of regions) {
    expect(r.endSample).toBeGreaterThan(r.startSample);
    expect(r.pSilence).toBeGreaterThanOrEqual(0);
    expect(r.pSilence).toBeLessThanOrEqual(1);
  }
}

const P = [0.9, 0.9, 0.2, 0.2, 0.9, 0.1, 0.9, 0.9];
const none = { mergeGapSeconds: 0, minSoundSeconds: 0 };

describe('deriveRegions on hand-made sequences', () => {
  it('thresholds at 0.5 (p ≥ threshold is silence) and reports mean pSilence', () => {
    const r = deriveRegions(tiled(P), 800, RATE, none);
    expect(shape(r)).toEqual([
      ['silence', 0, 200],
      ['sound', 200, 400],
      ['silence', 400, 500],
      ['sound', 500, 600],
      ['silence', 600, 800],
    ]);
    expect(r[1].pSilence).toBeCloseTo(0.2, 12);
    expect(r[0].startSeconds).toBe(0);
    expect(r[4].endSeconds).toBe(0.8);
    expect(shape(deriveRegions(tiled([0.5, 0.49]), 200, RATE, none))).toEqual([
      ['silence', 0, 100],
      ['sound', 100, 200],
    ]);
  });

  it('respects the threshold', () => {
    expect(shape(deriveRegions(tiled(P), 800, RATE, { ...none, threshold: 0.95 }))).toEqual([['sound', 0, 800]]);
    expect(shape(deriveRegions(tiled(P), 800, RATE, { ...none, threshold: 0.15 }))).toEqual([
      ['silence', 0, 500],
      ['sound', 500, 600],
      ['silence', 600, 800],
    ]);
  });

  it('merges only interior silence strictly shorter than the merge gap', () => {
    // The 100-sample (0.1 s) gap is not shorter than 0.1 s: kept (default gap).
    expect(deriveRegions(tiled(P), 800, RATE, { minSoundSeconds: 0 })).toHaveLength(5);
    const merged = deriveRegions(tiled(P), 800, RATE, { mergeGapSeconds: 0.15 });
    expect(shape(merged)).toEqual([
      ['silence', 0, 200],
      ['sound', 200, 600],
      ['silence', 600, 800],
    ]);
    expect(merged[1].pSilence).toBeCloseTo((0.2 + 0.2 + 0.9 + 0.1) / 4, 12);
    // Leading and trailing silence are never merged away, however large the gap.
    expect(shape(deriveRegions(tiled(P), 800, RATE, { mergeGapSeconds: 5 }))[0]).toEqual(['silence', 0, 200]);
  });

  it('turns sound shorter than the minimum length into silence, after merging', () => {
    expect(shape(deriveRegions(tiled(P), 800, RATE, { mergeGapSeconds: 0, minSoundSeconds: 0.15 }))).toEqual([
      ['silence', 0, 200],
      ['sound', 200, 400],
      ['silence', 400, 800],
    ]);
    // Merged first (400 samples), so a 0.3-s minimum keeps it, a 0.5-s minimum does not.
    expect(shape(deriveRegions(tiled(P), 800, RATE, { mergeGapSeconds: 0.15, minSoundSeconds: 0.3 }))).toEqual([
      ['silence', 0, 200],
      ['sound', 200, 600],
      ['silence', 600, 800],
    ]);
    const all = deriveRegions(tiled(P), 800, RATE, { mergeGapSeconds: 0.15, minSoundSeconds: 0.5 });
    expect(shape(all)).toEqual([['silence', 0, 800]]);
    expect(all[0].pSilence).toBeCloseTo(5.0 / 8, 12);
  });

  it('smooths with a centred moving average truncated at the ends', () => {
    const p = [1, 0, 1, 1, 1, 0, 0, 0];
    expect(shape(deriveRegions(tiled(p), 800, RATE, none))).toEqual([
      ['silence', 0, 100],
      ['sound', 100, 200],
      ['silence', 200, 500],
      ['sound', 500, 800],
    ]);
    // Smoothed by hand: 0.5, 2/3, 2/3, 1, 2/3, 1/3, 0, 0.
    const r = deriveRegions(tiled(p), 800, RATE, { ...none, smoothingWindows: 3 });
    expect(shape(r)).toEqual([
      ['silence', 0, 500],
      ['sound', 500, 800],
    ]);
    expect(r[0].pSilence).toBeCloseTo((0.5 + 2 / 3 + 2 / 3 + 1 + 2 / 3) / 5, 12);
  });

  it('averages overlapping windows per sample', () => {
    const w: WindowProbability[] = [0, 100, 200, 300].map((s, i) => ({
      span: { startNativeSample: s, endNativeSample: s + 200 },
      pSilence: [1, 0, 0, 1][i],
    }));
    // Cells: [0,100) 1 · [100,200) 0.5 · [200,300) 0 · [300,400) 0.5 · [400,500) 1.
    const r = deriveRegions(w, 500, RATE, none);
    expect(shape(r)).toEqual([
      ['silence', 0, 200],
      ['sound', 200, 300],
      ['silence', 300, 500],
    ]);
    expect(r[0].pSilence).toBeCloseTo(0.75, 12);
    expect(shape(deriveRegions(w, 500, RATE, { ...none, threshold: 0.6 }))).toEqual([
      ['silence', 0, 100],
      ['sound', 100, 400],
      ['silence', 400, 500],
    ]);
  });

  it('covers the file ends even when windows do not, and clips windows past the end', () => {
    expect(shape(deriveRegions(tiled([0]), 300, RATE, none))).toEqual([
      ['sound', 0, 100],
      ['silence', 100, 300],
    ]);
    expect(shape(deriveRegions(tiled([1, 0]), 150, RATE, none))).toEqual([
      ['silence', 0, 100],
      ['sound', 100, 150],
    ]);
    expect(shape(deriveRegions([], 50, RATE))).toEqual([['silence', 0, 50]]);
    expect(deriveRegions([], 0, RATE)).toEqual([]);
  });

  it('rejects invalid settings with the field named', () => {
    expect(() => resolveRegionParams({ smoothingWindows: 2 })).toThrow(/smoothingWindows/);
    expect(() => resolveRegionParams({ threshold: 1.5 })).toThrow(/threshold/);
    expect(() => resolveRegionParams({ mergeGapSeconds: -1 })).toThrow(/mergeGapSeconds/);
    expect(() => deriveRegions(tiled([2]), 100, RATE)).toThrow(/between 0 and 1/);
    expect(JSON.parse(JSON.stringify(resolveRegionParams()))).toEqual(DEFAULT_REGION_PARAMS);
  });
});

describe('deriveRegions on pipeline windows', () => {
  it('tiles the file and agrees sample by sample with a brute-force average of covering windows', () => {
    const rng = createRng(21);
    const config = defaultFeatureConfig(1000, { fftSize: 16, hopSize: 8, windowFrames: 4, windowStride: 2 });
    for (let trial = 0; trial < 20; trial++) {
      const nativeRate = [1000, 800, 1500][trial % 3];
      const nativeFrames = 50 + Math.floor(rng() * 300);
      const analysis = Math.round((nativeFrames * 1000) / nativeRate);
      const spans = windowSpans(analysis, nativeRate, nativeFrames, config);
      const windows = spans.map((span) => ({ span, pSilence: Math.round(rng() * 10) / 10 }));
      const threshold = 0.25 + 0.5 * rng();
      const regions = deriveRegions(windows, nativeFrames, nativeRate, { threshold, mergeGapSeconds: 0, minSoundSeconds: 0 });
      expectTiling(regions, nativeFrames);
      for (let s = 0; s < nativeFrames; s++) {
        const covering = windows.filter((w) => w.span.startNativeSample <= s && s < w.span.endNativeSample);
        const p = covering.length ? covering.reduce((a, w) => a + w.pSilence, 0) / covering.length : 1;
        const region = regions.find((r) => r.startSample <= s && s < r.endSample)!;
        expect(region.kind).toBe(p >= threshold ? 'silence' : 'sound');
      }
      // With merging and a minimum length, invariants of the definitions hold.
      const gap = 0.02;
      const min = 0.03;
      const merged = deriveRegions(windows, nativeFrames, nativeRate, { threshold, mergeGapSeconds: gap, minSoundSeconds: min });
      expectTiling(merged, nativeFrames);
      merged.forEach((r, i) => {
        if (r.kind === 'sound') expect(r.endSample - r.startSample).toBeGreaterThanOrEqual(min * nativeRate);
        const interior = i > 0 && i < merged.length - 1;
        if (r.kind === 'silence' && interior) expect(r.endSample - r.startSample).toBeGreaterThanOrEqual(gap * nativeRate - 1e-9);
      });
    }
  });
});
