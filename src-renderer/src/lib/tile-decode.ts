/**
 * Renderer-side decoder for spectrogram tiles as served at
 * `${mediaBase}/tiles/<recordingId>/<level>/<index>`.
 *
 * The layout is owned by src-main/engine/tiles/tile-format.ts; the renderer may
 * not import src-main (layering rule), so the few constants are duplicated
 * here. Keep them in step with that file (TILE_FORMAT_VERSION bumps there
 * must be mirrored here).
 *
 * Layout (little-endian), 32-byte header:
 *   0 "STIL" · 4 u16 version · 6 u16 flags (bit 0 approximate) · 8 u32 level
 *   12 u32 index · 16 u32 columns C · 20 u32 bins B · 24 f32 dB of byte 0
 *   28 f32 dB of byte 255 · 32 f32[2C] peaks (min, max per column) · u8[C·B]
 *   data[c·B + b] (bin 0 = lowest frequency).
 */

/** Mirrors TILE_COLUMNS in tile-format.ts. */
export const TILE_COLUMNS = 512;
/** Mirrors TILE_FORMAT_VERSION in tile-format.ts. */
export const TILE_FORMAT_VERSION = 1;
/** Mirrors HEADER_BYTES in tile-format.ts. */
export const TILE_HEADER_BYTES = 32;
const MAGIC = 0x4c495453; // "STIL" read as a little-endian u32
const FLAG_APPROXIMATE = 1;

/** One decoded tile: `data[c·bins + b]` bytes and min/max `peaks[2c], peaks[2c+1]`. */
export interface DecodedTile {
  level: number;
  index: number;
  columns: number;
  bins: number;
  approximate: boolean;
  /** dB of byte 0 and of byte 255. */
  dbRange: [number, number];
  data: Uint8Array;
  peaks: Float32Array;
}

/**
 * Parses one tile. Returns null when the bytes are not a complete tile of the
 * format version this renderer understands (damaged download, or a newer app).
 */
export function decodeTileBytes(input: ArrayBuffer | Uint8Array): DecodedTile | null {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < TILE_HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint16(4, true) !== TILE_FORMAT_VERSION) return null;
  const columns = view.getUint32(16, true);
  const bins = view.getUint32(20, true);
  if (bytes.length !== TILE_HEADER_BYTES + 8 * columns + columns * bins) return null;
  const peaks = new Float32Array(2 * columns);
  for (let i = 0; i < peaks.length; i++) peaks[i] = view.getFloat32(TILE_HEADER_BYTES + 4 * i, true);
  return {
    level: view.getUint32(8, true),
    index: view.getUint32(12, true),
    columns,
    bins,
    approximate: (view.getUint16(6, true) & FLAG_APPROXIMATE) !== 0,
    dbRange: [view.getFloat32(24, true), view.getFloat32(28, true)],
    data: bytes.slice(TILE_HEADER_BYTES + 8 * columns),
    peaks,
  };
}
