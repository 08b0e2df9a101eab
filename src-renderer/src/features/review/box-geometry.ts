/**
 * Frequency-bounded labels (boxes) on the spectrogram: Hz ⇄ y the same way
 * the frequency axis maps them (the band shown, 0 Hz … Nyquist or the
 * frequency zoom's, lowest frequency at the bottom; display/frequency-view.ts),
 * and the rectangle a box occupies on screen, clipped to what is visible.
 */
import type { LabelView } from '../../../../src-shared/review-types';
import { secondsToX, type Viewport } from './viewport';

/** The frequency band the spectrogram shows, in Hz. */
export interface FrequencySpan {
  lowHz: number;
  highHz: number;
}

export function hzToY(span: FrequencySpan, height: number, hz: number): number {
  return height * (1 - (hz - span.lowHz) / (span.highHz - span.lowHz));
}

/** Hz at a y position, clamped to the image's range and to ≥ 0. */
export function yToHz(span: FrequencySpan, height: number, y: number): number {
  const hz = span.lowHz + (1 - y / height) * (span.highHz - span.lowHz);
  return Math.max(0, Math.max(span.lowHz, Math.min(span.highHz, hz)));
}

export interface BoxRect {
  label: LabelView;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether a label is drawn as a box (it has frequency bounds). */
export function isBox(label: LabelView): label is LabelView & { lowHz: number; highHz: number } {
  return label.lowHz !== null && label.highHz !== null;
}

/** Screen rectangles of the boxes that are (partly) visible, at least 2 px each way. */
export function layoutBoxes(labels: readonly LabelView[], viewport: Viewport, span: FrequencySpan, height: number): BoxRect[] {
  const out: BoxRect[] = [];
  for (const label of labels) {
    if (!isBox(label)) continue;
    const x0 = secondsToX(viewport, label.startSeconds);
    const x1 = secondsToX(viewport, label.endSeconds);
    if (x1 < 0 || x0 > viewport.widthPx) continue;
    const top = Math.max(0, hzToY(span, height, label.highHz));
    const bottom = Math.min(height, hzToY(span, height, label.lowHz));
    if (bottom < 0 || top > height) continue;
    const left = Math.max(-2, x0);
    const right = Math.min(viewport.widthPx + 2, x1);
    out.push({ label, x: left, y: top, width: Math.max(2, right - left), height: Math.max(2, bottom - top) });
  }
  return out;
}

/** Distinct colours for sound types (none of them the silence blue or the sound orange of time-only labels). */
const TYPE_PALETTE = ['#d6a2ff', '#7ee787', '#ff7b72', '#f2cc60', '#ff9bce', '#56d4dd', '#b4a7ff', '#c9e265'];

/** The same sound type always gets the same colour (a hash of its name picks it). */
export function typeColour(soundType: string): string {
  let h = 0;
  for (let i = 0; i < soundType.length; i++) h = (Math.imul(h, 31) + soundType.charCodeAt(i)) | 0;
  return TYPE_PALETTE[Math.abs(h) % TYPE_PALETTE.length];
}
