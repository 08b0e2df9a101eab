/**
 * The review view's editing as a researcher meets it: what is drawn where
 * (labels in a lane, nothing painted over the signal), drawing and moving
 * labels with the mouse, the label's value while drawing, the confirmation
 * toast with Undo, and keys that belong to someone else.
 * jsdom has no layout: the plot is 100 px wide and shows 100 s, so x = seconds.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { FakeApi, makeReview, RATE, region } from './testing/fake-api';
import { NO_LABEL_EXTRAS } from '../../../../src-shared/label-types';
import { tileBytes } from './testing/tile-bytes';
import { resetKnownPreferences } from '../../lib/preferences';
import type { LabelView } from '../../../../src-shared/review-types';
import ReviewView from './ReviewView.svelte';

vi.mock('wavesurfer.js', () => ({
  default: { create: vi.fn(() => ({ options: {}, setOptions: vi.fn(), load: vi.fn(async () => undefined), destroy: vi.fn() })) },
}));

let api: FakeApi;

function label(id: number, start: number, end: number, value: string, source: LabelView['source'] = 'heuristic'): LabelView {
  return { id, recordingId: 1, startSample: start * RATE, endSample: end * RATE, startSeconds: start, endSeconds: end, value, source, author: null, updatedAt: 0, ...NO_LABEL_EXTRAS };
}

/** jsdom has no PointerEvent: without one, clientX would not reach the handlers. */
class TestPointerEvent extends MouseEvent {
  readonly pointerId: number;
  constructor(type: string, init: PointerEventInit = {}) {
    super(type, init);
    this.pointerId = init.pointerId ?? 1;
  }
}

beforeEach(() => {
  if (typeof window.PointerEvent === 'undefined') vi.stubGlobal('PointerEvent', TestPointerEvent);
  resetKnownPreferences();
  api = new FakeApi(makeReview([region(1, 10, 20, 0.9), region(2, 30, 35, 0.52)], [label(50, 10, 20, 'silence'), label(51, 15, 40, 'sound', 'human')]));
  window.sonotype = api;
  vi.stubGlobal('ResizeObserver', class { observe() {} unobserve() {} disconnect() {} });
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
  vi.spyOn(HTMLMediaElement.prototype, 'load').mockImplementation(() => undefined);
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    const [level, index] = url.split('?')[0].split('/').slice(-2).map(Number);
    return new Response(tileBytes(level, index, 4, 4, false, 100).slice().buffer as ArrayBuffer);
  }));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  window.sonotype = undefined;
});

async function openView(): Promise<void> {
  render(ReviewView, { recordingId: 1 });
  await screen.findByTestId('spectrogram-overlay');
}

/** A pointer drag from x0 to x1 (pixels = seconds here) on an element. */
async function drag(element: Element, x0: number, x1: number, during?: () => Promise<void>): Promise<void> {
  await fireEvent.pointerDown(element, { button: 0, clientX: x0, pointerId: 1 });
  await fireEvent.pointerMove(element, { clientX: (x0 + x1) / 2, pointerId: 1 });
  await during?.();
  await fireEvent.pointerMove(element, { clientX: x1, pointerId: 1 });
  await fireEvent.pointerUp(element, { clientX: x1, pointerId: 1 });
}

describe('what is drawn where', () => {
  it('draws time-only labels as bars in a lane, in separate rows when they overlap, and paints nothing over the spectrogram', async () => {
    await openView();
    const overlay = screen.getByTestId('spectrogram-overlay');
    // Heuristic labels used to be boxes from ~1.5 to 20.5 kHz over the signal: they read as frequency bounds.
    expect(within(overlay).queryAllByTestId('label')).toEqual([]);
    expect(within(overlay).queryAllByTestId('region')).toEqual([]);
    const lane = screen.getByTestId('label-lane');
    const bars = within(lane).getAllByTestId('label');
    expect(bars.map((b) => b.dataset.value)).toEqual(['silence', 'sound']);
    // 10–20 s and 15–40 s overlap: two rows, so "sound" and "silence" never print over each other.
    expect(bars.map((b) => b.dataset.row)).toEqual(['0', '1']);
    expect(screen.getAllByTestId('region')).toHaveLength(2);
  });
});

