/**
 * Computes one tile on demand, either exactly (every frame it covers, then
 * max-pooled) or approximately by sampling a few frames per column — the
 * latter is what makes the whole-file overview of a many-hour recording
 * appear in well under a second: its cost depends on the number of columns,
 * not on the file's length.
 */
import type { AudioRangeReader } from '../audio/read-range';
import { blockMean, DC_BLOCK_SAMPLES, type DcBlocks } from './dc-offset';
import { computeDisplayFrames, computeDisplayFramesAt } from './display-frames';
import { DISPLAY_DB_MAX, DISPLAY_DB_MIN, quantiseValues, type Tile } from './tile-format';
import { nativeStartOfFrame, type TileGeometry, type TileSpan } from './tile-geometry';

/** One tile to compute: the open recording, its display geometry and DC blocks, and which tile. */
export interface TileRequest {
  reader: AudioRangeReader;
  geometry: TileGeometry;
  dc: DcBlocks;
  level: number;
  index: number;
  span: TileSpan;
}

/** Frames sampled per column by approximate tiles (spread evenly over the column). */
export const SAMPLED_FRAMES_PER_COLUMN = 4;

/**
 * Max-pools quantised frames (frames × bins, row-major) into columns of
 * `factor` frames; the last column takes whatever frames remain. Pooling the
 * bytes equals quantising the pooled dB because quantisation is monotonic.
 */
export function poolColumns(frames: Uint8Array, frameCount: number, bins: number, factor: number): Uint8Array {
  const columns = Math.ceil(frameCount / factor);
  const out = new Uint8Array(columns * bins);
  for (let f = 0; f < frameCount; f++) {
    const dst = Math.floor(f / factor) * bins;
    const src = f * bins;
    for (let b = 0; b < bins; b++) if (frames[src + b] > out[dst + b]) out[dst + b] = frames[src + b];
  }
  return out;
}

/** min/max of `samples` into peaks[2c], peaks[2c+1]; an empty range reads 0, 0. */
export function writePeak(peaks: Float32Array, c: number, samples: Float32Array): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  peaks[2 * c] = samples.length ? lo : 0;
  peaks[2 * c + 1] = samples.length ? hi : 0;
}

/** Every frame of the tile, max-pooled; peaks over every native sample, DC removed (dc-offset.ts). */
export async function computeExactTile(request: TileRequest, signal?: AbortSignal): Promise<Tile> {
  const { reader, geometry: g, dc, level, index, span } = request;
  const values = await computeDisplayFrames(reader, g, span.firstFrame, span.endFrame, signal);
  const frames = span.endFrame - span.firstFrame;
  const quantised = new Uint8Array(frames * g.binCount);
  quantiseValues(values, 'db', quantised);
  const data = poolColumns(quantised, frames, g.binCount, span.framesPerColumn);
  const nativeStart = nativeStartOfFrame(g, span.firstFrame);
  const native = await dc.readWithoutDc(nativeStart, nativeStartOfFrame(g, span.endFrame), signal);
  const peaks = new Float32Array(2 * span.columns);
  for (let c = 0; c < span.columns; c++) {
    const f = span.firstFrame + c * span.framesPerColumn;
    const from = nativeStartOfFrame(g, f) - nativeStart;
    const to = nativeStartOfFrame(g, Math.min(span.endFrame, f + span.framesPerColumn)) - nativeStart;
    writePeak(peaks, c, native.subarray(from, to));
  }
  return tile(level, index, span, g, data, peaks, false);
}

/**
 * SAMPLED_FRAMES_PER_COLUMN frames per column at evenly spread positions,
 * max-pooled; peaks from the samples those frames' columns own (DC: the
 * block's mean when known, else the frame's own). Short events between the
 * sampled frames can be missed, hence `approximate: true` until the exact
 * builder has replaced the tile.
 */
export async function computeSampledTile(request: TileRequest, signal?: AbortSignal): Promise<Tile> {
  const { reader, geometry: g, dc, level, index, span } = request;
  const positions: number[] = [];
  const owner: number[] = [];
  for (let c = 0; c < span.columns; c++) {
    const first = span.firstFrame + c * span.framesPerColumn;
    const count = Math.min(span.framesPerColumn, span.endFrame - first);
    const k = Math.min(count, SAMPLED_FRAMES_PER_COLUMN);
    for (let i = 0; i < k; i++) {
      positions.push(first + Math.floor(((i + 0.5) * count) / k));
      owner.push(c);
    }
  }
  const { values, owned } = await computeDisplayFramesAt(reader, g, positions, signal);
  const quantised = new Uint8Array(values.length);
  quantiseValues(values, 'db', quantised);
  const bins = g.binCount;
  const data = new Uint8Array(span.columns * bins);
  const peaks = new Float32Array(2 * span.columns);
  for (let i = 0; i < positions.length; i++) {
    const dst = owner[i] * bins;
    for (let b = 0; b < bins; b++) if (quantised[i * bins + b] > data[dst + b]) data[dst + b] = quantised[i * bins + b];
    // Peaks of the hop this frame's column owns, merged over the column's sampled frames.
    const own = owned[i];
    const mean = dc.known(Math.floor((positions[i] * g.hopSize) / DC_BLOCK_SAMPLES)) ?? blockMean(own, 0, own.length);
    for (let k = 0; k < own.length; k++) own[k] -= mean;
    const c = owner[i];
    const before = i > 0 && owner[i - 1] === c;
    const lo = peaks[2 * c];
    const hi = peaks[2 * c + 1];
    writePeak(peaks, c, own);
    if (before) {
      peaks[2 * c] = Math.min(lo, peaks[2 * c]);
      peaks[2 * c + 1] = Math.max(hi, peaks[2 * c + 1]);
    }
  }
  return tile(level, index, span, g, data, peaks, true);
}

function tile(level: number, index: number, span: TileSpan, g: TileGeometry, data: Uint8Array, peaks: Float32Array, approximate: boolean): Tile {
  return { level, index, columns: span.columns, bins: g.binCount, approximate, dbRange: [DISPLAY_DB_MIN, DISPLAY_DB_MAX], data, peaks };
}
