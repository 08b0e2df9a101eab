import { describe, expect, it } from 'vitest';
import { decodeTileBytes, TILE_HEADER_BYTES } from './tile-decode';

/** Writes a tile byte by byte from the layout documented in src-main/engine/tiles/tile-format.ts. */
function encodeByHand(o: { level: number; index: number; columns: number; bins: number; approximate: boolean; version?: number; magic?: string }): Uint8Array {
  const bytes = new Uint8Array(32 + 8 * o.columns + o.columns * o.bins);
  const view = new DataView(bytes.buffer);
  const magic = o.magic ?? 'STIL';
  for (let i = 0; i < 4; i++) bytes[i] = magic.charCodeAt(i);
  view.setUint16(4, o.version ?? 2, true);
  view.setUint16(6, o.approximate ? 1 : 0, true);
  view.setUint32(8, o.level, true);
  view.setUint32(12, o.index, true);
  view.setUint32(16, o.columns, true);
  view.setUint32(20, o.bins, true);
  view.setFloat32(24, -140, true);
  view.setFloat32(28, 0, true);
  for (let c = 0; c < o.columns; c++) {
    view.setFloat32(32 + 8 * c, -c / 10, true);
    view.setFloat32(32 + 8 * c + 4, c / 8, true);
  }
  for (let c = 0; c < o.columns; c++) for (let b = 0; b < o.bins; b++) bytes[32 + 8 * o.columns + c * o.bins + b] = (c * 7 + b * 3) % 256;
  return bytes;
}

describe('decodeTileBytes', () => {
  it('reads header, peaks and column-major bytes as documented', () => {
    const tile = decodeTileBytes(encodeByHand({ level: 3, index: 17, columns: 5, bins: 4, approximate: true }).buffer as ArrayBuffer);
    expect(tile).not.toBeNull();
    expect(tile!.level).toBe(3);
    expect(tile!.index).toBe(17);
    expect(tile!.columns).toBe(5);
    expect(tile!.bins).toBe(4);
    expect(tile!.approximate).toBe(true);
    expect(tile!.dbRange).toEqual([-140, 0]);
    expect(tile!.peaks[2 * 3]).toBeCloseTo(-0.3, 6);
    expect(tile!.peaks[2 * 3 + 1]).toBeCloseTo(3 / 8, 6);
    expect(tile!.data[2 * 4 + 1]).toBe((2 * 7 + 3) % 256);
    expect(tile!.data.length).toBe(20);
  });

  it('decodes from a view into a larger buffer and reads the exact flag', () => {
    const inner = encodeByHand({ level: 0, index: 0, columns: 2, bins: 3, approximate: false });
    const outer = new Uint8Array(inner.length + 10);
    outer.set(inner, 7);
    const tile = decodeTileBytes(outer.subarray(7, 7 + inner.length));
    expect(tile?.approximate).toBe(false);
    expect(tile?.peaks[3]).toBeCloseTo(1 / 8, 6);
  });

  it('refuses short, foreign, newer-version and truncated tiles', () => {
    expect(decodeTileBytes(new Uint8Array(TILE_HEADER_BYTES - 1))).toBeNull();
    expect(decodeTileBytes(encodeByHand({ level: 0, index: 0, columns: 2, bins: 2, approximate: false, magic: 'RIFF' }))).toBeNull();
    expect(decodeTileBytes(encodeByHand({ level: 0, index: 0, columns: 2, bins: 2, approximate: false, version: 3 }))).toBeNull();
    const ok = encodeByHand({ level: 0, index: 0, columns: 2, bins: 2, approximate: false });
    expect(decodeTileBytes(ok.subarray(0, ok.length - 1))).toBeNull();
  });
});
