/**
 * Viewport arithmetic for the review view: which part of the recording is on
 * screen, at which pyramid level, and which tiles that needs. Pure functions,
 * so zooming from the whole file down to single STFT frames is testable.
 */

/** The part of SpectrogramInfo the viewport needs. */
export interface PyramidInfo {
  /** Seconds per level-0 column (one STFT hop). */
  hopSeconds: number;
  levels: number;
  tileColumns: number;
  levelColumns: number[];
  durationSeconds: number;
}

/** What is on screen: the left edge in seconds and the zoom as seconds per CSS pixel. */
export interface Viewport {
  startSeconds: number;
  secondsPerPixel: number;
  widthPx: number;
}

/** The closest zoom: one STFT frame spans this many pixels. */
export const MAX_PIXELS_PER_FRAME = 32;

/** Seconds one column covers at `level` (2^level hops). */
export function columnSeconds(info: PyramidInfo, level: number): number {
  return info.hopSeconds * 2 ** level;
}

/**
 * The coarsest level whose columns are no wider than one pixel (so no detail
 * is thrown away by the level and no more columns are fetched than needed);
 * level 0 when zoomed in past one frame per pixel, the top level when the
 * whole pyramid is coarser than the screen.
 */
export function chooseLevel(info: PyramidInfo, secondsPerPixel: number): number {
  if (!(secondsPerPixel > info.hopSeconds)) return 0;
  // The epsilon keeps exact powers of two on the coarser level despite rounding in log2.
  const level = Math.floor(Math.log2(secondsPerPixel / info.hopSeconds) + 1e-9);
  return Math.min(info.levels - 1, Math.max(0, level));
}

/** Seconds per pixel that shows the whole recording in `widthPx`. */
export function wholeFileSecondsPerPixel(info: PyramidInfo, widthPx: number): number {
  return Math.max(info.durationSeconds, info.hopSeconds) / Math.max(1, widthPx);
}

/** The finest zoom: one frame spans MAX_PIXELS_PER_FRAME pixels. */
export function minSecondsPerPixel(info: PyramidInfo): number {
  return info.hopSeconds / MAX_PIXELS_PER_FRAME;
}

/** Keeps the zoom between single frames and the whole file, and the view inside the recording. */
export function clampViewport(info: PyramidInfo, vp: Viewport): Viewport {
  const widthPx = Math.max(1, Math.round(vp.widthPx));
  const maxSpp = Math.max(minSecondsPerPixel(info), wholeFileSecondsPerPixel(info, widthPx));
  const secondsPerPixel = Math.min(maxSpp, Math.max(minSecondsPerPixel(info), Number.isFinite(vp.secondsPerPixel) ? vp.secondsPerPixel : maxSpp));
  const visible = secondsPerPixel * widthPx;
  const maxStart = Math.max(0, info.durationSeconds - visible);
  const startSeconds = Math.min(maxStart, Math.max(0, Number.isFinite(vp.startSeconds) ? vp.startSeconds : 0));
  return { startSeconds, secondsPerPixel, widthPx };
}

/** The whole recording in `widthPx`. */
export function wholeFileViewport(info: PyramidInfo, widthPx: number): Viewport {
  return clampViewport(info, { startSeconds: 0, secondsPerPixel: wholeFileSecondsPerPixel(info, widthPx), widthPx });
}

/** Seconds at the right edge. */
export function viewportEnd(vp: Viewport): number {
  return vp.startSeconds + vp.secondsPerPixel * vp.widthPx;
}

export function secondsToX(vp: Viewport, seconds: number): number {
  return (seconds - vp.startSeconds) / vp.secondsPerPixel;
}

/** [x, width] on screen of the time span [start, end] seconds; at least 1 px wide, so a short span stays visible. */
export function spanToPx(vp: Viewport, start: number, end: number): [number, number] {
  const x = secondsToX(vp, start);
  return [x, Math.max(1, secondsToX(vp, end) - x)];
}

