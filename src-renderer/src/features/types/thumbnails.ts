/**
 * Member spectrogram thumbnails for the map's hover card and the gallery:
 * fetched in batches (one request, one shared colour scale), cached, and
 * drawn with one fixed pixel size per column and per row, so every thumbnail
 * shares the same time and frequency axes.
 */
import type { MemberThumbnails } from '../../../../src-shared/cluster-calls';
import { call } from '../../lib/api';
import { colormapTable } from '../../lib/colormap';

export interface DecodedThumbnail {
  memberId: number;
  columns: number;
  rows: number;
  truncated: boolean;
  /** rows × columns bytes, row 0 = lowest frequency (0 = no data). */
  data: Uint8Array;
  secondsPerColumn: number;
  maxHz: number;
}

export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function decodeThumbnails(answer: MemberThumbnails): DecodedThumbnail[] {
  return answer.items.map((item) => ({
    memberId: item.memberId, columns: item.columns, rows: answer.rows, truncated: item.truncated, data: decodeBase64(item.data),
    secondsPerColumn: answer.secondsPerColumn, maxHz: answer.maxHz,
  }));
}

/** Thumbnails by member id; one request per batch of missing ones. The cache is dropped when the run changes. */
export class ThumbnailCache {
  private readonly cache = new Map<number, DecodedThumbnail>();
  private readonly pending = new Map<number, Promise<DecodedThumbnail | undefined>>();
  private runId: number | null = null;

  reset(runId: number): void {
    if (runId === this.runId) return;
    this.runId = runId;
    this.cache.clear();
    this.pending.clear();
  }

  get(memberId: number): DecodedThumbnail | undefined {
    return this.cache.get(memberId);
  }

  /** Loads the missing ones of `memberIds` (in batches of 200) and resolves when all are there. */
  async load(memberIds: readonly number[]): Promise<void> {
    const missing = memberIds.filter((id) => !this.cache.has(id) && !this.pending.has(id));
    for (let i = 0; i < missing.length; i += 200) {
      const batch = missing.slice(i, i + 200);
      const request = call('clusters:thumbnails', { memberIds: batch, rows: 40, secondsPerColumn: 0.005, maxColumns: 300 }).then((answer) => {
        for (const t of decodeThumbnails(answer)) this.cache.set(t.memberId, t);
      });
      for (const id of batch) this.pending.set(id, request.then(() => this.cache.get(id)).finally(() => this.pending.delete(id)));
    }
    await Promise.all(memberIds.map((id) => this.pending.get(id)));
  }
}

/** Draws a thumbnail at `pxPerColumn` × `pxPerRow` per cell (low frequencies at the bottom). */
export function drawThumbnail(canvas: HTMLCanvasElement, t: DecodedThumbnail, pxPerColumn: number, pxPerRow: number): void {
  const width = Math.max(1, Math.round(t.columns * pxPerColumn));
  const height = Math.max(1, Math.round(t.rows * pxPerRow));
  canvas.width = t.columns;
  canvas.height = t.rows;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(t.columns, t.rows);
  const table = colormapTable('magma');
  for (let row = 0; row < t.rows; row++) {
    const y = t.rows - 1 - row;
    for (let c = 0; c < t.columns; c++) {
      const v = t.data[row * t.columns + c];
      const at = 4 * (y * t.columns + c);
      if (v === 0) {
        image.data.set([20, 23, 28, 255], at);
      } else {
        const k = 4 * Math.round(((v - 1) * 255) / 254);
        image.data.set([table[k], table[k + 1], table[k + 2], 255], at);
      }
    }
  }
  ctx.putImageData(image, 0, 0);
}
