/**
 * A small least-recently-used map: `get` and `set` make an entry the newest;
 * past `capacity` the oldest entries are dropped (and handed to `onEvict`, so
 * callers can free canvases or bitmaps).
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number, private readonly onEvict?: (key: K, value: V) => void) {
    if (!(capacity >= 1)) throw new RangeError(`LruCache capacity must be at least 1 (got ${capacity})`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, marking it most recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value without touching its age. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    const old = this.entries.get(key);
    this.entries.delete(key);
    this.entries.set(key, value);
    if (old !== undefined && old !== value) this.onEvict?.(key, old);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as K;
      const evicted = this.entries.get(oldest) as V;
      this.entries.delete(oldest);
      this.onEvict?.(oldest, evicted);
    }
  }

  delete(key: K): boolean {
    const value = this.entries.get(key);
    if (value === undefined) return false;
    this.entries.delete(key);
    this.onEvict?.(key, value);
    return true;
  }

  clear(): void {
    for (const [key, value] of [...this.entries]) this.delete(key);
  }

  keys(): K[] {
    return [...this.entries.keys()];
  }
}
