/**
 * Label edits of the review view. Each one calls the contract at once (so it
 * is saved to SQLite as a human label and undoable), applies the response to
 * the store, and on failure shows main's message while leaving the store as
 * it was: nothing the researcher sees is ever ahead of what was saved.
 */
import type { LabelView } from '../../../../src-shared/review-types';
import { call } from '../../lib/api';
import type { HistoryStep } from '../../../../src-shared/review-loop-types';
import { historyMessage } from './history-text';
import type { ReviewStore } from './review-store.svelte';
import { formatSpan, formatTime } from './time-format';

/** The two decisions of the review queue. 'sound' is the contract's "not silence". */
export type Decision = 'silence' | 'sound';

/** Runs an edit in turn with the others; a failure shows main's message and resolves null. */
export async function attempt<T>(store: ReviewStore, task: () => Promise<T>): Promise<T | null> {
  return store.serialize(async () => {
    try {
      return await task();
    } catch (e) {
      store.showError(e);
      return null;
    }
  });
}

/** Applies saved labels to the store: `removeIds` and the updated ones go, `add` comes in. */
export function replaceLabels(store: ReviewStore, removeIds: readonly number[], add: readonly LabelView[]): void {
  const remove = new Set([...removeIds, ...add.map((l) => l.id)]);
  store.setLabels([...store.labels.filter((l) => !remove.has(l.id)), ...add]);
}

