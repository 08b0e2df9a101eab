import { describe, expect, it } from 'vitest';
import {
  chooseLevel, clampViewport, columnSeconds, MAX_PIXELS_PER_FRAME, panViewport, revealSpan, secondsToX, tilesForRange, viewportEnd,
  visibleTiles, wholeFileViewport, zoomViewport, type PyramidInfo,
} from './viewport';

/** A 3-hour recording at a 10 ms hop: 1,080,000 frames, levels until one tile of 512 columns holds it. */
function pyramid(durationSeconds = 3 * 3600, hopSeconds = 0.01): PyramidInfo {
  const frames = Math.round(durationSeconds / hopSeconds);
  const levelColumns: number[] = [];
  for (let l = 0; ; l++) {
    levelColumns.push(Math.ceil(frames / 2 ** l));
    if (levelColumns[l] <= 512) break;
  }
  return { hopSeconds, levels: levelColumns.length, tileColumns: 512, levelColumns, durationSeconds };
}

describe('chooseLevel', () => {
  const info = pyramid();

  it('is the coarsest level whose columns are no wider than a pixel (brute force)', () => {
    for (const spp of [0.0001, 0.005, 0.01, 0.0199, 0.02, 0.05, 0.64, 1, 7.3, 20, 1000]) {
      let expected = 0;
      for (let l = 0; l < info.levels; l++) if (info.hopSeconds * 2 ** l <= spp * (1 + 1e-12)) expected = l;
      expect(chooseLevel(info, spp), `spp ${spp}`).toBe(expected);
    }
  });

  it('uses the top level for the whole file and level 0 at single frames', () => {
    const whole = wholeFileViewport(info, 1200);
    const { level, tiles } = visibleTiles(info, whole);
    // 10,800 s over 1200 px = 9 s per pixel: 0.01·2^9 = 5.12 s ≤ 9 s < 0.01·2^10 = 10.24 s.
    expect(level).toBe(9);
    expect(info.levels).toBe(13); // 1,080,000 frames / 2^12 = 264 columns is the first to fit one tile
    expect(columnSeconds(info, level)).toBeLessThanOrEqual(whole.secondsPerPixel);
    expect(tiles.length).toBe(Math.ceil(info.levelColumns[level] / 512));
    const closest = clampViewport(info, { startSeconds: 5000, secondsPerPixel: 0, widthPx: 800 });
    expect(closest.secondsPerPixel).toBeCloseTo(info.hopSeconds / MAX_PIXELS_PER_FRAME, 15);
    expect(visibleTiles(info, closest).level).toBe(0);
  });
});

describe('viewport moves', () => {
  const info = pyramid(600);

  it('zooming keeps the anchor under the same pixel and stops at both limits', () => {
    const vp = { startSeconds: 100, secondsPerPixel: 0.1, widthPx: 1000 };
    const zoomed = zoomViewport(info, vp, 0.5, 130);
    expect(secondsToX(zoomed, 130)).toBeCloseTo(secondsToX(vp, 130), 9);
    expect(zoomed.secondsPerPixel).toBeCloseTo(0.05, 12);
    let v = vp;
    for (let i = 0; i < 60; i++) v = zoomViewport(info, v, 0.5, 130);
    expect(v.secondsPerPixel).toBeCloseTo(info.hopSeconds / MAX_PIXELS_PER_FRAME, 15);
    for (let i = 0; i < 60; i++) v = zoomViewport(info, v, 2);
    expect(v).toEqual(wholeFileViewport(info, 1000));
    expect(viewportEnd(v)).toBeCloseTo(600, 9);
  });

  it('panning stays inside the recording', () => {
    const vp = { startSeconds: 550, secondsPerPixel: 0.01, widthPx: 1000 };
    expect(panViewport(info, vp, 10_000).startSeconds).toBeCloseTo(590, 9);
    expect(panViewport(info, vp, -1e9).startSeconds).toBe(0);
  });

  it('revealSpan leaves a visible span alone and centres a far one', () => {
    const vp = { startSeconds: 100, secondsPerPixel: 0.1, widthPx: 1000 };
    expect(revealSpan(info, vp, 140, 150)).toBe(vp);
    const moved = revealSpan(info, vp, 400, 410);
    expect((moved.startSeconds + viewportEnd(moved)) / 2).toBeCloseTo(405, 9);
    const wide = revealSpan(info, vp, 0, 300);
    expect(300 / wide.secondsPerPixel).toBeLessThanOrEqual(0.8 * 1000 + 1e-9);
  });
});

describe('tilesForRange', () => {
  it('matches a brute-force scan of the columns overlapping the range', () => {
    const info = pyramid(3600);
    for (const [level, a, b] of [[0, 0, 1], [0, 5.11, 5.13], [0, 5.12, 10.24], [3, 100, 900], [info.levels - 1, 0, 3600], [2, 3590, 4000]] as const) {
      const colSec = columnSeconds(info, level);
      const expected = new Set<number>();
      for (let c = 0; c < info.levelColumns[level]; c++) {
        if ((c + 1) * colSec > a && c * colSec < b) expected.add(Math.floor(c / 512));
      }
      expect(tilesForRange(info, level, a, b).map((k) => k.index), `level ${level} [${a}, ${b})`).toEqual([...expected]);
    }
  });
});
