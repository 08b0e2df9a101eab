import { describe, expect, it } from 'vitest';
import { addDetectionCounts, detectionCounts, scoreDetections, scoresFromCounts } from './detection-metrics';

const iv = (startSeconds: number, endSeconds: number) => ({ startSeconds, endSeconds });
// Ten 100-ms events, one every second, in a 10-s file.
const events = Array.from({ length: 10 }, (_, i) => iv(i + 0.5, i + 0.6));

describe('detection metrics', () => {
  it('give a file-long region no credit (the trap the old event F1 fell into)', () => {
    const s = scoreDetections([iv(0, 10)], events, 10);
    expect(s.onsetF1).toBe(0); // its onset (0 s) is 0.5 s from the first event's
    expect(s.overlapF1).toBeCloseTo((2 * 1) / 11, 10); // one-to-one: it can match one event only
    expect(s.balancedAccuracy).toBe(0.5); // every silent segment is wrong
  });

  it('score a perfect detection 1 everywhere and count 10-ms segments by their centres', () => {
    const s = scoreDetections(events, events, 10);
    expect(s).toMatchObject({ onsetF1: 1, overlapF1: 1, balancedAccuracy: 1, meanOnsetErrorSeconds: 0 });
    expect(s.soundAsSound).toBe(100);
    expect(s.silenceAsSilence).toBe(900);
  });

  it('accept an onset within max(50 ms, 20 % of the event) and no further', () => {
    const long = [iv(1, 2)]; // 1-s event: collar 200 ms
    expect(scoreDetections([iv(1.19, 2)], long, 3).onsetF1).toBe(1);
    expect(scoreDetections([iv(1.21, 2)], long, 3).onsetF1).toBe(0);
    const short = [iv(1, 1.05)]; // 50-ms event: collar 50 ms
    expect(scoreDetections([iv(0.951, 1.05)], short, 3).onsetF1).toBe(1);
    expect(scoreDetections([iv(0.949, 1.05)], short, 3).onsetF1).toBe(0);
  });

  it('match one to one: two regions on one event give one hit and one false alarm', () => {
    const s = scoreDetections([iv(1, 1.04), iv(1.01, 1.1)], [iv(1, 1.1)], 2);
    expect(s.onsetMatches).toBe(1);
    expect(s.onsetPrecision).toBe(0.5);
    expect(s.onsetRecall).toBe(1);
    // Merging two events into one region finds one of them.
    const merged = scoreDetections([iv(1, 2)], [iv(1, 1.4), iv(1.6, 2)], 3);
    expect(merged.overlapMatches).toBe(1);
    expect(merged.onsetF1).toBeCloseTo(2 / 3, 10);
  });

  it('find the largest matching where a greedy one would not', () => {
    // p0 could take e0 or e1; p1 only e0. Greedy in event order gives e0–p0 and leaves e1 unmatched.
    const s = scoreDetections([iv(1.03, 1.2), iv(0.97, 1.2)], [iv(1, 1.1), iv(1.06, 1.2)], 2);
    expect(s.onsetMatches).toBe(2);
  });

  it('pool files by adding counts, not by averaging ratios', () => {
    const a = detectionCounts(events, events, 10);
    const b = detectionCounts([], [iv(0.5, 0.6)], 1);
    const pooled = scoresFromCounts(addDetectionCounts([a, b]));
    expect(pooled.events).toBe(11);
    expect(pooled.onsetMatches).toBe(10);
    expect(pooled.onsetRecall).toBeCloseTo(10 / 11, 10);
  });

  it('refuse malformed intervals readably', () => {
    expect(() => scoreDetections([iv(2, 1)], [], 3)).toThrow(/end ≥ start/);
    expect(() => scoreDetections([], [], -1)).toThrow(/≥ 0 s/);
  });
});
