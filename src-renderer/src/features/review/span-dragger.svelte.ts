/**
 * The pointer side of a span drag, shared by the label lane and the
 * spectrogram overlay: it captures the pointer on press (so the drag follows
 * it past the surface's edge), tracks it in pixels inside the surface clamped
 * to the viewport, and tells the view while a new label is being drawn (S / N
 * change its value meanwhile). What a press starts and what a release does
 * stay with each surface; the arithmetic is in span-drag.ts.
 */
import type { SpanDrag } from './span-drag';
import type { Viewport } from './viewport';

/** What both label-drawing surfaces (the label lane and the spectrogram overlay) are given. */
export interface SpanDrawProps {
  viewport: Viewport;
  durationSeconds: number;
  /** The value a new label gets (shown on the ghost while drawing). */
  drawValue: string;
  onCreate: (startSeconds: number, endSeconds: number) => void;
  /** True while a new label is being drawn (S / N then change its value). */
  onDraftChange?: (drafting: boolean) => void;
}

export class SpanDragger {
  /** The drag in progress, or null. */
  drag = $state<SpanDrag | null>(null);
  /** The surface the pointer is tracked on (`bind:this`). */
  surface = $state<HTMLElement | null>(null);

  /** Getters, so the component's current props are read at each event. */
  constructor(
    private readonly viewport: () => Viewport,
    private readonly onDraftChange: () => ((drafting: boolean) => void) | undefined,
  ) {}

  /** The pointer's x inside the surface, clamped to the viewport's width. */
  x(event: PointerEvent): number {
    const left = this.surface?.getBoundingClientRect().left ?? 0;
    return Math.max(0, Math.min(this.viewport().widthPx, event.clientX - left));
  }

  /** Starts `drag` and captures the pointer. */
  begin(event: PointerEvent, drag: SpanDrag): void {
    this.surface?.setPointerCapture?.(event.pointerId);
    this.drag = drag;
    if (drag.kind === 'create') this.onDraftChange()?.(true);
  }

  /** Follows the pointer (pointermove). */
  readonly move = (event: PointerEvent): void => {
    if (!this.drag) return;
    const x = this.x(event);
    this.drag = this.drag.kind === 'create' ? { ...this.drag, x1: x } : { ...this.drag, x };
  };

  /** Ends the drag in progress and returns it (null when there was none). */
  end(): SpanDrag | null {
    const done = this.drag;
    this.drag = null;
    if (done?.kind === 'create') this.onDraftChange()?.(false);
    return done;
  }

  /** The pointer was taken away (pointercancel): the drag is dropped. */
  readonly cancel = (): void => {
    this.end();
  };
}
