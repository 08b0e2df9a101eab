import { describe, expect, it } from 'vitest';
import { interpolateMagma, interpolateViridis, rgb } from 'd3';
import { autoLevels, byteColourTable, colourTile, displayPosition } from './colormap';

const rgbOf = (css: string) => { const c = rgb(css); return [c.r, c.g, c.b]; };
const entry = (lut: Uint8ClampedArray, b: number) => [lut[4 * b], lut[4 * b + 1], lut[4 * b + 2]];

describe('byteColourTable', () => {
  // Bytes span −140…0 dB in 255 steps; byte 153 = −56 dB, byte 51 = −112 dB, byte 255 = 0 dB.
  const dbRange: [number, number] = [-140, 0];

  it('maps the display floor to the first colour and floor + range to the last', () => {
    const lut = byteColourTable({ colormap: 'viridis', floorDb: -112, rangeDb: 56 }, dbRange);
    expect(entry(lut, 0)).toEqual(rgbOf(interpolateViridis(0)));
    expect(entry(lut, 51)).toEqual(rgbOf(interpolateViridis(0))); // exactly the floor
    expect(entry(lut, 153)).toEqual(rgbOf(interpolateViridis(1))); // exactly floor + range
    expect(entry(lut, 255)).toEqual(rgbOf(interpolateViridis(1))); // above: saturated
    expect(entry(lut, 102)).toEqual(rgbOf(interpolateViridis(Math.round(255 * 0.5) / 255))); // −84 dB, half way
    expect(lut[3]).toBe(255);
  });

  it('uses the chosen map, and a lower floor brightens the same byte', () => {
    const dark = byteColourTable({ colormap: 'magma', floorDb: -80, rangeDb: 60 }, dbRange);
    const bright = byteColourTable({ colormap: 'magma', floorDb: -120, rangeDb: 60 }, dbRange);
    expect(entry(dark, 255)).toEqual(rgbOf(interpolateMagma(1)));
    const lum = (c: number[]) => c[0] + c[1] + c[2];
    expect(lum(entry(bright, 120))).toBeGreaterThan(lum(entry(dark, 120)));
  });

  it('displayPosition clamps and never returns NaN', () => {
    expect(displayPosition(-200, { floorDb: -100, rangeDb: 50 })).toBe(0);
    expect(displayPosition(10, { floorDb: -100, rangeDb: 50 })).toBe(1);
    expect(displayPosition(-75, { floorDb: -100, rangeDb: 50 })).toBeCloseTo(0.5, 12);
    expect(displayPosition(NaN, { floorDb: -100, rangeDb: 50 })).toBe(0);
  });
});

describe('colourTile', () => {
  it('puts the highest bin in the top row and columns left to right', () => {
    const lut = new Uint8ClampedArray(256 * 4);
    for (let b = 0; b < 256; b++) lut.set([b, 255 - b, 7, 255], 4 * b);
    // 2 columns × 3 bins: data[c·3 + b]
    const data = Uint8Array.from([10, 11, 12, 20, 21, 22]);
    const px = colourTile(data, 2, 3, lut);
    const red = (x: number, y: number) => px[4 * (y * 2 + x)];
    expect([red(0, 0), red(1, 0)]).toEqual([12, 22]); // top row = bin 2
    expect([red(0, 2), red(1, 2)]).toEqual([10, 20]); // bottom row = bin 0
    expect(px[4 * (1 * 2 + 0) + 1]).toBe(255 - 11); // middle row, first column = bin 1 of column 0
  });
});

describe('autoLevels', () => {
  it('puts the floor near the quiet background and the top at the loudest values, ignoring digital silence', () => {
    const data = new Uint8Array(10_000);
    for (let i = 0; i < data.length; i++) data[i] = 100 + (i % 20); // background 100…119
    for (let i = 0; i < 50; i++) data[i * 7] = 230; // 0.5 % loud calls
    data.fill(0, 9000); // padding: must not pull the floor down
    const levels = autoLevels(data, [-140, 0])!;
    const dbOf = (b: number) => -140 + (b * 140) / 255;
    expect(levels.floorDb).toBeGreaterThanOrEqual(Math.round(dbOf(100)) - 1);
    expect(levels.floorDb).toBeLessThanOrEqual(Math.round(dbOf(102)) + 1);
    expect(levels.floorDb + levels.rangeDb).toBeGreaterThan(dbOf(200));
  });

  it('returns null for an all-silent tile and keeps at least 20 dB of range', () => {
    expect(autoLevels(new Uint8Array(100), [-140, 0])).toBeNull();
    expect(autoLevels(new Uint8Array(100).fill(80), [-140, 0])!.rangeDb).toBe(20);
  });
});