/** After an edit: undo becomes possible and redo is gone; main's word is fetched to be sure. The toast says what was done. */
export function afterEdit(store: ReviewStore, done?: string): void {
  store.history = { canUndo: true, canRedo: false };
  void store.refreshHistory();
  if (done) store.showEdit(done, () => void undoOrRedo(store, 'undo'));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** [start, end) in native samples of two times given in either order; null, with `tooShort` shown, when it has no length. */
function spanInSamples(store: ReviewStore, a: number, b: number, tooShort: string): { startSample: number; endSample: number } | null {
  const startSample = store.toSample(Math.min(a, b));
  const endSample = store.toSample(Math.max(a, b));
  if (endSample > startSample) return { startSample, endSample };
  store.showError(new Error(tooShort));
  return null;
}

/** Creates a human label over [start, end) seconds (in either order); its value is the store's drawing value unless given. */
export async function createLabel(store: ReviewStore, startSeconds: number, endSeconds: number, value: string = store.drawValue): Promise<LabelView | null> {
  const span = spanInSamples(store, startSeconds, endSeconds, 'A label needs a length: drag across the spectrogram to draw one.');
  if (!span) return null;
  return attempt(store, async () => {
    const label = await call('labels:create', { recordingId: store.recordingId, ...span, value });
    replaceLabels(store, [], [label]);
    store.selectedLabelIds = [label.id];
    afterEdit(store, `Drew a ${label.value} label, ${formatSpan(label.startSeconds, label.endSeconds)}.`);
    return label;
  });
}

/** Moves or resizes a label to [start, end) seconds (a move when its length stays the same). */
export async function resizeLabel(store: ReviewStore, id: number, startSeconds: number, endSeconds: number): Promise<LabelView | null> {
  const span = spanInSamples(store, startSeconds, endSeconds, 'A label cannot be shorter than one sample; use Delete to remove it.');
  if (!span) return null;
  return attempt(store, async () => {
    const before = store.labels.find((l) => l.id === id);
    const label = await call('labels:update', id, span);
    replaceLabels(store, [id], [label]);
    const moved = before !== undefined && before.endSample - before.startSample === span.endSample - span.startSample;
    afterEdit(store, `${moved ? 'Moved' : 'Resized'} the ${label.value} label to ${formatSpan(label.startSeconds, label.endSeconds)}.`);
    return label;
  });
}

/** Sets the value of labels (each becomes a human label). Returns the updated labels, or null if one failed. */
export async function setLabelValue(store: ReviewStore, ids: readonly number[], value: string): Promise<LabelView[] | null> {
  return attempt(store, async () => {
    const updated: LabelView[] = [];
    try {
      for (const id of ids) updated.push(await call('labels:update', id, { value }));
    } finally {
      // Labels saved before a failure are saved: show them as they are.
      if (updated.length > 0) {
        replaceLabels(store, [], updated);
        afterEdit(store, `Labelled ${updated.length === 1 ? `${formatSpan(updated[0].startSeconds, updated[0].endSeconds)}` : plural(updated.length, 'label')} as ${value}.`);
      }
    }
    return updated;
  });
}

/** Deletes the selected labels. */
export async function deleteSelectedLabels(store: ReviewStore): Promise<boolean> {
  const ids = [...store.selectedLabelIds];
  if (ids.length === 0) {
    store.showInfo('Select a label first (click it; Shift-click adds more).');
    return false;
  }
  const done = await attempt(store, async () => {
    const deleted: number[] = [];
    try {
      for (const id of ids) {
        store.history = await call('labels:delete', id);
        deleted.push(id);
      }
    } finally {
      if (deleted.length > 0) {
        replaceLabels(store, deleted, []);
        store.showEdit(`Deleted ${plural(deleted.length, 'label')}.`, () => void undoOrRedo(store, 'undo'));
      }
    }
    return true;
  });
  return done === true;
}

/** The label to split: the single selected one, else the one under the cursor. */
function splitTarget(store: ReviewStore, seconds: number): LabelView | null {
  if (store.selectedLabels.length === 1) return store.selectedLabels[0];
  const under = store.labels.filter((l) => l.startSeconds < seconds && seconds < l.endSeconds);
  return under.length === 1 ? under[0] : null;
}

/** Splits the selected label (or the one under the cursor) in two at `seconds`. */
export async function splitLabelAt(store: ReviewStore, seconds: number): Promise<LabelView[] | null> {
  const label = splitTarget(store, seconds);
  if (!label) {
    store.showInfo('Select one label, put the cursor inside it, then split.');
    return null;
  }
  const atSample = store.toSample(seconds);
  if (atSample <= label.startSample || atSample >= label.endSample) {
    store.showError(new Error('The cursor is not inside the selected label: click where it should be split.'));
    return null;
  }
  return attempt(store, async () => {
    const parts = await call('labels:split', label.id, atSample);
    replaceLabels(store, [label.id], parts);
    store.selectedLabelIds = parts.map((p) => p.id);
    afterEdit(store, `Split the ${label.value} label at ${formatTime(atSample / (store.review?.sampleRate ?? 1), 2, store.durationSeconds >= 3600)}.`);
    return parts;
  });
}

/** Merges the selected labels into one. */
export async function mergeSelectedLabels(store: ReviewStore): Promise<LabelView | null> {
  const ids = [...store.selectedLabelIds];
  if (ids.length < 2) {
    store.showInfo('Shift-click two or more labels to merge them.');
    return null;
  }
  return attempt(store, async () => {
    const merged = await call('labels:merge', ids);
    replaceLabels(store, ids, [merged]);
    store.selectedLabelIds = [merged.id];
    afterEdit(store, `Merged ${plural(ids.length, 'label')} into one, ${formatSpan(merged.startSeconds, merged.endSeconds)}.`);
    return merged;
  });
}

/**
 * Marks the current decision: the selected labels get `value`; with none
 * selected, the current region gets a human label (its exact human label is
 * relabelled instead of stacking a second one). True when it was saved.
 */
export async function markCurrent(store: ReviewStore, value: Decision): Promise<boolean> {
  if (store.selectedLabelIds.length > 0) {
    const updated = await setLabelValue(store, store.selectedLabelIds, value);
    return updated !== null && updated.length === store.selectedLabelIds.length;
  }
  const region = store.currentRegion;
  if (!region) {
    store.showInfo('Choose a region first: click one, use ←/→, or press Enter for the next uncertain one.');
    return false;
  }
  const same = store.labels.find((l) => l.source === 'human' && l.startSample === region.startSample && l.endSample === region.endSample);
  const saved = await attempt(store, async () => {
    const label = same
      ? await call('labels:update', same.id, { value })
      : await call('labels:create', { recordingId: store.recordingId, startSample: region.startSample, endSample: region.endSample, value });
    replaceLabels(store, [], [label]);
    // The region now counts as reviewed; show it so before main's refreshed list arrives.
    store.regions = store.regions.map((r) => (r.id === region.id ? { ...r, reviewed: true } : r));
    afterEdit(store, `Marked ${formatSpan(region.startSeconds, region.endSeconds)} as ${value}.`);
    return label;
  });
  if (saved) void store.reloadRegions();
  return saved !== null;
}

/**
 * Opens the recording an undo (redo) step belongs to, to carry it out there in
 * view; false when it cannot (then it is carried out from here and the
 * message says where).
 */
export type FollowStep = (step: HistoryStep, which: 'undo' | 'redo') => boolean;

/**
 * Undoes (or redoes) the last edit, showing it first: main says what the step
 * is; an edit in another recording opens that recording (`follow`), which
 * carries the undo out itself; one here is brought into view. The message
 * names the edit and offers the way back.
 */
export async function undoOrRedo(store: ReviewStore, which: 'undo' | 'redo', follow?: FollowStep): Promise<boolean> {
  let step: HistoryStep | null = null;
  try {
    step = await call('history:peek', which);
  } catch {
    // Main could not say: undo without showing it first (the message still says where it acted).
  }
  if (step && step.recordingId !== null && step.recordingId !== store.recordingId && follow?.(step, which)) return true;
  if (step && step.recordingId === store.recordingId && step.startSeconds !== null && step.endSeconds !== null) {
    store.reveal(step.startSeconds, step.endSeconds);
  }
  const state = await attempt(store, () => call(which === 'undo' ? 'history:undo' : 'history:redo'));
  if (!state) return false;
  store.history = state;
  const done = state.step ?? step;
  if (!done && state.recordingId === undefined && !state.clusters) {
    store.showInfo(`Nothing to ${which}.`);
    return false;
  }
  if (state.recordingId === undefined || state.recordingId === store.recordingId) {
    await Promise.all([store.reloadLabels(), store.reloadRegions()]);
  }
  const back = which === 'undo' ? 'redo' : 'undo';
  store.pushEditToast(historyMessage(which, done, store.recordingId), back === 'undo' ? 'Undo' : 'Redo', () => void undoOrRedo(store, back, follow));
  return true;
}
