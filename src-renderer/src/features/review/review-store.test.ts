import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi, makeReview, RATE, region } from './testing/fake-api';
import { NO_LABEL_EXTRAS } from '../../../../src-shared/label-types';
import { ReviewStore } from './review-store.svelte';
import { resetKnownPreferences } from '../../lib/preferences';
import {
  createLabel, deleteSelectedLabels, markCurrent, mergeSelectedLabels, resizeLabel, splitLabelAt, undoOrRedo,
} from './label-edits';
import { decideAndAdvance, goToNextUncertain } from './review-queue';

let api: FakeApi;

async function openStore(): Promise<ReviewStore> {
  const store = new ReviewStore(1);
  await store.open(1000);
  return store;
}

beforeEach(() => {
  api = new FakeApi(makeReview([region(1, 10, 20, 0.9), region(2, 30, 35, 0.52), region(3, 50, 60, 0.3), region(4, 70, 80, 0.45)]));
  window.sonotype = api;
});
afterEach(() => {
  window.sonotype = undefined;
});

describe('ReviewStore loading', () => {
  it('opens the recording at whole-file zoom with regions sorted and undo state fetched', async () => {
    const store = await openStore();
    expect(store.status).toBe('ready');
    expect(store.viewport.secondsPerPixel * store.viewport.widthPx).toBeCloseTo(100, 9);
    expect(store.regions.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    await Promise.resolve();
    expect(api.calls.map((c) => c.name)).toContain('history:state');
  });

  it('shows main\'s message when the recording cannot be opened', async () => {
    api.failNext('review:open', 'The recording file is missing: site/a.wav');
    const store = await openStore();
    expect(store.status).toBe('error');
    expect(store.loadError).toBe('The recording file is missing: site/a.wav');
  });
});

describe('label edits', () => {
  it('create, resize, split, merge and delete save immediately and follow main\'s answer', async () => {
    const store = await openStore();
    const created = await createLabel(store, 12.5, 11, 'silence');
    expect(api.calls.find((c) => c.name === 'labels:create')?.args[0]).toEqual({ recordingId: 1, startSample: 11 * RATE, endSample: 12.5 * RATE, value: 'silence' });
    expect(store.labels).toEqual(api.labels);
    expect(store.selectedLabelIds).toEqual([created!.id]);
    expect(store.history.canUndo).toBe(true);

    await resizeLabel(store, created!.id, 10, 14);
    expect(store.labels.map((l) => [l.startSample, l.endSample])).toEqual([[10 * RATE, 14 * RATE]]);

    const parts = await splitLabelAt(store, 12);
    expect(parts!.map((p) => [p.startSeconds, p.endSeconds])).toEqual([[10, 12], [12, 14]]);
    expect(store.labels).toHaveLength(2);
    expect(store.selectedLabelIds).toEqual(parts!.map((p) => p.id));

    const merged = await mergeSelectedLabels(store);
    expect([merged!.startSeconds, merged!.endSeconds]).toEqual([10, 14]);
    expect(store.labels.map((l) => l.id)).toEqual([merged!.id]);

    expect(await deleteSelectedLabels(store)).toBe(true);
    expect(store.labels).toEqual([]);
    expect(api.labels).toEqual([]);
  });

  it('confirms every edit in one toast that offers Undo (a newer edit\'s toast replaces the older one)', async () => {
    const store = await openStore();
    const edits: Array<[() => Promise<unknown>, string]> = [
      [() => createLabel(store, 11, 12.5, 'silence'), 'Drew a silence label, 0:11.00–0:12.50.'],
      [() => resizeLabel(store, store.labels[0].id, 10, 14), 'Resized the silence label to 0:10.00–0:14.00.'],
      [() => resizeLabel(store, store.labels[0].id, 20, 24), 'Moved the silence label to 0:20.00–0:24.00.'],
      [() => splitLabelAt(store, 22), 'Split the silence label at 0:22.00.'],
      [() => mergeSelectedLabels(store), 'Merged 2 labels into one, 0:20.00–0:24.00.'],
      [() => markCurrent(store, 'sound'), 'Labelled 0:20.00–0:24.00 as sound.'],
      [() => deleteSelectedLabels(store), 'Deleted 1 label.'],
    ];
    for (const [edit, message] of edits) {
      await edit();
      const shown = store.toasts.filter((t) => t.topic === 'edit');
      expect(shown.map((t) => t.message)).toEqual([message]);
      expect(shown[0].action?.label).toBe('Undo');
    }
    store.selectRegion(store.regions[0]);
    await markCurrent(store, 'silence');
    expect(store.toasts.at(-1)?.message).toBe('Marked 0:10.00–0:20.00 as silence.');
    // Undo from the toast undoes that edit.
    store.toasts.at(-1)!.action!.run();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(api.labels).toEqual([]);
  });

  it('a rejected call shows the message and keeps the previous state', async () => {
    const store = await openStore();
    const label = (await createLabel(store, 1, 2))!;
    const before = store.labels;
    for (const [name, run] of [
      ['labels:update', () => resizeLabel(store, label.id, 0, 3)],
      ['labels:split', () => splitLabelAt(store, 1.5)],
      ['labels:delete', () => deleteSelectedLabels(store)],
      ['labels:create', () => createLabel(store, 40, 41)],
    ] as const) {
      api.failNext(name, `Could not save: ${name} failed (database is locked).`);
      await run();
      expect(store.labels, name).toBe(before);
      expect(store.toasts.at(-1)).toMatchObject({ kind: 'error', message: `Could not save: ${name} failed (database is locked).` });
    }
    store.selectedLabelIds = [label.id];
    const second = (await createLabel(store, 3, 4))!;
    store.selectedLabelIds = [label.id, second.id];
    const withTwo = store.labels;
    api.failNext('labels:merge', 'Labels of different recordings cannot be merged.');
    expect(await mergeSelectedLabels(store)).toBeNull();
    expect(store.labels).toBe(withTwo);
  });

  it('refuses edits that make no sense with a readable hint, without calling main', async () => {
    const store = await openStore();
    const n = api.calls.length;
    expect(await createLabel(store, 5, 5)).toBeNull();
    expect(await mergeSelectedLabels(store)).toBeNull();
    expect(await splitLabelAt(store, 3)).toBeNull();
    expect(await deleteSelectedLabels(store)).toBe(false);
    expect(api.calls.length).toBe(n);
    expect(store.toasts.length).toBeGreaterThan(0);
  });
});

describe('undo / redo', () => {
  it('calls history:undo/redo and reloads this recording\'s labels and regions', async () => {
    const store = await openStore();
    await createLabel(store, 1, 2);
    await undoOrRedo(store, 'undo');
    expect(store.labels).toEqual([]);
    expect(store.history).toMatchObject({ canUndo: false, canRedo: true });
    await undoOrRedo(store, 'redo');
    expect(store.labels.map((l) => l.startSeconds)).toEqual([1]);
    expect(api.calls.filter((c) => c.name === 'labels:list').length).toBe(2);
  });

  it('shows a failed undo and changes nothing', async () => {
    const store = await openStore();
    await createLabel(store, 1, 2);
    const before = store.labels;
    api.failNext('history:undo', 'Nothing to undo.');
    expect(await undoOrRedo(store, 'undo')).toBe(false);
    expect(store.labels).toBe(before);
    expect(store.toasts.at(-1)?.message).toBe('Nothing to undo.');
  });
});

describe('review queue', () => {
  it('marks the current region with a human label and auto-advances to the next most uncertain one', async () => {
    const store = await openStore();
    const first = await goToNextUncertain(store);
    expect(first?.id).toBe(2); // p = 0.52: the least certain
    expect(store.currentRegionId).toBe(2);
    expect(store.cursorSeconds).toBe(30);

    await decideAndAdvance(store, 'sound');
    const created = api.calls.find((c) => c.name === 'labels:create')!.args[0];
    expect(created).toEqual({ recordingId: 1, startSample: 30 * RATE, endSample: 35 * RATE, value: 'sound' });
    expect(store.regions.find((r) => r.id === 2)?.reviewed).toBe(true);
    expect(store.currentRegionId).toBe(4); // p = 0.45, after region 2

    await decideAndAdvance(store, 'silence');
    expect(store.currentRegionId).toBe(3); // p = 0.3, certainty 0.4: next after 0.45
  });

  it('asking again without deciding skips to the next region in queue order, and wraps around', async () => {
    const store = await openStore();
    const seen: Array<number | undefined> = [];
    for (let i = 0; i < 5; i++) seen.push((await goToNextUncertain(store))?.id);
    // Certainty 0.04, 0.1, 0.4, 0.8, then back to the head: never the same region twice in a row.
    expect(seen).toEqual([2, 4, 3, 1, 2]);
  });

  it('auto-advance stays in this recording and says what is left; only an explicit request leaves it', async () => {
    const store = await openStore();
    const onOtherRecording = vi.fn();
    api.nextRecordingItem = { recordingId: 7, path: 'site/b.wav', region: { ...region(9, 1, 2, 0.5), recordingId: 7 }, certainty: 0, remaining: 5 };
    for (let i = 0; i < 4; i++) {
      if (i === 0) await goToNextUncertain(store, { onOtherRecording });
      await decideAndAdvance(store, 'sound', { onOtherRecording });
    }
    expect(store.regions.every((r) => r.reviewed)).toBe(true);
    expect(onOtherRecording).not.toHaveBeenCalled();
    expect(store.toasts.at(-1)?.message).toMatch(/Every region of this recording is reviewed/);
    // Enter on a fully reviewed recording: the project's next region, in the other file.
    await goToNextUncertain(store, { onOtherRecording });
    expect(onOtherRecording).toHaveBeenCalledWith(expect.objectContaining({ recordingId: 7, path: 'site/b.wav' }));
  });

  it('does not advance when the decision failed or auto-advance is off', async () => {
    const store = await openStore();
    await goToNextUncertain(store);
    api.failNext('labels:create', 'The project database is read-only.');
    expect(await decideAndAdvance(store, 'silence')).toBe(false);
    expect(store.currentRegionId).toBe(2);
    expect(store.regions.find((r) => r.id === 2)?.reviewed).toBe(false);
    store.autoAdvance = false;
    expect(await decideAndAdvance(store, 'silence')).toBe(true);
    expect(store.currentRegionId).toBe(2);
  });

  it('relabels the region\'s own human label instead of stacking a second one, and relabels selected labels', async () => {
    const store = await openStore();
    store.autoAdvance = false;
    store.selectRegion(store.regions[0]);
    await markCurrent(store, 'silence');
    await markCurrent(store, 'sound');
    expect(api.labels).toHaveLength(1);
    expect(api.labels[0].value).toBe('sound');
    store.selectLabel(api.labels[0].id);
    await markCurrent(store, 'silence');
    expect(store.labels[0].value).toBe('silence');
  });

  it('says so when everything is reviewed', async () => {
    api.regions = api.regions.map((r) => ({ ...r, reviewed: true }));
    const store = await openStore();
    expect(await goToNextUncertain(store)).toBeNull();
    expect(store.toasts.at(-1)?.message).toBe('Every region of the project has been reviewed.');
  });
});

describe('preferences', () => {
  it('remembers auto-advance and the drawing value (kept by main) for the next recording and the next session', async () => {
    resetKnownPreferences();
    const first = await openStore();
    expect(first.autoAdvance).toBe(true);
    expect(first.drawValue).toBe('sound');
    first.setAutoAdvance(false);
    first.setDrawValue('silence');
    await new Promise((r) => setTimeout(r, 0));
    expect(api.preferences).toEqual({ autoAdvance: false, drawValue: 'silence' });
    const next = await openStore();
    expect(next.autoAdvance).toBe(false); // it used to switch itself back on for every recording
    expect(next.drawValue).toBe('silence');
    // A new page (browser mode on another port: nothing cached) reads them from main.
    resetKnownPreferences();
    expect((await openStore()).autoAdvance).toBe(false);
    resetKnownPreferences();
  });
});

describe('regions derived again after a correction', () => {
  it('keeps the researcher\'s place: the current region becomes the new region at the same place', async () => {
    const store = await openStore();
    store.selectRegion(store.regions.find((r) => r.id === 3)!); // 50–60 s
    api.regions = [region(11, 0, 30, 0.9), region(12, 30, 52, 0.4), region(13, 52, 61, 0.6), region(14, 61, 100, 0.2)];
    api.emit('recording:changed', { recordingId: 1, what: 'regions' });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.currentRegionId).toBe(13); // the one holding 55 s, the old region's middle
  });
});

describe('change events', () => {
  it('reloads labels when main says this recording changed, and ignores other recordings', async () => {
    const store = await openStore();
    api.labels = [{ id: 9, recordingId: 1, startSample: 0, endSample: 5, startSeconds: 0, endSeconds: 0.005, value: 'silence', source: 'model', author: null, updatedAt: 0, ...NO_LABEL_EXTRAS }];
    api.emit('recording:changed', { recordingId: 2, what: 'labels' });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.labels).toEqual([]);
    api.emit('recording:changed', { recordingId: 1, what: 'labels' });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.labels.map((l) => l.id)).toEqual([9]);
    store.close();
  });
});
