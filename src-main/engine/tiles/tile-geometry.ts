/**
 * Where tiles lie in time: the pyramid's levels and which STFT frames and
 * native samples each column covers.
 *
 * Level 0 has one column per STFT frame of the feature pipeline (frame f
 * covers analysis samples [f·hop, f·hop + fft)). Level L has one column per
 * 2^L frames: column c covers frames [c·2^L, min((c+1)·2^L, frameCount)).
 * The top level is the first whose columns fit in one tile.
 *
 * For the waveform, frame f "owns" the native samples from
 * nativeStartOfFrame(f) (= ceil(f·hop·N/A), N native rate, A analysis rate)
 * up to nativeStartOfFrame(f + 1), so every native sample belongs to exactly
 * one column at every level.
 */
import type { AudioInfo } from '../../../src-shared/audio-types';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { frameCount as stftFrameCount, keptBins, resampledLength } from '../features';
import { TILE_COLUMNS } from './tile-format';

export interface TileGeometry {
  nativeRate: number;
  analysisRate: number;
  /** Native frames in the file (per channel). */
  nativeFrames: number;
  /** Samples after resampling to the analysis rate: round(nativeFrames·A/N). */
  analysisSamples: number;
  /** STFT frames = level-0 columns. */
  frameCount: number;
  binCount: number;
  hopSize: number;
  fftSize: number;
  /** Number of levels (0 … levels − 1); the top one is a single tile. */
  levels: number;
  /** Channel actually shown (the project's channel, or the file's last one if it has fewer). */
  channel: number;
}

/** The geometry of a recording under a feature config. */
export function tileGeometry(info: Pick<AudioInfo, 'sampleRate' | 'frames' | 'channels'>, config: FeatureConfig): TileGeometry {
  const analysisSamples = resampledLength(info.frames, info.sampleRate, config.analysisSampleRate);
  const frameCount = stftFrameCount(analysisSamples, config);
  let top = 0;
  while (Math.ceil(frameCount / 2 ** top) > TILE_COLUMNS) top++;
  return {
    nativeRate: info.sampleRate,
    analysisRate: config.analysisSampleRate,
    nativeFrames: info.frames,
    analysisSamples,
    frameCount,
    binCount: keptBins(config).binCount,
    hopSize: config.hopSize,
    fftSize: config.fftSize,
    levels: top + 1,
    channel: Math.min(config.channel, Math.max(0, info.channels - 1)),
  };
}

/** Columns at `level`: ceil(frameCount / 2^level). */
export function levelColumns(g: TileGeometry, level: number): number {
  return Math.ceil(g.frameCount / 2 ** level);
}

/** Tiles at `level`. */
export function levelTiles(g: TileGeometry, level: number): number {
  return Math.ceil(levelColumns(g, level) / TILE_COLUMNS);
}

/** The columns and frames of one tile. */
export interface TileSpan {
  firstColumn: number;
  columns: number;
  /** Frames [firstFrame, endFrame) covered by the tile's columns. */
  firstFrame: number;
  endFrame: number;
  /** Frames per column (2^level); the last column of the recording may cover fewer. */
  framesPerColumn: number;
}

/** The span of tile `index` at `level`, or null when there is no such tile. */
export function tileSpan(g: TileGeometry, level: number, index: number): TileSpan | null {
  if (!Number.isInteger(level) || level < 0 || level >= g.levels) return null;
  if (!Number.isInteger(index) || index < 0 || index >= levelTiles(g, level)) return null;
  const framesPerColumn = 2 ** level;
  const firstColumn = index * TILE_COLUMNS;
  const columns = Math.min(TILE_COLUMNS, levelColumns(g, level) - firstColumn);
  const firstFrame = firstColumn * framesPerColumn;
  const endFrame = Math.min(g.frameCount, (firstColumn + columns) * framesPerColumn);
  return { firstColumn, columns, firstFrame, endFrame, framesPerColumn };
}

/** ceil(a·b / c) for non-negative integers, exact even past 2^53. */
function ceilMulDiv(a: number, b: number, c: number): number {
  const product = a * b;
  if (product <= Number.MAX_SAFE_INTEGER) return Math.ceil(product / c);
  const big = BigInt(a) * BigInt(b);
  const q = big / BigInt(c);
  return Number(big % BigInt(c) === 0n ? q : q + 1n);
}

/** First native sample owned by STFT frame f (nativeFrames for f ≥ frameCount). */
export function nativeStartOfFrame(g: TileGeometry, f: number): number {
  if (f >= g.frameCount) return g.nativeFrames;
  if (g.nativeRate === g.analysisRate) return Math.min(g.nativeFrames, f * g.hopSize);
  return Math.min(g.nativeFrames, ceilMulDiv(f * g.hopSize, g.nativeRate, g.analysisRate));
}

/** Seconds per level-0 column (one hop at the analysis rate). */
export function hopSeconds(g: TileGeometry): number {
  return g.hopSize / g.analysisRate;
}
