/**
 * The binary form of one spectrogram tile, identical on disk (the cache) and
 * on the wire (`/media/tiles/…`): part of the contract between main and the
 * renderer, so both import this one definition. DataView/typed arrays only.
 *
 * Layout (all little-endian), HEADER_BYTES = 32:
 *   0  4 bytes  magic "STIL"
 *   4  u16      format version (TILE_FORMAT_VERSION)
 *   6  u16      flags: bit 0 = approximate (columns sampled, see tile-compute.ts)
 *   8  u32      level L (one column = 2^L STFT frames, max-pooled)
 *  12  u32      tile index (first column = index · TILE_COLUMNS)
 *  16  u32      columns C actually present (< TILE_COLUMNS only in the last tile)
 *  20  u32      bins B (fftSize/2 of the display settings: 0 Hz … one bin below Nyquist)
 *  24  f32      dB value of byte 0 (DISPLAY_DB_MIN)
 *  28  f32      dB value of byte 255 (DISPLAY_DB_MAX)
 *  32  f32[2C]  waveform peaks: min, max of column c at [2c], [2c+1] (native samples, DC offset removed)
 *  32+8C u8[C·B] spectrogram: byte [c·B + b] = column c, bin b (bin 0 = lowest frequency)
 *
 * Quantisation: byte = round(255 · (clamp(dB, min, max) − min) / (max − min)),
 * dB = min + byte · (max − min) / 255. Fixed for every tile so tiles can be
 * stitched and the renderer owns colour map, brightness and contrast.
 */

/** Columns per tile. 512 columns × 256 bins ≈ 132 KiB per tile. */
export const TILE_COLUMNS = 512;
/** Bump when the bytes of a tile would change for the same input (invalidates every cache). */
export const TILE_FORMAT_VERSION = 2;
/** Lowest displayable level (byte 0): below the quietest real recordings, above digital silence (−160 dB). */
export const DISPLAY_DB_MIN = -140;
/** Highest displayable level (byte 255): digital full scale. */
export const DISPLAY_DB_MAX = 0;
export const HEADER_BYTES = 32;
const MAGIC = 0x4c495453; // "STIL" read as a little-endian u32
const FLAG_APPROXIMATE = 1;

/** One decoded tile. */
export interface Tile {
  level: number;
  index: number;
  columns: number;
  bins: number;
  approximate: boolean;
  dbRange: [number, number];
  /** columns × bins bytes, data[c·bins + b]. */
  data: Uint8Array;
  /** min, max per column: peaks[2c], peaks[2c+1]. */
  peaks: Float32Array;
}

/** Serialises a tile to its binary form. */
export function encodeTile(tile: Tile): Uint8Array {
  const { columns, bins } = tile;
  if (tile.data.length !== columns * bins || tile.peaks.length !== 2 * columns) {
    throw new RangeError(`encodeTile: ${columns}×${bins} tile with ${tile.data.length} bytes and ${tile.peaks.length} peaks`);
  }
  const bytes = new Uint8Array(HEADER_BYTES + 8 * columns + columns * bins);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, TILE_FORMAT_VERSION, true);
  view.setUint16(6, tile.approximate ? FLAG_APPROXIMATE : 0, true);
  view.setUint32(8, tile.level, true);
  view.setUint32(12, tile.index, true);
  view.setUint32(16, columns, true);
  view.setUint32(20, bins, true);
  view.setFloat32(24, tile.dbRange[0], true);
  view.setFloat32(28, tile.dbRange[1], true);
  for (let i = 0; i < 2 * columns; i++) view.setFloat32(HEADER_BYTES + 4 * i, tile.peaks[i], true);
  bytes.set(tile.data, HEADER_BYTES + 8 * columns);
  return bytes;
}

/** Parses a tile's binary form; null when the bytes are not a complete tile of this format version. */
export function decodeTile(bytes: Uint8Array): Tile | null {
  if (bytes.length < HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint16(4, true) !== TILE_FORMAT_VERSION) return null;
  const columns = view.getUint32(16, true);
  const bins = view.getUint32(20, true);
  if (bytes.length !== HEADER_BYTES + 8 * columns + columns * bins) return null;
  const peaks = new Float32Array(2 * columns);
  for (let i = 0; i < peaks.length; i++) peaks[i] = view.getFloat32(HEADER_BYTES + 4 * i, true);
  return {
    level: view.getUint32(8, true),
    index: view.getUint32(12, true),
    columns,
    bins,
    approximate: (view.getUint16(6, true) & FLAG_APPROXIMATE) !== 0,
    dbRange: [view.getFloat32(24, true), view.getFloat32(28, true)],
    data: bytes.slice(HEADER_BYTES + 8 * columns),
    peaks,
  };
}
