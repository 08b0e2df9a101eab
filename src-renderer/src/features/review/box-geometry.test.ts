import { describe, expect, it } from 'vitest';
import { NO_LABEL_EXTRAS } from '../../../../src-shared/label-types';
import type { LabelView } from '../../../../src-shared/review-types';
import { hzToY, layoutBoxes, typeColour, yToHz } from './box-geometry';

const label = (id: number, start: number, end: number, low: number | null, high: number | null): LabelView => ({
  id, recordingId: 1, startSample: start * 1000, endSample: end * 1000, startSeconds: start, endSeconds: end, value: 'sound',
  source: 'human', author: null, updatedAt: 0, ...NO_LABEL_EXTRAS, lowHz: low, highHz: high,
});

describe('box geometry', () => {
  // A 16 kHz recording shown whole: 0 Hz … its 8 kHz Nyquist (display/frequency-view.ts; a frequency zoom gives a narrower band).
  const span = { lowHz: 0, highHz: 8000 };

  it('maps Hz to y like the frequency axis (lowest at the bottom) and back', () => {
    expect(hzToY(span, 280, span.highHz)).toBe(0);
    expect(hzToY(span, 280, span.lowHz)).toBe(280);
    for (const hz of [0, 100, 4000, 7900]) expect(yToHz(span, 280, hzToY(span, 280, hz))).toBeCloseTo(hz, 9);
    expect(yToHz(span, 280, 400)).toBe(0); // below the image: clamped, never negative
    expect(yToHz(span, 280, -10)).toBe(span.highHz);
  });

  it('lays out only boxes, clipped to the visible part', () => {
    const viewport = { startSeconds: 1, secondsPerPixel: 0.01, widthPx: 500 };
    const rects = layoutBoxes([label(1, 0, 2, 1000, 3000), label(2, 2, 3, null, null), label(3, 10, 11, 100, 200), label(4, 5, 7, 7000, 9000)], viewport, span, 280);
    expect(rects.map((r) => r.label.id)).toEqual([1, 4]);
    expect(rects[0]).toMatchObject({ x: -2, width: 102 });
    expect(rects[0].y).toBeCloseTo(hzToY(span, 280, 3000), 9);
    expect(rects[0].height).toBeCloseTo(hzToY(span, 280, 1000) - hzToY(span, 280, 3000), 9);
    expect(rects[1]).toMatchObject({ x: 400, y: 0 }); // reaches above the top: clipped at 0
  });

  it('colours each sound type the same way every time, and two common types differently', () => {
    expect(typeColour('SP')).toBe(typeColour('SP'));
    expect(typeColour('SP')).not.toBe(typeColour('CRER'));
  });
});
