import { describe, expect, it } from 'vitest';
import { audioPageFor, PAGE_LEAD_SECONDS, PAGE_SECONDS, PLAYBACK_RATES, stepRate } from './playback';

describe('audioPageFor', () => {
  it('never asks for more than the route allows and always covers the play position', () => {
    for (const duration of [3, 299, 301, 7200.5, 36_000]) {
      for (const at of [0, 1, duration / 2, duration - 0.01, duration]) {
        const page = audioPageFor(at, duration);
        expect(page.end - page.start).toBeLessThanOrEqual(600);
        expect(page.start).toBeGreaterThanOrEqual(0);
        expect(page.end).toBeLessThanOrEqual(duration);
        expect(page.start).toBeLessThanOrEqual(at);
        if (at < duration) expect(page.end).toBeGreaterThan(at);
      }
    }
    expect(audioPageFor(1000, 7200)).toEqual({ start: 1000 - PAGE_LEAD_SECONDS, end: 1000 - PAGE_LEAD_SECONDS + PAGE_SECONDS });
  });

  it('puts a whole loop in one page so looping needs no reload', () => {
    const loop = { start: 4000, end: 4100 };
    const page = audioPageFor(4090, 7200, loop);
    expect(page.start).toBeLessThanOrEqual(loop.start);
    expect(page.end).toBeGreaterThanOrEqual(loop.end);
  });
});

describe('stepRate', () => {
  it('walks 0.25× … 2× and stops at both ends', () => {
    expect(PLAYBACK_RATES[0]).toBe(0.25);
    expect(PLAYBACK_RATES[PLAYBACK_RATES.length - 1]).toBe(2);
    expect(stepRate(1, 1)).toBe(1.25);
    expect(stepRate(1, -1)).toBe(0.75);
    expect(stepRate(0.25, -1)).toBe(0.25);
    expect(stepRate(2, 1)).toBe(2);
    expect(stepRate(0.9, -1)).toBe(0.75); // between steps: the next lower one
    expect(stepRate(0.9, 1)).toBe(1);
  });
});
