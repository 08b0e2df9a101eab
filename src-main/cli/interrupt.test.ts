import { describe, expect, it } from 'vitest';
import { abortOnInterrupt } from './interrupt';

const counts = (): number[] => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];

describe('abortOnInterrupt', () => {
  it('aborts on SIGINT or SIGTERM and leaves no listener once released', () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const before = counts();
      const stop = abortOnInterrupt();
      expect(counts()).toEqual(before.map((n) => n + 1));
      // Call our own listener rather than raising the signal, which would reach the test runner's too.
      const ours = process.listeners(signal).at(-1) as () => void;
      expect(stop.signal.aborted).toBe(false);
      ours();
      expect(stop.signal.aborted).toBe(true);
      stop.release();
      expect(counts()).toEqual(before);
    }
  });
});
