import { describe, expect, it } from 'vitest';
import { createRng } from '../testing/synth';
import {
  addConfusionMatrices,
  confusionMatrix,
  formatConfusionMatrix,
  summariseConfusion,
  windowTruthSilence,
  type TimeInterval,
} from './confusion';
import { groupedSplit, intervalIoU, scoreEvents } from './event-scores';

function randomIntervals(rng: () => number, n: number, span: number): TimeInterval[] {
  return Array.from({ length: n }, () => {
    const a = Math.floor(rng() * span);
    const b = a + 1 + Math.floor(rng() * 6);
    return { startSeconds: a / 4, endSeconds: b / 4 };
  });
}

describe('confusion matrix', () => {
  it('counts like a brute-force tally on small random inputs', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 50; trial++) {
      const n = Math.floor(rng() * 30);
      const truth = Array.from({ length: n }, () => rng() < 0.4);
      const pred = Array.from({ length: n }, () => rng() < 0.6);
      const m = confusionMatrix(truth, pred);
      // Brute force: count each of the four cells by filtering.
      for (const t of [false, true]) {
        for (const p of [false, true]) {
          const expected = truth.filter((x, i) => x === t && pred[i] === p).length;
          expect(m.counts[t ? 1 : 0][p ? 1 : 0]).toBe(expected);
        }
      }
      const s = summariseConfusion(m);
      expect(s.total).toBe(n);
      if (n > 0) expect(s.accuracy).toBeCloseTo(truth.filter((x, i) => x === pred[i]).length / n, 12);
    }
  });

  it('gives any constant predictor a balanced accuracy of 0.5', () => {
    const truth = [true, true, true, false];
    expect(summariseConfusion(confusionMatrix(truth, [true, true, true, true])).balancedAccuracy).toBe(0.5);
    expect(summariseConfusion(confusionMatrix(truth, [false, false, false, false])).balancedAccuracy).toBe(0.5);
    expect(summariseConfusion(confusionMatrix(truth, truth)).balancedAccuracy).toBe(1);
  });

  it('adds matrices and formats a labelled table', () => {
    const a = confusionMatrix([true, false, false], [true, true, false]);
    const b = confusionMatrix([true, true], [false, true]);
    const sum = addConfusionMatrices(a, b);
    expect(sum.counts).toEqual([
      [1, 1],
      [1, 2],
    ]);
    const text = formatConfusionMatrix(sum, 'test split');
    const lines = text.split('\n');
    expect(lines[0]).toBe('test split');
    expect(lines[1]).toMatch(/predicted:\s+not silence\s+silence\s+recall/);
    expect(lines[2]).toMatch(/^truth not silence\s+1\s+1\s+50\.0%$/);
    expect(lines[3]).toMatch(/^truth silence\s+1\s+2\s+66\.7%$/);
    expect(lines[4]).toMatch(/^precision\s+50\.0%\s+66\.7%$/);
    expect(lines[5]).toBe('accuracy 60.0%, balanced accuracy 58.3%, 5 windows');
    expect(() => confusionMatrix([true], [])).toThrow(/must match/);
  });
});

describe('windowTruthSilence', () => {
  it('matches a brute-force overlap check on random windows and events', () => {
    const rng = createRng(9);
    for (let trial = 0; trial < 40; trial++) {
      const windows = randomIntervals(rng, 1 + Math.floor(rng() * 20), 40);
      const events = randomIntervals(rng, Math.floor(rng() * 6), 40);
      const minOverlapSeconds = trial % 2 ? 0 : 0.5;
      const got = windowTruthSilence(windows, events, { minOverlapSeconds });
      windows.forEach((w, i) => {
        const overlaps = events.some((e) => {
          const o = Math.min(e.endSeconds, w.endSeconds) - Math.max(e.startSeconds, w.startSeconds);
          return o > 0 && o >= minOverlapSeconds;
        });
        expect(got[i]).toBe(!overlaps);
      });
    }
  });

  it('treats touching intervals as not overlapping', () => {
    expect(windowTruthSilence([{ startSeconds: 0, endSeconds: 1 }], [{ startSeconds: 1, endSeconds: 2 }])).toEqual([true]);
    expect(windowTruthSilence([{ startSeconds: 0, endSeconds: 1 }], [{ startSeconds: 0.999, endSeconds: 2 }])).toEqual([false]);
  });
});

describe('scoreEvents', () => {
  const events = [
    { startSeconds: 1, endSeconds: 2 },
    { startSeconds: 3, endSeconds: 4 },
    { startSeconds: 6, endSeconds: 7 },
  ];
  const predicted = [
    { startSeconds: 0.5, endSeconds: 4.5 }, // covers events 1 and 2 (IoU 0.25 each)
    { startSeconds: 6.5, endSeconds: 7 }, // IoU 0.5 with event 3
    { startSeconds: 9, endSeconds: 10 }, // matches nothing
  ];

  it('counts any overlap by default (many-to-many)', () => {
    const s = scoreEvents(predicted, events);
    expect(s).toMatchObject({ matchedPredictions: 2, detectedEvents: 3, predictions: 3, events: 3 });
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.recall).toBe(1);
    expect(s.f1).toBeCloseTo(0.8, 12);
  });

  it('applies the IoU threshold', () => {
    expect(intervalIoU(predicted[0], events[0])).toBeCloseTo(0.25, 12);
    const s = scoreEvents(predicted, events, { minIoU: 0.3 });
    expect(s).toMatchObject({ matchedPredictions: 1, detectedEvents: 1 });
    expect(scoreEvents([], events).precision).toBeNull();
    expect(scoreEvents([], events).recall).toBe(0);
  });
});

describe('groupedSplit', () => {
  it('splits recordings, never windows, reproducibly', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `rec${i}`);
    const windows = ids.flatMap((id) => Array.from({ length: 5 }, (_, w) => ({ id, w })));
    const s = groupedSplit(windows.map((x) => x.id), 0.3, 42);
    expect(s.test).toHaveLength(3);
    expect(s.train).toHaveLength(7);
    expect(new Set([...s.train, ...s.test])).toEqual(new Set(ids));
    expect(s.train.filter((id) => s.test.includes(id))).toEqual([]);
    // Every window of a recording lands on the same side.
    const testWindows = windows.filter((x) => s.test.includes(x.id));
    expect(testWindows).toHaveLength(15);
    // Same seed and id set, any order: same split. Other seeds: some other split.
    expect(groupedSplit(ids.slice().reverse(), 0.3, 42)).toEqual(s);
    const others = [1, 2, 3, 4, 5].map((seed) => groupedSplit(ids, 0.3, seed).test.join());
    expect(others.some((t) => t !== s.test.join())).toBe(true);
  });

  it('keeps at least one recording on each side and validates the fraction', () => {
    expect(groupedSplit([1, 2], 0.01, 1).test).toHaveLength(1);
    expect(groupedSplit([1, 2], 0.99, 1).train).toHaveLength(1);
    expect(groupedSplit([1, 2, 3], 0, 1).test).toEqual([]);
    expect(() => groupedSplit([1], 1.5, 1)).toThrow(/between 0 and 1/);
  });
});
