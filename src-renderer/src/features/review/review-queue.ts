/**
 * The review queue: jump to the region the model is least sure about, and
 * after each silence / not-silence decision move on to the next one, so the
 * researcher's time goes where the model needs it.
 */
import type { ReviewItem } from '../../../../src-shared/review-types';
import { call } from '../../lib/api';
import { markCurrent, type Decision } from './label-edits';
import type { ReviewStore } from './review-store.svelte';

export interface QueueOptions {
  /** Called when the next uncertain region is in another recording (the app opens it). */
  onOtherRecording?: (item: ReviewItem) => void;
}

/**
 * Goes to the most uncertain unreviewed region of the project (main breaks
 * ties in favour of regions after the current one). Returns the item, or
 * null when everything is reviewed or the call failed.
 */
export async function goToNextUncertain(store: ReviewStore, options: QueueOptions = {}): Promise<ReviewItem | null> {
  const current = store.currentRegion;
  const after = current ? { recordingId: store.recordingId, sample: current.endSample } : null;
  let item: ReviewItem | null;
  try {
    item = await call('review:nextUncertain', after);
  } catch (e) {
    store.showError(e);
    return null;
  }
  if (!item) {
    store.remaining = 0;
    store.showInfo('Every region has been reviewed.');
    return null;
  }
  store.remaining = item.remaining;
  if (item.recordingId !== store.recordingId) {
    if (options.onOtherRecording) options.onOtherRecording(item);
    else store.showInfo(`No uncertain regions left here; the next one is in ${item.path}.`);
    return item;
  }
  if (current && item.region.id === current.id) {
    // Uncertainty orders the queue, so an undecided region stays first until it is decided.
    store.showInfo('This is still the most uncertain region: mark it with S or N, or move on with →.');
    return item;
  }
  if (!store.regions.some((r) => r.id === item.region.id)) await store.reloadRegions();
  store.selectRegion(store.regions.find((r) => r.id === item.region.id) ?? item.region);
  return item;
}

/** Saves a decision on the current region and, when auto-advance is on, moves to the next uncertain one. */
export async function decideAndAdvance(store: ReviewStore, value: Decision, options: QueueOptions = {}): Promise<boolean> {
  const saved = await markCurrent(store, value);
  if (saved && store.autoAdvance) await goToNextUncertain(store, options);
  return saved;
}
