/**
 * Fetches, decodes and caches spectrogram tiles for one recording. Only the
 * tiles the viewport currently wants are fetched; requests for tiles that
 * scrolled away are aborted, decoded tiles live in an LRU, and approximate
 * (sampled preview) tiles can be refetched until the exact ones exist.
 */
import { decodeTileBytes, type DecodedTile } from '../../lib/tile-decode';
import { LRUCache } from 'lru-cache';
import { tileKeyString, type TileKey } from './viewport';

export interface TileLoaderOptions {
  urlFor: (key: TileKey) => string;
  fetchImpl?: typeof fetch;
  /**
   * Decoded tiles kept (a 512 × 256 tile is ~130 KiB). Must exceed what one
   * `want` asks for (≈ 20 tiles: the screen, a screen either side, the
   * whole-file tile) so wanted tiles never evict each other; more only keeps
   * tiles far from the view, which the renderer's memory bench showed as
   * steady growth, while coarser cached tiles already stand in on return.
   */
  capacity?: number;
  /** Requests in flight at once, so a fast zoom does not queue hundreds. */
  concurrency?: number;
  /** A failed tile is not asked for again sooner than this. */
  retryAfterMs?: number;
  now?: () => number;
}

export interface TileLoader {
  /** The cached tile (marks it recently used). */
  get(key: TileKey): DecodedTile | undefined;
  /** Declares the tiles on screen, in priority order: fetches the missing ones, aborts the rest. */
  want(keys: TileKey[]): void;
  /** Refetches the wanted tiles that are approximate; returns how many. */
  refreshApproximate(): number;
  /** Calls `listener` whenever a tile arrives or an error changes. */
  onChange(listener: () => void): () => void;
  /** The last fetch error, readable; null once a later tile arrives. */
  readonly error: string | null;
  readonly inFlight: number;
  destroy(): void;
}

/** ≈ 12 MiB of 512 × 256 tiles: the wanted set several times over (see TileLoaderOptions.capacity). */
export const DEFAULT_TILE_CAPACITY = 96;

/**
 * Tiles to keep for tiles of `bins` rows: the same ≈ 12 MiB as 96 tiles of 256
 * bins (a 4096-point display FFT makes 1 MiB tiles), never fewer than the 24
 * one screen and its neighbours can ask for.
 */
export function tileCapacityFor(bins: number): number {
  return Math.max(24, Math.floor((DEFAULT_TILE_CAPACITY * 256) / Math.max(1, bins)));
}

interface Request {
  key: TileKey;
  controller: AbortController;
}

/** Creates a loader; see TileLoader. */
export function createTileLoader(options: TileLoaderOptions): TileLoader {
  const fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const concurrency = options.concurrency ?? 6;
  const retryAfterMs = options.retryAfterMs ?? 5000;
  const now = options.now ?? (() => Date.now());
  const cache = new LRUCache<string, DecodedTile>({ max: options.capacity ?? DEFAULT_TILE_CAPACITY });
  const inFlight = new Map<string, Request>();
  const failedAt = new Map<string, number>();
  const listeners = new Set<() => void>();
  let wanted: TileKey[] = [];
  let refetch = new Set<string>();
  let error: string | null = null;
  let destroyed = false;

  const notify = () => {
    for (const listener of listeners) listener();
  };

  function pump(): void {
    for (const key of wanted) {
      if (inFlight.size >= concurrency) return;
      const id = tileKeyString(key);
      if (inFlight.has(id)) continue;
      if (cache.has(id) && !refetch.has(id)) continue;
      const failed = failedAt.get(id);
      if (failed !== undefined && now() - failed < retryAfterMs) continue;
      start(key, id);
    }
  }

  function start(key: TileKey, id: string): void {
    const controller = new AbortController();
    inFlight.set(id, { key, controller });
    refetch.delete(id);
    void load(key, id, controller.signal).finally(() => {
      if (inFlight.get(id)?.controller === controller) inFlight.delete(id);
      if (!destroyed) pump();
    });
  }

  async function load(key: TileKey, id: string, signal: AbortSignal): Promise<void> {
    try {
      const response = await fetchImpl(options.urlFor(key), { signal });
      if (!response.ok) {
        const text = (await response.text().catch(() => '')).trim();
        throw new Error(text || `The spectrogram tile could not be loaded (HTTP ${response.status}).`);
      }
      const tile = decodeTileBytes(await response.arrayBuffer());
      if (!tile) throw new Error('A spectrogram tile arrived damaged or from a different Sonotype version.');
      if (signal.aborted || destroyed) return;
      cache.set(id, tile);
      failedAt.delete(id);
      error = null;
      notify();
    } catch (e) {
      if (signal.aborted || destroyed) return;
      failedAt.set(id, now());
      error = (e as Error).message;
      notify();
    }
  }

  return {
    get: (key) => cache.get(tileKeyString(key)),
    want(keys) {
      if (destroyed) return;
      wanted = keys;
      const ids = new Set(keys.map(tileKeyString));
      for (const [id, request] of inFlight) {
        if (!ids.has(id)) {
          request.controller.abort();
          inFlight.delete(id);
        }
      }
      pump();
    },
    refreshApproximate() {
      let count = 0;
      for (const key of wanted) {
        const id = tileKeyString(key);
        if (cache.peek(id)?.approximate && !inFlight.has(id)) {
          refetch.add(id);
          count++;
        }
      }
      pump();
      return count;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get error() {
      return error;
    },
    get inFlight() {
      return inFlight.size;
    },
    destroy() {
      destroyed = true;
      for (const request of inFlight.values()) request.controller.abort();
      inFlight.clear();
      listeners.clear();
      cache.clear();
      refetch = new Set();
    },
  };
}
