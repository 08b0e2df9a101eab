/**
 * What to draw for the current viewport, from whatever tiles are cached:
 * the spectrogram pieces (source columns → destination pixels) and the
 * waveform's per-pixel min/max. A tile that has not arrived yet is stood in
 * for by a coarser cached tile covering the same time, so zooming never shows
 * an empty screen while the finer tiles load.
 */
import { autoLevels } from '../../lib/colormap';
import type { DecodedTile } from '../../lib/tile-decode';
import { columnSeconds, tileTimeSpan, viewportEnd, visibleTiles, type PyramidInfo, type TileKey, type Viewport } from './viewport';

export type TileLookup = (key: TileKey) => DecodedTile | undefined;

/** One rectangle of one tile, drawn stretched to its place on screen. */
export interface TilePiece {
  tile: DecodedTile;
  key: TileKey;
  /** Source columns [srcX, srcX + srcW) of the tile (fractional). */
  srcX: number;
  srcW: number;
  /** Destination pixels [dstX, dstX + dstW). */
  dstX: number;
  dstW: number;
  /** True when a coarser tile stands in for a missing one. */
  standIn: boolean;
}

/** The cached tile at `key`, or the nearest coarser cached tile covering its start. */
export function tileOrStandIn(info: PyramidInfo, key: TileKey, lookup: TileLookup): { tile: DecodedTile; key: TileKey } | null {
  const span = tileTimeSpan(info, key, info.tileColumns);
  for (let level = key.level; level < info.levels; level++) {
    const index = Math.floor(span.startSeconds / (info.tileColumns * columnSeconds(info, level)));
    const candidate = { level, index };
    const tile = lookup(candidate);
    if (tile) return { tile, key: candidate };
  }
  return null;
}

/** The pieces to draw for `vp` at its level; missing tiles without a stand-in are left out. */
export function planSpectrogram(info: PyramidInfo, vp: Viewport, lookup: TileLookup): { level: number; pieces: TilePiece[]; missing: TileKey[] } {
  const { level, tiles } = visibleTiles(info, vp);
  const end = Math.min(viewportEnd(vp), info.durationSeconds);
  const pieces: TilePiece[] = [];
  const missing: TileKey[] = [];
  for (const wanted of tiles) {
    const own = tileTimeSpan(info, wanted, info.tileColumns);
    const found = tileOrStandIn(info, wanted, lookup);
    if (!found) {
      missing.push(wanted);
      continue;
    }
    const standIn = found.key.level !== wanted.level;
    if (standIn) missing.push(wanted);
    const span = tileTimeSpan(info, found.key, found.tile.columns);
    // Only the wanted tile's own time range, so stand-ins never paint over real tiles.
    const s0 = Math.max(own.startSeconds, span.startSeconds, vp.startSeconds);
    const s1 = Math.min(own.endSeconds, span.endSeconds, end);
    if (!(s1 > s0)) continue;
    pieces.push({
      tile: found.tile,
      key: found.key,
      srcX: (s0 - span.startSeconds) / span.columnSeconds,
      srcW: (s1 - s0) / span.columnSeconds,
      dstX: (s0 - vp.startSeconds) / vp.secondsPerPixel,
      dstW: (s1 - s0) / vp.secondsPerPixel,
      standIn,
    });
  }
  return { level, pieces, missing };
}

/**
 * Per-pixel waveform extremes for the viewport: pixel x gets the min and max
 * of every column overlapping its time span (the column containing it when
 * zoomed in past one column per pixel). Pixels past the end, or whose tile is
 * not cached at any level, stay 0; `complete` tells whether any were missing.
 */
export function viewportPeaks(info: PyramidInfo, vp: Viewport, level: number, lookup: TileLookup): { min: Float32Array; max: Float32Array; complete: boolean } {
  const width = Math.max(1, Math.round(vp.widthPx));
  const min = new Float32Array(width);
  const max = new Float32Array(width);
  let complete = true;
  const cache = new Map<string, { tile: DecodedTile; key: TileKey } | null>();
  const tileFor = (index: number) => {
    const id = `${level}/${index}`;
    if (!cache.has(id)) cache.set(id, tileOrStandIn(info, { level, index }, lookup));
    return cache.get(id) ?? null;
  };
  const colSec = columnSeconds(info, level);
  const columns = info.levelColumns[level] ?? 0;
  for (let x = 0; x < width; x++) {
    const t0 = vp.startSeconds + x * vp.secondsPerPixel;
    const t1 = t0 + vp.secondsPerPixel;
    if (t0 >= info.durationSeconds) break;
    const c0 = Math.floor(t0 / colSec);
    const c1 = Math.min(columns - 1, Math.max(c0, Math.ceil(t1 / colSec) - 1));
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = c0; c <= c1; c++) {
      const found = tileFor(Math.floor(c / info.tileColumns));
      if (!found) {
        complete = false;
        continue;
      }
      // In a stand-in, the column covering the same time.
      const t = (c + 0.5) * colSec;
      const span = tileTimeSpan(info, found.key, found.tile.columns);
      const local = Math.floor((t - span.startSeconds) / span.columnSeconds);
      if (local < 0 || local >= found.tile.columns) continue;
      lo = Math.min(lo, found.tile.peaks[2 * local]);
      hi = Math.max(hi, found.tile.peaks[2 * local + 1]);
    }
    if (hi >= lo) {
      min[x] = lo;
      max[x] = hi;
    }
  }
  return { min, max, complete };
}

/** Display levels fitted to the tiles on screen (see autoLevels); null when nothing is drawn. */
export function autoLevelsOfPieces(pieces: readonly TilePiece[]): { floorDb: number; rangeDb: number } | null {
  if (pieces.length === 0) return null;
  const tiles = [...new Set(pieces.map((p) => p.tile))];
  const bytes = new Uint8Array(tiles.reduce((n, t) => n + t.data.length, 0));
  let offset = 0;
  for (const t of tiles) {
    bytes.set(t.data, offset);
    offset += t.data.length;
  }
  return autoLevels(bytes, tiles[0].dbRange);
}

/** The largest |amplitude| in the peaks (DC already removed by main), 0 for silence. */
export function peakAmplitude(peaks: Float32Array): number {
  let peak = 0;
  for (const v of peaks) peak = Math.max(peak, Math.abs(v));
  return peak;
}

/**
 * Vertical gain for the waveform, from the whole-file peaks: the loudest
 * sample of the recording reaches 95 % of the height, and every part of the
 * file keeps the same scale (so quiet stretches look quiet). 1 … 10⁵ (a
 * −80 dBFS hydrophone file still fills the panel; the amplitude axis says so).
 */
export function waveformScale(peaks: Float32Array): number {
  const peak = peakAmplitude(peaks);
  return peak > 0 ? Math.min(100_000, Math.max(1, 0.95 / peak)) : 1;
}