describe('drawing and moving labels', () => {
  it('draws a "sound" label by default, and S while drawing makes it silence (remembered for the next one)', async () => {
    await openView();
    const overlay = screen.getByTestId('spectrogram-overlay');
    await drag(overlay, 40, 45);
    await waitFor(() => expect(api.labels.filter((l) => l.source === 'human' && l.startSeconds === 40).map((l) => l.value)).toEqual(['sound']));

    await drag(overlay, 60, 70, async () => {
      expect(screen.getByTestId('draft-label').dataset.value).toBe('sound');
      await fireEvent.keyDown(window, { key: 's' });
      expect(screen.getByTestId('draft-label').dataset.value).toBe('silence');
    });
    await waitFor(() => expect(api.labels.find((l) => l.startSeconds === 60)?.value).toBe('silence'));
    // S chose the value of the drawing: it did not decide a region.
    expect(api.calls.filter((c) => c.name === 'labels:create')).toHaveLength(2);
    await waitFor(() => expect(api.preferences.drawValue).toBe('silence'));
  });

  it('moves a label as a whole by dragging it in the lane, keeping its length', async () => {
    await openView();
    const bar = within(screen.getByTestId('label-lane')).getAllByTestId('label').find((b) => b.dataset.labelId === '51')!;
    await drag(bar, 20, 32);
    await waitFor(() => expect(api.labels.find((l) => l.id === 51)).toMatchObject({ startSeconds: 27, endSeconds: 52 }));
    expect(api.calls.find((c) => c.name === 'labels:update')?.args).toEqual([51, { startSample: 27 * RATE, endSample: 52 * RATE }]);
    expect(await screen.findByText(/Moved the sound label to 0:27.00–0:52.00/)).toBeTruthy();
  });

  it('confirms each edit in a toast whose Undo undoes it', async () => {
    await openView();
    const endEdge = screen.getByTestId('label-lane').querySelector('[data-label-id="51"][data-edge="end"]')!;
    await drag(endEdge, 40, 44);
    const toast = await screen.findByText(/Resized the sound label to 0:15.00–0:44.00/);
    await fireEvent.click(within(toast.parentElement!).getByRole('button', { name: /^Undo/ }));
    await waitFor(() => expect(api.labels.find((l) => l.id === 51)?.endSeconds).toBe(40));
    expect(api.calls.filter((c) => c.name === 'history:undo')).toHaveLength(1);
  });
});

describe('arriving from another recording', () => {
  it('says why the recording opened, shows the place, and carries out the undo that brought it here', async () => {
    await api.call('labels:create', { recordingId: 1, startSample: 70 * RATE, endSample: 72 * RATE, value: 'silence' });
    render(ReviewView, {
      recordingId: 1,
      arrival: { reason: 'Opened site/a.wav: the edit to undo is here.', focus: { startSeconds: 70, endSeconds: 72 }, then: 'undo' },
    });
    await screen.findByText('Opened site/a.wav: the edit to undo is here.');
    expect(screen.getByTestId('recording-name').classList.contains('flash')).toBe(true);
    await screen.findByText('Undid: adding a silence label at 1:10.00–1:12.00.');
    expect(api.labels.some((l) => l.startSeconds === 70)).toBe(false);
    expect(api.calls.findIndex((c) => c.name === 'history:undo')).toBeGreaterThan(api.calls.findIndex((c) => c.name === 'review:open'));
  });
});

describe('keys that are not the review\'s', () => {
  it('ignores a key another part of the page already handled (Enter that opened this recording from the list)', async () => {
    await openView();
    await screen.findByRole('button', { name: /Next uncertain/ });
    // The recordings table acts on Enter (and prevents its default) before the event reaches the window.
    const handled = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    handled.preventDefault();
    window.dispatchEvent(handled);
    await new Promise((r) => setTimeout(r, 0));
    expect(api.calls.some((c) => c.name === 'review:nextUncertain')).toBe(false);
    expect(screen.queryByTestId('current-region')).toBeNull();
    // A fresh Enter is the review's: it goes to the most uncertain region.
    await fireEvent.keyDown(window, { key: 'Enter' });
    await screen.findByTestId('current-region');
    // Outlined once: the sound-types link does not paint the same region again (with a fill over the signal).
    expect(screen.queryAllByTestId('linked-highlight')).toEqual([]);
  });
});
