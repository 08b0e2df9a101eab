import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { FakeApi, makeReview, region } from './testing/fake-api';
import { tileBytes } from './testing/tile-bytes';
import { HOTKEYS } from './hotkeys';
import ReviewView from './ReviewView.svelte';

// jsdom cannot draw on a canvas; wavesurfer's drawing is replaced, everything around it is real.
vi.mock('wavesurfer.js', () => ({
  default: { create: vi.fn(() => ({ options: {}, setOptions: vi.fn(), load: vi.fn(async () => undefined), destroy: vi.fn() })) },
}));

let api: FakeApi;
let fetched: string[];

beforeEach(() => {
  api = new FakeApi(makeReview([region(1, 10, 20, 0.9), region(2, 30, 35, 0.52)]));
  window.sonotype = api;
  fetched = [];
  // jsdom has no layout: bind:clientWidth needs a ResizeObserver, widths read as 0.
  vi.stubGlobal('ResizeObserver', class { observe() {} unobserve() {} disconnect() {} });
  // jsdom implements neither canvas drawing nor media playback; silence its "not implemented" reports.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
  vi.spyOn(HTMLMediaElement.prototype, 'load').mockImplementation(() => undefined);
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    fetched.push(url);
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

describe('ReviewView', () => {
  it('shows a loading state, then the recording, and pages tiles from the media route', async () => {
    render(ReviewView, { recordingId: 1 });
    expect(screen.getByText('Opening recording…')).toBeTruthy();
    await screen.findByText('site/a.wav');
    await screen.findByRole('button', { name: /Next uncertain/ });
    await waitFor(() => expect(fetched.length).toBeGreaterThan(0));
    // The whole-file tile first, with the browser-mode token.
    expect(fetched[0]).toMatch(/^http:\/\/127\.0\.0\.1:1\/media\/tiles\/1\/\d+\/0\?token=t&fft=512&window=hann&overlap=50$/);
  });

  it('says in its header when the recording was cut short (the whole text on hover)', async () => {
    const warning = 'The header says 2.5 s; the file holds 1.1 s (it was cut short, e.g. by an interrupted copy). Sonotype analyses what is there.';
    window.sonotype = api = new FakeApi({ ...makeReview([region(1, 10, 20, 0.9)]), warning });
    render(ReviewView, { recordingId: 1 });
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('the file holds 1.1 s');
    expect(note.getAttribute('title')).toBe(warning);
  });

  it('shows main\'s message and a retry when the recording cannot be opened', async () => {
    api.failNext('review:open', 'Recording #1 is missing from the project folder.');
    render(ReviewView, { recordingId: 1 });
    expect((await screen.findByRole('alert')).textContent).toContain('Recording #1 is missing from the project folder.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('button', { name: /Next uncertain/ });
    await waitFor(() => expect(fetched.length).toBeGreaterThan(0)); // tile paging starts after a retry too
  });

  it('goes to the most uncertain region with Enter and saves S as a human silence label', async () => {
    render(ReviewView, { recordingId: 1 });
    await screen.findByRole('button', { name: /Next uncertain/ });
    await fireEvent.keyDown(window, { key: 'Enter' });
    await screen.findByText(/Region p\(silence\) 0\.52/);
    await fireEvent.keyDown(window, { key: 's' });
    await waitFor(() => expect(api.labels.map((l) => [l.startSeconds, l.endSeconds, l.value])).toEqual([[30, 35, 'silence']]));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Undo' }).hasAttribute('disabled')).toBe(false));
    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(api.labels).toEqual([]));
  });

  it('opens the help overlay with ? listing every shortcut of the table', async () => {
    render(ReviewView, { recordingId: 1 });
    await screen.findByRole('button', { name: /Next uncertain/ });
    await fireEvent.keyDown(window, { key: '?', shiftKey: true });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const hotkey of HOTKEYS) expect(dialog.textContent).toContain(hotkey.description);
    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('calls onBack from the back button', async () => {
    const onBack = vi.fn();
    render(ReviewView, { recordingId: 1, onBack });
    await fireEvent.click(screen.getByRole('button', { name: '← Recordings' }));
    expect(onBack).toHaveBeenCalledOnce();
  });

  it('starts nothing (tiles, timers, listeners) when it is closed while the recording is still loading', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const answer = api.call.bind(api);
    api.call = async (name, ...args) => {
      if (name === 'review:open') await held;
      return answer(name, ...args);
    };
    const timers = new Set<unknown>();
    const setIntervalSpy = vi.spyOn(window, 'setInterval');
    vi.spyOn(window, 'clearInterval').mockImplementation((id) => void timers.delete(id));
    const { unmount } = render(ReviewView, { recordingId: 1 });
    expect(screen.getByText('Opening recording…')).toBeTruthy();
    unmount();
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const result of setIntervalSpy.mock.results) timers.add(result.value);
    expect(timers.size, 'intervals left running').toBe(0);
    expect(fetched).toEqual([]);
    expect(api.listenerCount('recording:changed')).toBe(0);
    expect(api.listenerCount('menu:command')).toBe(0);
    expect(api.calls.map((c) => c.name).sort()).toEqual(['display:get', 'preferences:get', 'review:open']); // reads only: not even history:state
  });

  it('releases its listeners and timers when closed after loading', async () => {
    const setIntervalSpy = vi.spyOn(window, 'setInterval');
    const cleared = new Set<unknown>();
    const clearIntervalSpy = vi.spyOn(window, 'clearInterval');
    clearIntervalSpy.mockImplementation((id) => void cleared.add(id));
    const { unmount } = render(ReviewView, { recordingId: 1 });
    await screen.findByRole('button', { name: /Next uncertain/ });
    expect(api.listenerCount('recording:changed')).toBe(1);
    unmount();
    expect(api.listenerCount('recording:changed')).toBe(0);
    expect(api.listenerCount('menu:command')).toBe(0);
    const started = setIntervalSpy.mock.results.map((r) => r.value);
    expect(started.length).toBeGreaterThan(0);
    expect(started.filter((id) => !cleared.has(id))).toEqual([]);
  });
});

