import { describe, expect, it } from 'vitest';
import { interpolateGreys } from 'd3';
import { colorTable, meanSquaredError, summarizeConfusion, timeFrequencyPixels, valueRange } from './figure-math';

describe('figure math', () => {
  it("summarizes the researcher's Convnet V1 confusion matrix", () => {
    // Seed (convnet_v1.md): truth not silence → 104 / 44, truth silence → 18 / 724.
    const s = summarizeConfusion([[104, 44], [18, 724]]);
    expect(s.total).toBe(890);
    expect(s.accuracy).toBeCloseTo(828 / 890, 12);
    expect(s.silencePrecision).toBeCloseTo(724 / 768, 12);
    expect(s.silenceRecall).toBeCloseTo(724 / 742, 12);
    expect(summarizeConfusion([[0, 0], [0, 0]]).accuracy).toBeNull();
  });

  it('lays out time left→right and frequency bottom→top', () => {
    // 2 frames × 3 bins, values[t * 3 + f] = 10 t + f.
    const values = [0, 1, 2, 10, 11, 12];
    const table = new Uint8ClampedArray(256 * 3).map((_, i) => Math.floor(i / 3)); // grey ramp: index k → k
    const px = timeFrequencyPixels(values, 2, 3, [0, 12], table);
    const at = (x: number, y: number) => px[(y * 2 + x) * 4];
    // Top-left is the first frame's highest bin (f=2 → value 2); bottom-right is the last frame's lowest bin (value 10).
    expect(at(0, 0)).toBe(Math.round((255 * 2) / 12));
    expect(at(1, 2)).toBe(Math.round((255 * 10) / 12));
    expect(at(1, 0)).toBe(255);
    expect(at(0, 2)).toBe(0);
    expect(px[3]).toBe(255);
  });

  it('makes NaN pixels transparent and clamps values outside the domain', () => {
    const table = colorTable(interpolateGreys);
    const px = timeFrequencyPixels([Number.NaN, 5], 1, 2, [0, 1], table);
    // bin 1 (value 5, clamped to the top of the scale) is row 0; bin 0 (NaN) is row 1.
    expect(Array.from(px.slice(0, 4))).toEqual([table[765], table[766], table[767], 255]);
    expect(px[7]).toBe(0);
  });

  it('builds colour tables from d3 interpolators', () => {
    const table = colorTable(interpolateGreys);
    // interpolateGreys runs from white to black.
    expect(Array.from(table.slice(0, 3))).toEqual([255, 255, 255]);
    expect(Array.from(table.slice(765))).toEqual([0, 0, 0]);
  });

  it('finds shared ranges and mean squared error', () => {
    expect(valueRange([1, 5, Number.NaN], [-2, 3])).toEqual([-2, 5]);
    expect(valueRange([])).toEqual([0, 1]);
    expect(meanSquaredError([1, 2, 3], [1, 0, 6])).toBeCloseTo((0 + 4 + 9) / 3, 12);
  });
});
