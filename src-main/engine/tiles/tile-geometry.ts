/**
 * Where tiles lie in time: the pyramid's levels and which STFT frames and
 * native samples each column covers.
 *
 * Display spectrograms are computed at the recording's native rate with the
 * researcher's display settings (FFT size, window, overlap), never resampled:
 * the frequency axis runs to the file's own Nyquist and no resampler can add
 * images. Level 0 has one column per hop: column f owns native samples
 * [f·hop, (f+1)·hop), and its STFT frame is centred on that span (frame f
 * covers samples [f·hop − lead, f·hop − lead + fft), lead = fft/2 − ⌊hop/2⌋,
 * zeros outside the file) — so a 4096-point frame at 2 kHz does not show a
 * call two seconds early. Level L has one column per 2^L frames; the top
 * level is the first whose columns fit in one tile. Every native sample
 * belongs to exactly one column at every level.
 */
import type { AudioInfo } from '../../../src-shared/audio-types';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { displayHop, type DisplaySpectrogramSettings, type DisplayWindow } from '../../../src-shared/display-types';
import { TILE_COLUMNS } from './tile-format';

export interface TileGeometry {
  nativeRate: number;
  /** Native frames in the file (per channel). */
  nativeFrames: number;
  /** STFT frames = level-0 columns: ceil(nativeFrames / hop). */
  frameCount: number;
  /** fft/2: bins 0 … Nyquist − one bin. */
  binCount: number;
  hopSize: number;
  fftSize: number;
  window: DisplayWindow;
  /** Zeros before sample 0 in frame 0 (see the file comment). */
  leadSamples: number;
  /** Number of levels (0 … levels − 1); the top one is a single tile. */
  levels: number;
  /** Channel shown (the project's channel, or the file's last one if it has fewer). */
  channel: number;
}

/** The geometry of a recording's display spectrogram. */
export function tileGeometry(
  info: Pick<AudioInfo, 'sampleRate' | 'frames' | 'channels'>,
  settings: DisplaySpectrogramSettings,
  channel: number,
): TileGeometry {
  const hopSize = displayHop(settings);
  const frameCount = info.frames > 0 ? Math.ceil(info.frames / hopSize) : 0;
  let top = 0;
  while (Math.ceil(frameCount / 2 ** top) > TILE_COLUMNS) top++;
  return {
    nativeRate: info.sampleRate,
    nativeFrames: info.frames,
    frameCount,
    binCount: settings.fftSize / 2,
    hopSize,
    fftSize: settings.fftSize,
    window: settings.window,
    leadSamples: settings.fftSize / 2 - Math.floor(hopSize / 2),
    levels: top + 1,
    channel: Math.min(channel, Math.max(0, info.channels - 1)),
  };
}

/**
 * The STFT configuration of the display (dB, full band up to Nyquist, native
 * rate). Built directly, not validated as a model feature config: display
 * works at any native rate, including those below the analysis minimum.
 */
export function displayStftConfig(g: TileGeometry): FeatureConfig {
  return {
    version: 1,
    analysisSampleRate: g.nativeRate,
    channel: g.channel,
    fftSize: g.fftSize,
    hopSize: g.hopSize,
    magnitude: 'db',
    band: { lowHz: 0, highHz: g.nativeRate / 2 },
    windowFrames: 1,
    windowStride: 1,
    normalisation: 'none',
  };
}

/** Centre frequency of each display row, row 0 = 0 Hz. */
export function displayFrequencies(g: TileGeometry): number[] {
  return Array.from({ length: g.binCount }, (_, k) => (k * g.nativeRate) / g.fftSize);
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

/** First native sample owned by STFT frame f (nativeFrames for f ≥ frameCount). */
export function nativeStartOfFrame(g: TileGeometry, f: number): number {
  if (f >= g.frameCount) return g.nativeFrames;
  return Math.min(g.nativeFrames, f * g.hopSize);
}

/** Seconds per level-0 column (one hop at the native rate). */
export function hopSeconds(g: TileGeometry): number {
  return g.hopSize / g.nativeRate;
}
