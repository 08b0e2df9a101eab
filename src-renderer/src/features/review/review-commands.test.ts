import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeApi, makeReview, region } from './testing/fake-api';
import { createLabel } from './label-edits';
import { createReviewCommands } from './review-commands';
import { ReviewStore } from './review-store.svelte';

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
    const commands = createReviewCommands(store, () => null, {}, () => t);
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
});
