/**
 * What a pointer drag does to a time span, as pure arithmetic: drawing a new
 * label, resizing one by an edge, or moving one as a whole (its length kept,
 * never pushed past either end of the recording). Shared by the label lane
 * and the spectrogram overlay, and tested without a DOM.
 */
import { xToSeconds, type Viewport } from './viewport';

/** A drag in progress; x positions are pixels inside the surface. */
export type SpanDrag =
  | { kind: 'create'; x0: number; x1: number }
  | { kind: 'resize'; id: number; start: number; end: number; edge: 'start' | 'end'; x0: number; x: number }
  | { kind: 'move'; id: number; start: number; end: number; x0: number; x: number };

/** Pointer travel (px) below which a press is a click, not a drag. */
export const DRAG_THRESHOLD_PX = 4;

/** Whether the pointer moved far enough for the drag to count. */
export function dragMoved(drag: SpanDrag): boolean {
  if (drag.kind === 'create') return Math.abs(drag.x1 - drag.x0) >= DRAG_THRESHOLD_PX;
  if (drag.kind === 'move') return Math.abs(drag.x - drag.x0) >= DRAG_THRESHOLD_PX;
  return true;
}

/** The span (seconds, start ≤ end) a drag stands for right now, clamped to [0, duration]. */
export function draggedSpan(drag: SpanDrag, vp: Viewport, durationSeconds: number): [number, number] {
  const clamp = (t: number) => Math.max(0, Math.min(durationSeconds, t));
  if (drag.kind === 'create') {
    const a = clamp(xToSeconds(vp, drag.x0));
    const b = clamp(xToSeconds(vp, drag.x1));
    return [Math.min(a, b), Math.max(a, b)];
  }
  if (drag.kind === 'resize') {
    // The edge moves as far as the pointer did: grabbing a handle a few pixels off the edge does not make it jump.
    const t = clamp((drag.edge === 'start' ? drag.start : drag.end) + (drag.x - drag.x0) * vp.secondsPerPixel);
    const a = drag.edge === 'start' ? t : drag.start;
    const b = drag.edge === 'end' ? t : drag.end;
    return [Math.min(a, b), Math.max(a, b)];
  }
  const length = drag.end - drag.start;
  const shift = (drag.x - drag.x0) * vp.secondsPerPixel;
  const start = Math.max(0, Math.min(durationSeconds - length, drag.start + shift));
  return [start, start + length];
}
