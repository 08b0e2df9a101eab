import { describe, expect, it } from 'vitest';
import {
  clampFrequencyView, frequencyToY, fullFrequencyView, isFullView, panFrequencyView, sourceRows, viewFromDrag, yToFrequency, zoomFrequencyView,
} from './frequency-view';

const NYQ = 1000; // a 2 kHz recording
const BINS = 256;

describe('frequency view', () => {
  it('maps frequencies to rows and back, 0 Hz at the bottom', () => {
    const v = fullFrequencyView(NYQ);
    expect(frequencyToY(v, 200, 0)).toBe(200);
    expect(frequencyToY(v, 200, 1000)).toBe(0);
    expect(yToFrequency(v, 200, frequencyToY(v, 200, 312.5))).toBeCloseTo(312.5, 9);
  });

  it('zooms about an anchor that stays at the same height, within 0 … Nyquist', () => {
    const v = fullFrequencyView(NYQ);
    const z = zoomFrequencyView(v, 0.25, 200, NYQ, BINS);
    expect(z.highHz - z.lowHz).toBeCloseTo(250, 9);
    expect(frequencyToY(z, 100, 200)).toBeCloseTo(frequencyToY(v, 100, 200), 9);
    // Zooming out past the whole axis stops at it.
    expect(zoomFrequencyView(z, 100, 200, NYQ, BINS)).toEqual(fullFrequencyView(NYQ));
    // Never narrower than 4 bins (15.6 Hz here).
    const narrow = zoomFrequencyView(v, 1e-6, 500, NYQ, BINS);
    expect(narrow.highHz - narrow.lowHz).toBeCloseTo((4 * NYQ) / BINS, 9);
  });

  it('pans without leaving the axis', () => {
    const v = { lowHz: 100, highHz: 300 };
    expect(panFrequencyView(v, 50, NYQ)).toEqual({ lowHz: 150, highHz: 350 });
    expect(panFrequencyView(v, -500, NYQ)).toEqual({ lowHz: 0, highHz: 200 });
    expect(panFrequencyView(v, 5000, NYQ)).toEqual({ lowHz: 800, highHz: 1000 });
  });

  it('turns a drag on the axis into the band between its ends; a click is no zoom', () => {
    const v = fullFrequencyView(NYQ);
    // Panel 200 px: y = 100 → 500 Hz, y = 180 → 100 Hz; the drag may go either way.
    expect(viewFromDrag(v, 200, 180, 100, NYQ, BINS)).toEqual({ lowHz: 100, highHz: 500 });
    expect(viewFromDrag(v, 200, 100, 180, NYQ, BINS)).toEqual({ lowHz: 100, highHz: 500 });
    expect(viewFromDrag(v, 200, 100, 102, NYQ, BINS)).toBeNull();
    // Past the panel's edges it stops at the axis ends.
    expect(viewFromDrag(v, 200, -50, 300, NYQ, BINS)).toEqual({ lowHz: 0, highHz: 1000 });
  });

  it('clamps stored views into a recording with another Nyquist', () => {
    expect(clampFrequencyView({ lowHz: 5000, highHz: 9000 }, NYQ, BINS)).toEqual({ lowHz: 0, highHz: 1000 });
    expect(isFullView(clampFrequencyView({ lowHz: -5, highHz: 2000 }, NYQ, BINS), NYQ)).toBe(true);
  });

  it('selects the tile rows of the band (highest bin on top)', () => {
    // Bins every 3.90625 Hz; the whole axis is rows −0.5 … 255.5, i.e. half a row above the last centre to Nyquist.
    expect(sourceRows(fullFrequencyView(NYQ), BINS, NYQ)).toEqual({ y: -0.5, height: 256 });
    // 0–250 Hz: the bottom quarter of the rows.
    const rows = sourceRows({ lowHz: 0, highHz: 250 }, BINS, NYQ);
    expect(rows.y).toBeCloseTo(256 - 64 - 0.5, 9);
    expect(rows.height).toBeCloseTo(64, 9);
  });
});
