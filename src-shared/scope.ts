/**
 * A lifetime: everything started inside it (listeners, timers, loaders,
 * child scopes) is released when it is disposed, in reverse order, exactly
 * once. Built on AbortSignal, so fetches and event listeners can take
 * `scope.signal` directly, and work that resumes after an `await` checks
 * `scope.disposed` (or uses `scope.guard`) before starting anything new —
 * the usual leak is a component destroyed while it was still loading.
 * Plain TypeScript: used by the renderer's stores and views and by the shells.
 */
export class Scope {
  private readonly controller = new AbortController();
  private disposers: Array<() => void> = [];

  /** Aborted when the scope is disposed. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get disposed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Registers a cleanup; on a scope already disposed it runs at once (so nothing started late survives). */
  add(dispose: () => void): void {
    if (this.disposed) dispose();
    else this.disposers.push(dispose);
  }

  /** Registers an object's own cleanup (`destroy()` or `dispose()`) and returns it. */
  own<T extends { destroy(): void } | { dispose(): void }>(thing: T): T {
    this.add(() => ('destroy' in thing ? thing.destroy() : thing.dispose()));
    return thing;
  }

  /** A scope that ends with this one, or earlier when disposed itself. */
  child(): Scope {
    const child = new Scope();
    const detach = (): void => {
      this.disposers = this.disposers.filter((d) => d !== disposeChild);
    };
    const disposeChild = (): void => child.dispose();
    this.add(disposeChild);
    child.add(detach);
    return child;
  }

  /** setInterval for as long as the scope lives. */
  interval(callback: () => void, ms: number): void {
    if (this.disposed) return;
    const timer = setInterval(callback, ms);
    this.add(() => clearInterval(timer));
  }

  /** setTimeout that never fires after the scope is disposed. */
  timeout(callback: () => void, ms: number): void {
    if (this.disposed) return;
    const timer = setTimeout(callback, ms);
    this.add(() => clearTimeout(timer));
  }

  /**
   * Resolves like `promise` while the scope lives; once it is disposed the
   * result is dropped and this rejects with the scope's AbortError, so code
   * after `await scope.guard(…)` never runs in a dead scope.
   */
  async guard<T>(promise: Promise<T>): Promise<T> {
    const value = await promise;
    this.signal.throwIfAborted();
    return value;
  }

  /** Releases everything, newest first. A failing cleanup does not stop the others; the first error is rethrown. */
  dispose(): void {
    if (this.disposed) return;
    this.controller.abort(new DOMException('The scope was disposed.', 'AbortError'));
    const disposers = this.disposers.reverse();
    this.disposers = [];
    const errors: unknown[] = [];
    for (const dispose of disposers) {
      try {
        dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}

/** Whether an error is the scope's (or any) AbortError: work that ended because its owner went away. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
