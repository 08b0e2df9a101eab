/**
 * Edits of frequency-bounded labels (boxes) and of a label's sound type and
 * annotation, saved through the contract like every other label edit
 * (label-edits.ts): undoable, and the view never runs ahead of what was saved.
 */
import type { LabelPatch, LabelView } from '../../../../src-shared/review-types';
import { call } from '../../lib/api';
import { afterEdit, attempt, replaceLabels } from './label-edits';
import type { ReviewStore } from './review-store.svelte';

/** A box's place: time in seconds and frequency in Hz (either order). */
export interface BoxBounds {
  startSeconds: number;
  endSeconds: number;
  lowHz: number;
  highHz: number;
}

/** Whole Hz are plenty for a box drawn by hand (and keep exported tables tidy). */
const roundHz = (hz: number) => Math.max(0, Math.round(hz));

function samplesAndBand(store: ReviewStore, b: BoxBounds): { startSample: number; endSample: number; lowHz: number; highHz: number } | string {
  const startSample = store.toSample(Math.min(b.startSeconds, b.endSeconds));
  const endSample = store.toSample(Math.max(b.startSeconds, b.endSeconds));
  const nyquist = (store.review?.sampleRate ?? 2) / 2;
  const lowHz = Math.min(nyquist, roundHz(Math.min(b.lowHz, b.highHz)));
  const highHz = Math.min(nyquist, roundHz(Math.max(b.lowHz, b.highHz)));
  if (endSample <= startSample) return 'A box needs a length: Shift+drag across time as well as frequency.';
  if (highHz <= lowHz) return 'A box needs a height: Shift+drag across frequency as well as time.';
  return { startSample, endSample, lowHz, highHz };
}

/** Creates a human 'sound' label with a frequency box (drawn with Shift+drag). */
export async function createBox(store: ReviewStore, bounds: BoxBounds): Promise<LabelView | null> {
  const box = samplesAndBand(store, bounds);
  if (typeof box === 'string') {
    store.showError(new Error(box));
    return null;
  }
  return attempt(store, async () => {
    const label = await call('labels:create', { recordingId: store.recordingId, value: 'sound', ...box });
    replaceLabels(store, [], [label]);
    store.selectedLabelIds = [label.id];
    afterEdit(store);
    return label;
  });
}

/** Moves or resizes a box. */
export async function moveBox(store: ReviewStore, id: number, bounds: BoxBounds): Promise<LabelView | null> {
  const box = samplesAndBand(store, bounds);
  if (typeof box === 'string') {
    store.showError(new Error(box));
    return null;
  }
  return updateLabelFields(store, id, box);
}

/** Changes fields of one label (sound type, annotation, box…); null clears a field. */
export async function updateLabelFields(store: ReviewStore, id: number, patch: LabelPatch): Promise<LabelView | null> {
  return attempt(store, async () => {
    const label = await call('labels:update', id, patch);
    replaceLabels(store, [id], [label]);
    afterEdit(store);
    return label;
  });
}
