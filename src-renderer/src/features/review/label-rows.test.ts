import { describe, expect, it } from 'vitest';
import { assignRows } from './label-rows';
import { draggedSpan, dragMoved } from './span-drag';

const box = (id: number, x: number, width: number) => ({ item: { id }, x, width, count: 1 });

describe('assignRows', () => {
  it('puts overlapping labels in separate rows and reuses a row once it is free', () => {
    const { boxes, rows } = assignRows([box(1, 0, 50), box(2, 30, 40), box(3, 60, 20), box(4, 75, 10)]);
    const rowOf = Object.fromEntries(boxes.map((b) => [b.item.id, b.row]));
    expect(rowOf).toEqual({ 1: 0, 2: 1, 3: 0, 4: 1 });
    expect(rows).toBe(2);
    // No two boxes of one row overlap: captions cannot run into each other.
    for (const a of boxes) for (const b of boxes) {
      if (a !== b && a.row === b.row) expect(a.x + a.width <= b.x || b.x + b.width <= a.x).toBe(true);
    }
  });

  it('bounds the lane: past the last row, labels share it', () => {
    const stacked = Array.from({ length: 6 }, (_, i) => box(i, 0, 100));
    const { boxes, rows } = assignRows(stacked, 3);
    expect(rows).toBe(3);
    expect(boxes.map((b) => b.row)).toEqual([0, 1, 2, 2, 2, 2]);
  });
});

describe('span drags', () => {
  const vp = { startSeconds: 10, secondsPerPixel: 0.1, widthPx: 1000 };

  it('moves a span as a whole, keeping its length, never past either end of the recording', () => {
    const move = (x: number) => draggedSpan({ kind: 'move', id: 1, start: 20, end: 25, x0: 100, x }, vp, 60);
    expect(move(150)).toEqual([25, 30]);
    expect(move(-1000)).toEqual([0, 5]);
    expect(move(1000)).toEqual([55, 60]);
    expect(dragMoved({ kind: 'move', id: 1, start: 20, end: 25, x0: 100, x: 102 })).toBe(false); // a click, not a move
  });

  it('resizes by either edge (crossing over swaps them) and draws in either direction', () => {
    // Grabbed 3 px inside the end edge (x 147 = 24.7 s) and moved 50 px: the end moves 5 s, from where it was.
    expect(draggedSpan({ kind: 'resize', id: 1, start: 20, end: 25, edge: 'end', x0: 147, x: 197 }, vp, 60)).toEqual([20, 30]);
    expect(draggedSpan({ kind: 'resize', id: 1, start: 20, end: 25, edge: 'start', x0: 100, x: 200 }, vp, 60)).toEqual([25, 30]);
    expect(draggedSpan({ kind: 'create', x0: 300, x1: 100 }, vp, 60)).toEqual([20, 40]);
  });
});
