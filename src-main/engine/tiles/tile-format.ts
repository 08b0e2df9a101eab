/**
 * Tile format (src-shared/tile-format.ts, shared with the renderer) plus the
 * engine-only quantisation of spectrogram values into display bytes.
 */
import { DISPLAY_DB_MAX, DISPLAY_DB_MIN } from '../../../src-shared/tile-format';

export {
  TILE_COLUMNS, TILE_FORMAT_VERSION, DISPLAY_DB_MIN, DISPLAY_DB_MAX, HEADER_BYTES, encodeTile, decodeTile, type Tile,
} from '../../../src-shared/tile-format';

const SCALE = 255 / (DISPLAY_DB_MAX - DISPLAY_DB_MIN);

/** Quantises one dB value to a display byte (formula in src-shared/tile-format.ts). */
export function quantiseDb(db: number): number {
  if (!(db > DISPLAY_DB_MIN)) return 0; // also NaN
  if (db >= DISPLAY_DB_MAX) return 255;
  return Math.round((db - DISPLAY_DB_MIN) * SCALE);
}

/**
 * Quantises spectrogram values (dB or linear magnitude, per the feature
 * config) into `out`. Linear magnitudes are shown in dB (20·log10) because a
 * linear colour scale hides everything but the loudest call.
 */
export function quantiseValues(values: Float32Array, magnitude: 'db' | 'linear', out: Uint8Array, outOffset = 0): void {
  if (magnitude === 'db') {
    for (let i = 0; i < values.length; i++) out[outOffset + i] = quantiseDb(values[i]);
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      out[outOffset + i] = v > 0 ? quantiseDb(20 * Math.log10(v)) : 0;
    }
  }
}

