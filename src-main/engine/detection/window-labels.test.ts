import { describe, expect, it } from 'vitest';
import { defaultFeatureConfig, windowSpans } from '../features';
import { createRng } from '../testing/synth';
import type { EffectiveLabel } from '../store/machine-labels';
import { windowDecisionsToLabelRanges, windowLabelsFromEffective } from './window-labels';

const config = defaultFeatureConfig(16_000);
const frames = 16_000 * 7 + 123;
const spans = windowSpans(frames, 16_000, frames, config);

function asEffective(ranges: { startSample: number; endSample: number; value: string }[], source: EffectiveLabel['source']): EffectiveLabel[] {
  return ranges.map((r, i) => ({ ...r, labelId: i + 1, source }));
}

describe('window decisions ↔ label ranges', () => {
  it('tiles the file and reads back exactly the stored decisions', () => {
    const rng = createRng(4);
    for (let trial = 0; trial < 20; trial++) {
      const silent = spans.map(() => rng() < 0.5);
      const ranges = windowDecisionsToLabelRanges(spans, silent, frames);
      expect(ranges[0].startSample).toBe(0);
      expect(ranges.at(-1)!.endSample).toBe(frames);
      for (let i = 1; i < ranges.length; i++) {
        expect(ranges[i].startSample).toBe(ranges[i - 1].endSample);
        expect(ranges[i].value).not.toBe(ranges[i - 1].value); // neighbours of equal value are joined
      }
      const back = windowLabelsFromEffective(spans, asEffective(ranges, 'heuristic'));
      expect(Array.from(back.silence)).toEqual(silent.map((s) => (s ? 1 : 0)));
      expect(back.source.every((s) => s === 'heuristic')).toBe(true);
    }
  });

  it('takes the majority of overlap, keeps the deciding source and leaves unlabelled windows at -1', () => {
    const w = spans[5];
    const len = w.endNativeSample - w.startNativeSample;
    // 70 % of window 5 is human "whistle" (a sound type), 30 % heuristic silence; nothing covers the windows after window 6.
    const labels: EffectiveLabel[] = [
      { labelId: 1, startSample: spans[1].startNativeSample, endSample: w.startNativeSample + Math.round(0.3 * len), value: 'silence', source: 'heuristic' },
      { labelId: 2, startSample: w.startNativeSample + Math.round(0.3 * len), endSample: w.endNativeSample, value: 'whistle', source: 'human' },
    ];
    const out = windowLabelsFromEffective(spans, labels);
    expect(out.silence[0]).toBe(1); // half of window 0 is covered by the silence label (windows overlap)
    expect(out.silence[5]).toBe(0);
    expect(out.source[5]).toBe('human');
    expect(out.silence[3]).toBe(1);
    expect(out.source[3]).toBe('heuristic');
    expect(out.silence[spans.length - 1]).toBe(-1);
    expect(out.source[spans.length - 1]).toBeNull();
  });
});
