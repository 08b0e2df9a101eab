import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi, makeReview, region } from './testing/fake-api';
import { createLabel } from './label-edits';
import { createReviewCommands } from './review-commands';
import { ReviewStore } from './review-store.svelte';
import type { ReviewPlayback } from './review-playback';

let api: FakeApi;
beforeEach(() => {
  api = new FakeApi(makeReview([region(1, 10, 20, 0.9), region(2, 30, 35, 0.52), region(3, 50, 60, 0.1)]));
  window.sonotype = api;
});
afterEach(() => {
  window.sonotype = undefined;
});

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('review commands', () => {
  it('treats the menu\'s undo and the same key press moments apart as one undo', async () => {
    const store = new ReviewStore(1);
    await store.open(1000);
    let t = 0;
    const commands = createReviewCommands(store, () => null, {}, null, () => t);
    await createLabel(store, 1, 2);
    await createLabel(store, 3, 4);
    commands.menu('undo');
    t = 100;
    commands.hotkeys.undo();
    await settle();
    await settle();
    expect(api.calls.filter((c) => c.name === 'history:undo')).toHaveLength(1);
    t = 1000;
    commands.hotkeys.undo(); // a second, later press is a second undo
    await settle();
    await settle();
    expect(api.calls.filter((c) => c.name === 'history:undo')).toHaveLength(2);
  });

  it('zooms from the menu and walks regions with the arrows', async () => {
    const store = new ReviewStore(1);
    await store.open(1000);
    const commands = createReviewCommands(store, () => null, {});
    const whole = store.viewport.secondsPerPixel;
    commands.menu('zoom-in');
    expect(store.viewport.secondsPerPixel).toBeCloseTo(whole / 2, 12);
    commands.menu('zoom-fit');
    expect(store.viewport.secondsPerPixel).toBeCloseTo(whole, 12);
    commands.hotkeys.nextRegion();
    expect(store.currentRegionId).toBe(1);
    commands.hotkeys.nextRegion();
    commands.hotkeys.nextRegion();
    commands.hotkeys.nextRegion(); // stays on the last one
    expect(store.currentRegionId).toBe(3);
    commands.hotkeys.previousRegion();
    expect(store.currentRegionId).toBe(2);
    commands.hotkeys.slower();
    expect(store.playbackRate).toBe(0.75);
  });

  it('moves to the next and previous recording in the list\'s order, and says so at either end', async () => {
    const store = new ReviewStore(1);
    await store.open(1000);
    const open = vi.fn();
    const order = [{ id: 4, path: 'x.wav' }, { id: 1, path: 'site/a.wav' }, { id: 9, path: 'z.wav' }];
    const commands = createReviewCommands(store, () => null, {}, { order: () => order, open });
    commands.hotkeys.nextRecording();
    expect(open).toHaveBeenLastCalledWith({ id: 9, path: 'z.wav' }, { reason: 'Next recording (PageDown).' });
    commands.hotkeys.previousRecording();
    expect(open).toHaveBeenLastCalledWith({ id: 4, path: 'x.wav' }, { reason: 'Previous recording (PageUp).' });
    order.pop();
    commands.hotkeys.nextRecording();
    expect(open).toHaveBeenCalledTimes(2);
    expect(store.toasts.at(-1)?.message).toBe('This is the last recording in the list.');
  });

  it('draws labels without the mouse: I … O at the playhead, D over the view; S / N choose the value while marking', async () => {
    const store = new ReviewStore(1);
    await store.open(1000);
    const commands = createReviewCommands(store, () => null, {});
    store.setCursor(12);
    commands.hotkeys.markIn();
    expect(store.markInSeconds).toBe(12);
    commands.hotkeys.markSilence(); // while marking: the value, not a decision
    expect(store.drawValue).toBe('silence');
    store.setCursor(14.5);
    commands.hotkeys.markOut();
    await settle();
    expect(api.labels.map((l) => [l.startSeconds, l.endSeconds, l.value])).toEqual([[12, 14.5, 'silence']]);
    expect(store.markInSeconds).toBeNull();

    store.setViewport({ startSeconds: 40, secondsPerPixel: 0.02, widthPx: 1000 });
    commands.hotkeys.markSound(); // no label being drawn and no region: a decision, which needs a region
    commands.hotkeys.labelView();
    await settle();
    expect(api.labels.at(-1)).toMatchObject({ startSeconds: 40, endSeconds: 60, value: 'silence' });
    commands.hotkeys.markOut();
    expect(store.toasts.at(-1)?.message).toMatch(/Press I at the start/);
  });

  it('plays the selected label or current region once with P', async () => {
    const store = new ReviewStore(1);
    await store.open(1000);
    const playSelectionOnce = vi.fn();
    const commands = createReviewCommands(store, () => ({ playSelectionOnce }) as unknown as ReviewPlayback, {});
    commands.hotkeys.playSelection();
    expect(playSelectionOnce).toHaveBeenCalledOnce();
  });

  it('shows an undo in another recording first: opens it at the edit, which then carries the undo out', async () => {
    const store = new ReviewStore(1);
    await store.open(1000);
    const open = vi.fn();
    const commands = createReviewCommands(store, () => null, {}, { order: () => [], open });
    api.peekStep = { action: 'relabel', recordingId: 7, path: 'site/b.wav', startSeconds: 12, endSeconds: 14, labels: 1, value: 'sound', previousValue: 'silence' };
    commands.hotkeys.undo();
    await settle();
    expect(open).toHaveBeenCalledWith(
      { id: 7, path: 'site/b.wav' },
      { reason: 'Opened site/b.wav: the edit to undo is here.', focus: { startSeconds: 12, endSeconds: 14 }, then: 'undo' },
    );
    // Nothing was undone from here: the recording that opens does it, in view.
    expect(api.calls.some((c) => c.name === 'history:undo')).toBe(false);
  });

  it('undoes an edit here in view, names it, and offers Redo', async () => {
    const store = new ReviewStore(1);
    await store.open(1000);
    const commands = createReviewCommands(store, () => null, {}, { order: () => [], open: vi.fn() });
    await createLabel(store, 61, 63, 'sound');
    store.zoom(0.05, 10); // the label is off screen
    commands.hotkeys.undo();
    await settle();
    await settle();
    expect(api.labels).toEqual([]);
    expect(store.viewport.startSeconds).toBeLessThanOrEqual(61);
    expect(store.viewport.startSeconds + store.viewport.secondsPerPixel * store.viewport.widthPx).toBeGreaterThanOrEqual(63);
    const toast = store.toasts.at(-1)!;
    expect(toast.message).toBe('Undid: adding a sound label at 0:61.00–0:63.00.'.replace('0:61.00–0:63.00', '1:01.00–1:03.00'));
    expect(toast.action?.label).toBe('Redo');
    toast.action!.run();
    await settle();
    await settle();
    expect(api.labels.map((l) => l.startSeconds)).toEqual([61]);
  });
});
