/**
 * Helpers over time spans (regions and labels): sorting, finding what lies
 * under a point, and laying out only what is visible so a recording with
 * thousands of regions stays cheap to draw.
 */
import { secondsToX, viewportEnd, type Viewport } from './viewport';

export interface TimeSpan {
  id: number;
  startSeconds: number;
  endSeconds: number;
}

/** Sorted by start, then end, then id (stable order for next/previous). */
export function sortSpans<T extends TimeSpan>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.startSeconds - b.startSeconds || a.endSeconds - b.endSeconds || a.id - b.id);
}

/** Index of the first item whose start is ≥ `seconds` in a start-sorted list. */
function lowerBound(items: readonly TimeSpan[], seconds: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].startSeconds < seconds) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The shortest item containing `seconds` (innermost wins when they overlap), or null. */
export function spanAt<T extends TimeSpan>(items: readonly T[], seconds: number): T | null {
  let best: T | null = null;
  for (const item of items) {
    if (item.startSeconds <= seconds && seconds < item.endSeconds) {
      if (!best || item.endSeconds - item.startSeconds < best.endSeconds - best.startSeconds) best = item;
    }
  }
  return best;
}

/**
 * The neighbour of `currentId` in start order, `direction` steps away; with
 * no current item, the first item starting after (or the last before)
 * `fromSeconds`. Null at either end.
 */
export function neighbourSpan<T extends TimeSpan>(sorted: readonly T[], currentId: number | null, fromSeconds: number, direction: 1 | -1): T | null {
  if (sorted.length === 0) return null;
  const index = currentId === null ? -1 : sorted.findIndex((s) => s.id === currentId);
  if (index >= 0) return sorted[index + direction] ?? null;
  if (direction > 0) return sorted[lowerBound(sorted, fromSeconds)] ?? null;
  const before = lowerBound(sorted, fromSeconds) - 1;
  return before >= 0 ? sorted[before] : null;
}

/** A visible item in pixels; `count` > 1 when several sub-pixel items were drawn as one. */
export interface SpanBox<T> {
  item: T;
  x: number;
  width: number;
  count: number;
}

/**
 * The items overlapping the viewport as boxes in pixels. Items narrower than
 * `minPx` that touch the previous box are folded into it (their count adds
 * up), so a zoomed-out view of ten thousand regions draws at most about one
 * box per pixel.
 */
export function layoutSpans<T extends TimeSpan>(sorted: readonly T[], vp: Viewport, minPx = 2): SpanBox<T>[] {
  const end = viewportEnd(vp);
  const boxes: SpanBox<T>[] = [];
  // Items may start before the view and still reach into it; start-sorting alone cannot bound that, so scan from 0 only once.
  for (const item of sorted) {
    if (item.startSeconds >= end) break;
    if (item.endSeconds <= vp.startSeconds) continue;
    const x0 = Math.max(-1, secondsToX(vp, item.startSeconds));
    const x1 = Math.min(vp.widthPx + 1, secondsToX(vp, item.endSeconds));
    const last = boxes[boxes.length - 1];
    if (last && x1 - x0 < minPx && x0 <= last.x + last.width + minPx && last.width < 4 * minPx) {
      last.width = Math.max(last.width, x1 - last.x);
      last.count++;
      continue;
    }
    boxes.push({ item, x: x0, width: Math.max(1, x1 - x0), count: 1 });
  }
  return boxes;
}
