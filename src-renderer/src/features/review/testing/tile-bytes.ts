import { TILE_FORMAT_VERSION } from '../../../../../src-shared/tile-format';
/** Test-only: writes tile bytes per the layout in src-main/engine/tiles/tile-format.ts. */
export function tileBytes(level: number, index: number, columns: number, bins: number, approximate: boolean, fill = 0): Uint8Array {
  const bytes = new Uint8Array(32 + 8 * columns + columns * bins);
  const view = new DataView(bytes.buffer);
  bytes.set([0x53, 0x54, 0x49, 0x4c]); // "STIL"
  view.setUint16(4, TILE_FORMAT_VERSION, true);
  view.setUint16(6, approximate ? 1 : 0, true);
  view.setUint32(8, level, true);
  view.setUint32(12, index, true);
  view.setUint32(16, columns, true);
  view.setUint32(20, bins, true);
  view.setFloat32(24, -140, true);
  view.setFloat32(28, 0, true);
  bytes.fill(fill, 32 + 8 * columns);
  return bytes;
}
