/**
 * Renderer-side access to spectrogram tiles as served at
 * `${mediaBase}/tiles/<recordingId>/<level>/<index>`. The layout is defined
 * once, in src-shared/tile-format.ts, shared with the main process.
 */
import { decodeTile, HEADER_BYTES, type Tile } from '../../../src-shared/tile-format';

export { TILE_COLUMNS, TILE_FORMAT_VERSION } from '../../../src-shared/tile-format';
export const TILE_HEADER_BYTES = HEADER_BYTES;

/** One decoded tile: `data[c·bins + b]` bytes and min/max `peaks[2c], peaks[2c+1]`. */
export type DecodedTile = Tile;

/**
 * Parses one tile. Returns null when the bytes are not a complete tile of the
 * format version this renderer understands (damaged download, or a newer app).
 */
export function decodeTileBytes(input: ArrayBuffer | Uint8Array): DecodedTile | null {
  return decodeTile(input instanceof Uint8Array ? input : new Uint8Array(input));
}