export function xToSeconds(vp: Viewport, x: number): number {
  return vp.startSeconds + x * vp.secondsPerPixel;
}

/**
 * Zooms by `factor` (< 1 zooms in) keeping `anchorSeconds` at the same pixel
 * (the mouse position, or the playhead for keyboard zoom).
 */
export function zoomViewport(info: PyramidInfo, vp: Viewport, factor: number, anchorSeconds = vp.startSeconds + (vp.secondsPerPixel * vp.widthPx) / 2): Viewport {
  const anchorX = secondsToX(vp, anchorSeconds);
  const next = clampViewport(info, { ...vp, secondsPerPixel: vp.secondsPerPixel * factor });
  return clampViewport(info, { ...next, startSeconds: anchorSeconds - anchorX * next.secondsPerPixel });
}

/** Moves the view by `deltaPx` pixels (positive = later in time). */
export function panViewport(info: PyramidInfo, vp: Viewport, deltaPx: number): Viewport {
  return clampViewport(info, { ...vp, startSeconds: vp.startSeconds + deltaPx * vp.secondsPerPixel });
}

/**
 * Brings [start, end] into view: unchanged when it is already comfortably
 * visible; otherwise centred, zooming out (only) if it would not fit in 80 %
 * of the width, and zooming in when it would be narrower than 10 pixels.
 */
export function revealSpan(info: PyramidInfo, vp: Viewport, start: number, end: number): Viewport {
  const visible = vp.secondsPerPixel * vp.widthPx;
  const span = Math.max(0, end - start);
  let secondsPerPixel = vp.secondsPerPixel;
  if (span > 0.8 * visible) secondsPerPixel = span / (0.8 * vp.widthPx);
  else if (span > 0 && span / secondsPerPixel < 10) secondsPerPixel = span / Math.min(0.3 * vp.widthPx, 200);
  const margin = 0.05 * visible;
  if (secondsPerPixel === vp.secondsPerPixel && start >= vp.startSeconds + margin && end <= viewportEnd(vp) - margin) return vp;
  const centre = (start + end) / 2;
  const next = clampViewport(info, { ...vp, secondsPerPixel });
  return clampViewport(info, { ...next, startSeconds: centre - (next.secondsPerPixel * next.widthPx) / 2 });
}

/** One tile of the pyramid. */
export interface TileKey {
  level: number;
  index: number;
}

export function tileKeyString(key: TileKey): string {
  return `${key.level}/${key.index}`;
}

/** The tiles at `level` covering [startSeconds, endSeconds), in time order. */
export function tilesForRange(info: PyramidInfo, level: number, startSeconds: number, endSeconds: number): TileKey[] {
  const columns = info.levelColumns[level] ?? 0;
  if (columns <= 0 || !(endSeconds > startSeconds)) return [];
  const colSec = columnSeconds(info, level);
  const firstColumn = Math.max(0, Math.floor(startSeconds / colSec));
  const lastColumn = Math.min(columns - 1, Math.ceil(endSeconds / colSec) - 1);
  if (lastColumn < firstColumn) return [];
  const keys: TileKey[] = [];
  for (let i = Math.floor(firstColumn / info.tileColumns); i <= Math.floor(lastColumn / info.tileColumns); i++) keys.push({ level, index: i });
  return keys;
}

/** The level and tiles the viewport shows. */
export function visibleTiles(info: PyramidInfo, vp: Viewport): { level: number; tiles: TileKey[] } {
  const level = chooseLevel(info, vp.secondsPerPixel);
  return { level, tiles: tilesForRange(info, level, vp.startSeconds, viewportEnd(vp)) };
}

/** Where a tile lies in time: its first column's start and the seconds per column. */
export function tileTimeSpan(info: PyramidInfo, key: TileKey, columns: number): { startSeconds: number; endSeconds: number; columnSeconds: number } {
  const colSec = columnSeconds(info, key.level);
  const startSeconds = key.index * info.tileColumns * colSec;
  return { startSeconds, endSeconds: startSeconds + columns * colSec, columnSeconds: colSec };
}
