import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAbortError, Scope } from './scope';

afterEach(() => vi.useRealTimers());

describe('Scope', () => {
  it('releases everything once, newest first, and aborts its signal', () => {
    const scope = new Scope();
    const order: string[] = [];
    scope.add(() => order.push('first'));
    scope.own({ destroy: () => order.push('destroy') });
    scope.own({ dispose: () => order.push('dispose') });
    expect(scope.signal.aborted).toBe(false);
    scope.dispose();
    scope.dispose();
    expect(order).toEqual(['dispose', 'destroy', 'first']);
    expect(scope.disposed && scope.signal.aborted).toBe(true);
    expect(isAbortError(scope.signal.reason)).toBe(true);
  });

  it('runs a cleanup added after disposal at once: nothing started late survives', () => {
    const scope = new Scope();
    scope.dispose();
    const cleanup = vi.fn();
    scope.add(cleanup);
    expect(cleanup).toHaveBeenCalledOnce();
  });

  it('keeps releasing when one cleanup throws, then reports the error', () => {
    const scope = new Scope();
    const after = vi.fn();
    scope.add(after);
    scope.add(() => {
      throw new Error('broken cleanup');
    });
    expect(() => scope.dispose()).toThrow('broken cleanup');
    expect(after).toHaveBeenCalledOnce();
  });

  it('ends child scopes with the parent; a child disposed first leaves the parent untouched', () => {
    const parent = new Scope();
    const early = parent.child();
    const late = parent.child();
    const earlyCleanup = vi.fn();
    const lateCleanup = vi.fn();
    early.add(earlyCleanup);
    late.add(lateCleanup);
    early.dispose();
    expect(earlyCleanup).toHaveBeenCalledOnce();
    expect(parent.disposed || late.disposed).toBe(false);
    parent.dispose();
    expect(lateCleanup).toHaveBeenCalledOnce();
    expect(earlyCleanup).toHaveBeenCalledOnce();
  });

  it('stops its timers', () => {
    vi.useFakeTimers();
    const scope = new Scope();
    const tick = vi.fn();
    const once = vi.fn();
    scope.interval(tick, 100);
    scope.timeout(once, 250);
    vi.advanceTimersByTime(200);
    expect(tick).toHaveBeenCalledTimes(2);
    scope.dispose();
    vi.advanceTimersByTime(1000);
    expect(tick).toHaveBeenCalledTimes(2);
    expect(once).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('guard drops an answer that arrives after disposal', async () => {
    const scope = new Scope();
    expect(await scope.guard(Promise.resolve(1))).toBe(1);
    let resolve!: (v: number) => void;
    const late = scope.guard(new Promise<number>((r) => (resolve = r)));
    scope.dispose();
    resolve(2);
    await expect(late).rejects.toSatisfy(isAbortError);
  });
});
