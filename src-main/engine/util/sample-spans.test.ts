import { describe, expect, it } from 'vitest';
import { bestMatchByIoU, sampleSpanIoU } from './sample-spans';

const span = (startSample: number, endSample: number) => ({ startSample, endSample });

describe('sample spans', () => {
  it('IoU of nested, partial, touching and apart spans', () => {
    expect(sampleSpanIoU(span(0, 100), span(25, 75))).toBe(0.5);
    expect(sampleSpanIoU(span(0, 100), span(50, 150))).toBeCloseTo(1 / 3, 12);
    expect(sampleSpanIoU(span(0, 100), span(100, 200))).toBe(0);
    expect(sampleSpanIoU(span(0, 100), span(300, 400))).toBe(0);
  });

  it('picks the best overlap at or above the threshold, the later one on a tie, none below it', () => {
    const a = span(0, 100);
    const b = span(10, 100);
    const c = span(0, 90);
    expect(bestMatchByIoU([a, c, b], span(0, 100), 0.5)).toBe(a);
    expect(bestMatchByIoU([c, b], span(0, 100), 0.5)).toBe(b);
    expect(bestMatchByIoU([span(0, 40)], span(0, 100), 0.5)).toBeNull();
    expect(bestMatchByIoU([span(200, 300)], span(0, 100), 0)).toBeNull();
  });
});
