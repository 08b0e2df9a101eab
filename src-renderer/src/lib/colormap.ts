/**
 * Colouring of spectrogram tiles: a perceptual colour map (viridis, magma, …)
 * over a dB window the researcher controls (floor and range), because a fixed
 * mapping makes faint calls disappear in a too-dark display.
 *
 * Tiles carry bytes (0…255 over the tile's dB range), so colouring is a
 * 256-entry lookup table per display setting: cheap enough to redo on every
 * slider move.
 */
import { interpolateGreys, interpolateInferno, interpolateMagma, interpolateViridis, rgb } from 'd3';

export const COLORMAP_NAMES = ['viridis', 'magma', 'inferno', 'greys'] as const;
export type ColormapName = (typeof COLORMAP_NAMES)[number];

/** Maps t ∈ [0, 1] (quiet → loud) to a CSS colour. Greys runs black → white so loud is bright on the dark UI. */
export const COLORMAP_INTERPOLATORS: Record<ColormapName, (t: number) => string> = {
  viridis: interpolateViridis,
  magma: interpolateMagma,
  inferno: interpolateInferno,
  greys: (t) => interpolateGreys(1 - t),
};

/** How dB values become colours: values ≤ floorDb get the map's first colour, ≥ floorDb + rangeDb its last. */
export interface DisplaySettings {
  colormap: ColormapName;
  floorDb: number;
  rangeDb: number;
}

export const DEFAULT_DISPLAY: DisplaySettings = { colormap: 'viridis', floorDb: -110, rangeDb: 80 };

const tableCache = new Map<ColormapName, Uint8ClampedArray>();

/** 256 RGBA entries sampling the colour map at t = i / 255. */
export function colormapTable(name: ColormapName): Uint8ClampedArray {
  let table = tableCache.get(name);
  if (table) return table;
  table = new Uint8ClampedArray(256 * 4);
  const interpolate = COLORMAP_INTERPOLATORS[name];
  for (let i = 0; i < 256; i++) {
    const c = rgb(interpolate(i / 255));
    table[4 * i] = c.r;
    table[4 * i + 1] = c.g;
    table[4 * i + 2] = c.b;
    table[4 * i + 3] = 255;
  }
  tableCache.set(name, table);
  return table;
}

/** The position t ∈ [0, 1] of a dB value in the display window. */
export function displayPosition(db: number, settings: Pick<DisplaySettings, 'floorDb' | 'rangeDb'>): number {
  const t = (db - settings.floorDb) / Math.max(1e-6, settings.rangeDb);
  return t <= 0 || Number.isNaN(t) ? 0 : t >= 1 ? 1 : t;
}

/**
 * RGBA per tile byte (256 × 4): byte → dB (through the tile's dB range) →
 * position in the display window → colour map entry.
 */
export function byteColourTable(settings: DisplaySettings, dbRange: [number, number]): Uint8ClampedArray {
  const table = colormapTable(settings.colormap);
  const lut = new Uint8ClampedArray(256 * 4);
  const step = (dbRange[1] - dbRange[0]) / 255;
  for (let b = 0; b < 256; b++) {
    const i = Math.round(255 * displayPosition(dbRange[0] + b * step, settings));
    lut.set(table.subarray(4 * i, 4 * i + 4), 4 * b);
  }
  return lut;
}

/**
 * RGBA pixels of a tile, `columns` wide and `bins` high, the highest
 * frequency in the top row (tile data has bin 0 = lowest frequency).
 */
export function colourTile(data: Uint8Array, columns: number, bins: number, lut: Uint8ClampedArray, out = new Uint8ClampedArray(columns * bins * 4)): Uint8ClampedArray {
  for (let c = 0; c < columns; c++) {
    const column = c * bins;
    for (let b = 0; b < bins; b++) {
      const src = 4 * data[column + b];
      const dst = 4 * ((bins - 1 - b) * columns + c);
      out[dst] = lut[src];
      out[dst + 1] = lut[src + 1];
      out[dst + 2] = lut[src + 2];
      out[dst + 3] = lut[src + 3];
    }
  }
  return out;
}

/**
 * A display window fitted to the data: the floor at the 5th percentile
 * (background noise a little above black), the top at the 99.7th percentile
 * (loudest calls saturate). Byte 0 (digital silence, padding) is ignored so
 * zero-filled stretches cannot pull the floor down. Null when there is no data.
 */
export function autoLevels(data: Uint8Array, dbRange: [number, number]): { floorDb: number; rangeDb: number } | null {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) histogram[data[i]]++;
  const total = data.length - histogram[0];
  if (total <= 0) return null;
  const percentileByte = (p: number): number => {
    const target = p * total;
    let seen = 0;
    for (let b = 1; b < 256; b++) {
      seen += histogram[b];
      if (seen >= target) return b;
    }
    return 255;
  };
  const step = (dbRange[1] - dbRange[0]) / 255;
  const floorDb = dbRange[0] + percentileByte(0.05) * step;
  const topDb = dbRange[0] + percentileByte(0.997) * step;
  // At least 20 dB of range, so a near-constant tile is not blown up into noise.
  return { floorDb: Math.round(floorDb), rangeDb: Math.round(Math.max(20, topDb - floorDb)) };
}
