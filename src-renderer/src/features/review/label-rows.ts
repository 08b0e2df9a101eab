/**
 * Rows of the label lane. Time-only labels are drawn as bars in a lane above
 * the spectrogram (never as boxes over it, which would read as frequency
 * bounds); labels that overlap in time go to different rows, so their
 * captions never run into each other ("sound" over "silence" must not read
 * "sousilence").
 */
import type { SpanBox } from './spans';

/** A box with the row it is drawn in (0 = top). */
export interface RowBox<T> extends SpanBox<T> {
  row: number;
}

/**
 * Assigns each box the first row whose last box ends (plus `gapPx`) before
 * it starts: greedy interval partitioning over start-sorted boxes, which uses
 * the fewest rows possible. Boxes past `maxRows` rows share the last row (the
 * lane stays bounded; their tooltip still names each label).
 */
export function assignRows<T>(boxes: readonly SpanBox<T>[], maxRows = 4, gapPx = 2): { boxes: RowBox<T>[]; rows: number } {
  const rowEnds: number[] = [];
  const placed: RowBox<T>[] = [];
  for (const box of [...boxes].sort((a, b) => a.x - b.x)) {
    let row = rowEnds.findIndex((end) => end + gapPx <= box.x);
    if (row < 0) row = rowEnds.length < maxRows ? rowEnds.length : maxRows - 1;
    rowEnds[row] = Math.max(rowEnds[row] ?? -Infinity, box.x + box.width);
    placed.push({ ...box, row });
  }
  return { boxes: placed, rows: Math.max(1, rowEnds.length) };
}
