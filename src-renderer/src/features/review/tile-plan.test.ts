import { describe, expect, it } from 'vitest';
import type { DecodedTile } from '../../lib/tile-decode';
import { autoLevelsOfPieces, planSpectrogram, viewportPeaks, waveformScale } from './tile-plan';
import { columnSeconds, tileKeyString, type PyramidInfo, type TileKey } from './viewport';

// A small pyramid: 4 columns per tile, 64 frames of 1 s, levels 0…4 (16, 8, 4, 2, 1… tiles).
const info: PyramidInfo = { hopSeconds: 1, levels: 5, tileColumns: 4, levelColumns: [64, 32, 16, 8, 4], durationSeconds: 64 };
/** The "signal": frame f has min −f/100 and max f/100 (so extremes are easy to predict). */
const frameMin = (f: number) => -f / 100;
const frameMax = (f: number) => (f % 7) / 10 + f / 1000;

function makeTile(key: TileKey): DecodedTile {
  const columns = Math.min(4, info.levelColumns[key.level] - key.index * 4);
  const peaks = new Float32Array(2 * columns);
  const per = 2 ** key.level;
  for (let c = 0; c < columns; c++) {
    const first = (key.index * 4 + c) * per;
    let lo = Infinity;
    let hi = -Infinity;
    for (let f = first; f < first + per; f++) {
      lo = Math.min(lo, frameMin(f));
      hi = Math.max(hi, frameMax(f));
    }
    peaks[2 * c] = lo;
    peaks[2 * c + 1] = hi;
  }
  return { ...key, columns, bins: 1, approximate: false, dbRange: [-140, 0], data: new Uint8Array(columns), peaks };
}

function lookupOf(levels: number[]) {
  return (key: TileKey) => (levels.includes(key.level) && key.index * 4 < info.levelColumns[key.level] ? makeTile(key) : undefined);
}

describe('viewportPeaks', () => {
  it('gives each pixel the extremes of the frames it covers (brute force)', () => {
    const vp = { startSeconds: 8, secondsPerPixel: 2, widthPx: 10 }; // level 1: one column per pixel
    const { min, max, complete } = viewportPeaks(info, vp, 1, lookupOf([1]));
    expect(complete).toBe(true);
    for (let x = 0; x < 10; x++) {
      const f0 = 8 + 2 * x;
      expect(min[x]).toBeCloseTo(Math.min(frameMin(f0), frameMin(f0 + 1)), 6);
      expect(max[x]).toBeCloseTo(Math.max(frameMax(f0), frameMax(f0 + 1)), 6);
    }
  });

  it('repeats a column over the pixels it spans when zoomed past one frame per pixel, and stops at the end', () => {
    const vp = { startSeconds: 62, secondsPerPixel: 0.5, widthPx: 8 };
    const { min, max } = viewportPeaks(info, vp, 0, lookupOf([0]));
    expect(Array.from(max.slice(0, 4))).toEqual([62, 62, 63, 63].map((f) => Math.fround(frameMax(f))));
    expect(Array.from(min.slice(4))).toEqual([0, 0, 0, 0]);
  });

  it('falls back to a coarser cached level and reports the gap when nothing is cached', () => {
    const vp = { startSeconds: 0, secondsPerPixel: 1, widthPx: 16 };
    const coarse = viewportPeaks(info, vp, 0, lookupOf([2]));
    expect(coarse.max[5]).toBeCloseTo(Math.max(...[4, 5, 6, 7].map(frameMax)), 6);
    const none = viewportPeaks(info, vp, 0, lookupOf([]));
    expect(none.complete).toBe(false);
    expect(Array.from(none.max).every((v) => v === 0)).toBe(true);
  });
});

describe('planSpectrogram', () => {
  it('maps each visible tile to its pixels without gaps or overlaps', () => {
    const vp = { startSeconds: 6, secondsPerPixel: 0.5, widthPx: 40 }; // 6…26 s at level 0
    const { level, pieces, missing } = planSpectrogram(info, vp, lookupOf([0]));
    expect(level).toBe(0);
    expect(missing).toEqual([]);
    expect(pieces.map((p) => tileKeyString(p.key))).toEqual(['0/1', '0/2', '0/3', '0/4', '0/5', '0/6']);
    expect(pieces[0].srcX).toBeCloseTo(2, 9); // 6 s is column 2 of tile 1 (4…8 s)
    let x = 0;
    for (const p of pieces) {
      expect(p.dstX).toBeCloseTo(x, 9);
      x += p.dstW;
      expect(p.srcW * columnSeconds(info, p.key.level)).toBeCloseTo(p.dstW * vp.secondsPerPixel, 9);
    }
    expect(x).toBeCloseTo(40, 9);
  });

  it('stands in with coarser tiles for missing ones, limited to the missing tile\'s time', () => {
    const vp = { startSeconds: 0, secondsPerPixel: 1, widthPx: 8 };
    const { pieces, missing } = planSpectrogram(info, vp, lookupOf([2]));
    expect(missing.map(tileKeyString)).toEqual(['0/0', '0/1']);
    expect(pieces.every((p) => p.standIn && p.key.level === 2 && p.key.index === 0)).toBe(true);
    expect(pieces[1].srcX).toBeCloseTo(1, 9); // tile 0/1 starts at 4 s = column 1 at level 2
    expect(pieces[1].srcW).toBeCloseTo(1, 9);
  });
});

describe('waveformScale and autoLevelsOfPieces', () => {
  it('scales the loudest whole-file peak to 95 % of the height, within 1…100 000', () => {
    expect(waveformScale(Float32Array.from([-0.1, 0.05, -0.02, 0.08]))).toBeCloseTo(9.5, 5);
    expect(waveformScale(Float32Array.from([-1, 1]))).toBe(1);
    expect(waveformScale(new Float32Array(4))).toBe(1);
    // A −80 dBFS hydrophone file (peaks ~3e-4 once its DC offset is removed) fills the panel.
    expect(waveformScale(Float32Array.from([-3e-4, 2e-4]))).toBeCloseTo(0.95 / 3e-4, 3);
    expect(waveformScale(Float32Array.from([1e-9]))).toBe(100_000);
  });

  it('fits levels to every distinct tile on screen, or null with nothing drawn', () => {
    expect(autoLevelsOfPieces([])).toBeNull();
    const quiet = { ...makeTile({ level: 0, index: 0 }), data: new Uint8Array(400).fill(50) };
    const loud = { ...makeTile({ level: 0, index: 1 }), data: new Uint8Array(400).fill(200) };
    const piece = (tile: DecodedTile) => ({ tile, key: { level: 0, index: tile.index }, srcX: 0, srcW: 1, dstX: 0, dstW: 1, standIn: false });
    const both = autoLevelsOfPieces([piece(quiet), piece(loud), piece(loud)])!;
    const dbOf = (b: number) => -140 + (b * 140) / 255;
    expect(both.floorDb).toBe(Math.round(dbOf(50)));
    expect(Math.abs(both.floorDb + both.rangeDb - dbOf(200))).toBeLessThanOrEqual(1); // both ends rounded to whole dB
  });
});
