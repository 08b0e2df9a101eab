import { describe, expect, it } from 'vitest';
import { createTileLoader } from './tile-loader';
import { tileBytes } from './testing/tile-bytes';
import type { TileKey } from './viewport';

interface Pending {
  url: string;
  signal: AbortSignal;
  resolve: (r: Response) => void;
}

/** A fetch whose responses the test hands out one by one. */
function controlledFetch() {
  const pending: Pending[] = [];
  const fetchImpl = ((url: string, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init!.signal!;
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      pending.push({ url, signal, resolve });
    })) as unknown as typeof fetch;
  return { pending, fetchImpl };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const key = (level: number, index: number): TileKey => ({ level, index });
const url = (k: TileKey) => `t/${k.level}/${k.index}`;
const ok = (bytes: Uint8Array) => new Response(bytes.slice().buffer as ArrayBuffer, { status: 200 });

describe('createTileLoader', () => {
  it('fetches wanted tiles once, decodes and caches them', async () => {
    const { pending, fetchImpl } = controlledFetch();
    const loader = createTileLoader({ urlFor: url, fetchImpl });
    let changes = 0;
    loader.onChange(() => changes++);
    loader.want([key(2, 0), key(2, 1)]);
    expect(pending.map((p) => p.url)).toEqual(['t/2/0', 't/2/1']);
    pending[0].resolve(ok(tileBytes(2, 0, 3, 2, false, 9)));
    await flush();
    expect(loader.get(key(2, 0))?.data[5]).toBe(9);
    expect(changes).toBe(1);
    loader.want([key(2, 0), key(2, 1)]);
    expect(pending.length).toBe(2); // nothing refetched, 2/1 still in flight
  });

  it('aborts requests for tiles that scrolled away and limits concurrency', async () => {
    const { pending, fetchImpl } = controlledFetch();
    const loader = createTileLoader({ urlFor: url, fetchImpl, concurrency: 2 });
    loader.want([key(0, 0), key(0, 1), key(0, 2)]);
    expect(pending.map((p) => p.url)).toEqual(['t/0/0', 't/0/1']);
    loader.want([key(0, 2)]);
    expect(pending[0].signal.aborted && pending[1].signal.aborted).toBe(true);
    expect(pending[2].url).toBe('t/0/2');
    await flush();
    expect(loader.inFlight).toBe(1);
  });

  it('shows the server\'s message for a failed tile and waits before retrying it', async () => {
    const { pending, fetchImpl } = controlledFetch();
    let now = 0;
    const loader = createTileLoader({ urlFor: url, fetchImpl, now: () => now, retryAfterMs: 1000 });
    loader.want([key(1, 4)]);
    pending[0].resolve(new Response('Refused: the recording id must be a positive whole number.', { status: 400 }));
    await flush();
    await flush();
    expect(loader.error).toBe('Refused: the recording id must be a positive whole number.');
    loader.want([key(1, 4)]);
    expect(pending.length).toBe(1);
    now = 2000;
    loader.want([key(1, 4)]);
    expect(pending.length).toBe(2);
    pending[1].resolve(ok(new Uint8Array(10)));
    await flush();
    expect(loader.error).toMatch(/damaged or from a different Sonotype version/);
  });

  it('refetches approximate tiles and replaces them with exact ones', async () => {
    const { pending, fetchImpl } = controlledFetch();
    const loader = createTileLoader({ urlFor: url, fetchImpl });
    loader.want([key(3, 0)]);
    pending[0].resolve(ok(tileBytes(3, 0, 2, 2, true, 1)));
    await flush();
    expect(loader.get(key(3, 0))?.approximate).toBe(true);
    expect(loader.refreshApproximate()).toBe(1);
    expect(loader.get(key(3, 0))?.approximate).toBe(true); // still shown while the exact one loads
    pending[1].resolve(ok(tileBytes(3, 0, 2, 2, false, 2)));
    await flush();
    expect(loader.get(key(3, 0))?.approximate).toBe(false);
    expect(loader.refreshApproximate()).toBe(0);
  });
});

describe('tileCapacityFor', () => {
  it('keeps about the same bytes of tall tiles, and never too few for one screen and its neighbours', async () => {
    const { tileCapacityFor, DEFAULT_TILE_CAPACITY } = await import('./tile-loader');
    expect(tileCapacityFor(256)).toBe(DEFAULT_TILE_CAPACITY);
    expect(tileCapacityFor(512)).toBe(48);
    expect(tileCapacityFor(2048)).toBe(24);
    expect(tileCapacityFor(64)).toBe(384);
  });
});
