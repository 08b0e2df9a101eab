/**
 * The review queue: jump to the region the model is least sure about, and
 * after each silence / not-silence decision move on to the next one, so the
 * researcher's time goes where the model needs it.
 *
 * The queue works inside the open recording first. Auto-advance never leaves
 * it; only an explicit "Next uncertain" on a fully reviewed recording asks
 * main for the project's next region, and the move to that file is announced.
 */
import type { RegionView, ReviewItem } from '../../../../src-shared/review-types';
import { call } from '../../lib/api';
import { markCurrent, type Decision } from './label-edits';
import type { ReviewStore } from './review-store.svelte';

export interface QueueOptions {
  /** Called when the next uncertain region is in another recording (the app opens it and says so). */
  onOtherRecording?: (item: ReviewItem) => void;
}

/** |p − 0.5|·2, as main orders the queue: 0 = the model has no idea (unknown p counts as 0). */
export function certainty(region: RegionView): number {
  return region.pSilence === null ? 0 : Math.abs(region.pSilence - 0.5) * 2;
}

function queueOrder(a: RegionView, b: RegionView): number {
  return certainty(a) - certainty(b) || a.startSample - b.startSample || a.id - b.id;
}

/**
 * The next unreviewed region of one recording in queue order (least certain
 * first), after `currentId` — so asking again skips ahead instead of staying
 * — wrapping around to the head. The current region itself only comes back
 * when it is the last one left. Null when everything here is reviewed.
 */
export function nextUncertainHere(regions: readonly RegionView[], currentId: number | null): RegionView | null {
  const open = regions.filter((r) => !r.reviewed).sort(queueOrder);
  if (open.length === 0) return null;
  const current = currentId === null ? undefined : regions.find((r) => r.id === currentId);
  if (!current) return open[0];
  return open.find((r) => r.id !== current.id && queueOrder(r, current) > 0) ?? open.find((r) => r.id !== current.id) ?? open[0];
}

/** Unreviewed regions of the open recording. */
export function remainingHere(regions: readonly RegionView[]): number {
  return regions.reduce((n, r) => n + (r.reviewed ? 0 : 1), 0);
}

/**
 * Goes to the next uncertain region of this recording. With `leave` (an
 * explicit request) and nothing left here, asks main for the project's next
 * one, which may open another recording. Returns the region, or null.
 */
export async function goToNextUncertain(store: ReviewStore, options: QueueOptions = {}, leave = true): Promise<RegionView | null> {
  const here = nextUncertainHere(store.regions, store.currentRegionId);
  if (here) {
    store.selectRegion(here);
    return here;
  }
  if (!leave) {
    store.showInfo('Every region of this recording is reviewed. Enter: next uncertain region of the project · PageDown: next recording.');
    return null;
  }
  const current = store.currentRegion;
  let item: ReviewItem | null;
  try {
    // The position of the current region (its start lies inside it), so main continues after it.
    item = await call('review:nextUncertain', current ? { recordingId: store.recordingId, sample: current.startSample } : null);
  } catch (e) {
    store.showError(e);
    return null;
  }
  if (!item) {
    store.showInfo('Every region of the project has been reviewed.');
    return null;
  }
  if (item.recordingId !== store.recordingId) {
    if (options.onOtherRecording) options.onOtherRecording(item);
    else store.showInfo(`No uncertain regions left here; the next one is in ${item.path}.`);
    return item.region;
  }
  // Main knows of a region here that this view does not (yet): show it.
  await store.reloadRegions();
  const region = store.regions.find((r) => r.id === item.region.id) ?? item.region;
  store.selectRegion(region);
  return region;
}

/** Saves a decision on the current region and, when auto-advance is on, moves to the next uncertain one of this recording. */
export async function decideAndAdvance(store: ReviewStore, value: Decision, options: QueueOptions = {}): Promise<boolean> {
  const saved = await markCurrent(store, value);
  if (saved && store.autoAdvance) await goToNextUncertain(store, options, false);
  return saved;
}
