import { describe, expect, it } from 'vitest';
import { RateEstimator } from './progress-rate';

describe('RateEstimator', () => {
  it('has no rate or ETA before a full sample interval', () => {
    const rate = new RateEstimator({ minSampleMs: 250 });
    rate.observe(0, 0);
    rate.observe(10, 100);
    expect(rate.itemsPerSecond).toBeNull();
    expect(rate.etaSeconds(10, 100)).toBeNull();
  });

  it('estimates a steady rate and the time left exactly', () => {
    const rate = new RateEstimator();
    for (let t = 0; t <= 3000; t += 300) rate.observe(t / 10, t); // 100 items per second
    expect(rate.itemsPerSecond).toBeCloseTo(100, 9);
    expect(rate.etaSeconds(300, 1000)).toBeCloseTo(7, 9);
    expect(rate.etaSeconds(1000, 1000)).toBe(0);
    expect(rate.etaSeconds(300, null)).toBeNull();
  });

  it('smooths a burst but follows a lasting change of rate', () => {
    const rate = new RateEstimator({ smoothingSeconds: 2 });
    let done = 0;
    let t = 0;
    rate.observe(done, t);
    for (let i = 0; i < 20; i++) rate.observe((done += 50), (t += 500)); // 100 /s
    rate.observe((done += 500), (t += 500)); // one burst at 1000 /s
    const afterBurst = rate.itemsPerSecond!;
    // Weight of one 0.5 s sample with a 2 s time constant: 1 - e^(-1/4).
    const weight = 1 - Math.exp(-0.25);
    expect(afterBurst).toBeCloseTo(100 + weight * (1000 - 100), 6);
    expect(afterBurst).toBeLessThan(400);
    for (let i = 0; i < 40; i++) rate.observe((done += 10), (t += 500)); // now 20 /s for 20 s
    expect(rate.itemsPerSecond!).toBeCloseTo(20, 0);
  });

  it('starts over when the count goes backwards (a new phase)', () => {
    const rate = new RateEstimator();
    rate.observe(0, 0);
    rate.observe(100, 1000);
    expect(rate.itemsPerSecond).toBeCloseTo(100, 9);
    rate.observe(5, 1500);
    expect(rate.itemsPerSecond).toBeNull();
    rate.observe(15, 2500);
    expect(rate.itemsPerSecond).toBeCloseTo(10, 9);
  });
});

describe('a training job\'s rate and ETA agree', () => {
  it('reports batches per second for batch progress, and the ETA follows that same rate', async () => {
    const { batchProgress } = await import('./tasks/train-progress');
    const { remainingSeconds } = await import('./progress-rate');
    // The trial: 315 batches of 32 windows, one batch every 40 s (0.8 windows/s), 105 done.
    const update = batchProgress({ epoch: 1, batch: 0, batches: 105, loss: 0.5, windowsPerSecond: 0.8 }, 3, 32);
    expect(update).toMatchObject({ done: 105, itemsLabel: 'batches' });
    expect(update.itemsPerSecond).toBeCloseTo(1 / 40, 12); // not 0.8 (windows/s shown as "batches/s")
    expect(remainingSeconds(update.done!, 315, update.itemsPerSecond)).toBeCloseTo(210 * 40, 6);
    expect(remainingSeconds(315, 315, update.itemsPerSecond)).toBe(0);
    expect(remainingSeconds(3, null, 1)).toBeNull();
    expect(remainingSeconds(3, 10, 0)).toBeNull();
  });
});
