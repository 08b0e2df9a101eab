/**
 * The review view's display and listening controls with a fake main: spectrogram settings stored and the
 * tiles paged again with them, frequency zoom by drag and keys, the dB colour bar, the amplitude axis and
 * the playback gain reaching the audio route.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { FakeApi, makeReview, region } from '../review/testing/fake-api';
import { tileBytes } from '../review/testing/tile-bytes';
import ReviewView from '../review/ReviewView.svelte';

vi.mock('wavesurfer.js', () => ({
  default: { create: vi.fn(() => ({ options: {}, setOptions: vi.fn(), load: vi.fn(async () => undefined), destroy: vi.fn() })) },
}));

let api: FakeApi;
let fetched: string[];

beforeEach(() => {
  const review = makeReview([region(1, 10, 20, 0.9)]);
  // A 512-point display FFT of the 1 kHz recording: 256 bins up to 500 Hz (the fake's tiles themselves are tiny).
  api = new FakeApi({ ...review, spectrogram: { ...review.spectrogram, binCount: 256 } });
  window.sonotype = api;
  fetched = [];
  vi.stubGlobal('ResizeObserver', class { observe() {} unobserve() {} disconnect() {} });
  // jsdom has no PointerEvent: a MouseEvent with a pointer id stands in (clientY and button are what the axis reads).
  vi.stubGlobal('PointerEvent', class extends MouseEvent {
    readonly pointerId: number;
    constructor(type: string, init: PointerEventInit = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 1;
    }
  });
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
  vi.spyOn(HTMLMediaElement.prototype, 'load').mockImplementation(() => undefined);
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    fetched.push(url);
    const [level, index] = url.split('?')[0].split('/').slice(-2).map(Number);
    // Peaks of ±0.0003 (a −70 dBFS file once its DC offset is removed).
    const bytes = tileBytes(level, index, 4, 4, false, 100);
    const view = new DataView(bytes.buffer);
    for (let c = 0; c < 4; c++) {
      view.setFloat32(32 + 8 * c, -3e-4, true);
      view.setFloat32(36 + 8 * c, 3e-4, true);
    }
    return new Response(bytes.slice().buffer as ArrayBuffer);
  }));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  window.sonotype = undefined;
});

async function openView() {
  render(ReviewView, { recordingId: 1 });
  await screen.findByRole('button', { name: /Next uncertain/ });
  await waitFor(() => expect(fetched.length).toBeGreaterThan(0));
}

describe('review display', () => {
  it('stores new FFT settings in the project and pages the tiles again with them', async () => {
    await openView();
    expect(screen.getByTestId('spectrogram-resolution').textContent).toBe('1.95 Hz × 256 ms'); // 1 kHz file, FFT 512, hop 256
    await fireEvent.change(screen.getByLabelText('FFT size'), { target: { value: '1024' } });
    await waitFor(() => expect(fetched.some((u) => u.includes('fft=1024&window=hann&overlap=50'))).toBe(true));
    expect(api.calls.find((c) => c.name === 'display:set')?.args).toEqual([{ spectrogram: { fftSize: 1024, window: 'hann', overlapPercent: 50 } }]);
    expect(api.displayPrefs.spectrogram.fftSize).toBe(1024);
    await fireEvent.change(screen.getByLabelText('Window'), { target: { value: 'blackman' } });
    await waitFor(() => expect(fetched.some((u) => u.includes('fft=1024&window=blackman&overlap=50'))).toBe(true));
  });

  it('zooms the frequency axis by dragging on it, by keys, and back to 0 Hz – Nyquist', async () => {
    await openView();
    const axis = screen.getByRole('slider', { name: /Frequency axis/ });
    const band = () => [Number(axis.getAttribute('data-low-hz')), Number(axis.getAttribute('data-high-hz'))];
    expect(band()).toEqual([0, 500]);
    // jsdom: the axis's box starts at 0, so clientY is the row; 280 px high, 500 Hz Nyquist.
    axis.setPointerCapture = () => undefined;
    await fireEvent.pointerDown(axis, { button: 0, clientY: 140, pointerId: 1 });
    await fireEvent.pointerMove(axis, { clientY: 252, pointerId: 1 });
    await fireEvent.pointerUp(axis, { clientY: 252, pointerId: 1 });
    expect(band()[0]).toBeCloseTo(50, 6);
    expect(band()[1]).toBeCloseTo(250, 6);
    await fireEvent.keyDown(window, { key: 'ArrowUp', shiftKey: true });
    expect(band()[1] - band()[0]).toBeCloseTo(100, 6);
    await fireEvent.keyDown(window, { key: 'ArrowUp', altKey: true });
    expect(band()[0]).toBeCloseTo(125, 6);
    await fireEvent.keyDown(window, { key: 'f' });
    expect(band()).toEqual([0, 500]);
    await fireEvent.pointerDown(axis, { button: 0, clientY: 20, pointerId: 1 });
    await fireEvent.pointerUp(axis, { clientY: 100, pointerId: 1 });
    await fireEvent.click(screen.getByRole('button', { name: 'Show 0 Hz to Nyquist' }));
    expect(band()).toEqual([0, 500]);
  });

  it('shows a dB colour bar for the colour settings and an amplitude axis in dBFS', async () => {
    await openView();
    const bar = screen.getByRole('img', { name: /Colour scale/ });
    await waitFor(() => expect(bar.getAttribute('aria-label')).toMatch(/Colour scale: -?\d+ dB to -?\d+ dB/));
    const ticks = [...bar.querySelectorAll('text')].map((t) => Number(t.textContent));
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b)); // rising
    const axis = screen.getByRole('img', { name: /Amplitude axis/ });
    // Peaks ±3e-4 drawn at 95 % of the height: the panel's edge is 3.16e-4 full scale = −70 dBFS.
    await waitFor(() => expect(axis.getAttribute('data-edge-dbfs')).toBe('-70'));
    expect(axis.textContent).toContain('+2e-4');
  });

  it('sends the playback gain and DC removal to the audio route; Fit brings the peak to −3 dBFS', async () => {
    await openView();
    await waitFor(() => expect((screen.getByRole('button', { name: 'Fit' }) as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(screen.getByRole('button', { name: 'Fit' }));
    // Peak 3e-4 → −70.5 dBFS; +67 dB brings it to −3.5 dBFS.
    await waitFor(() => expect(api.displayPrefs.playbackGainDb).toBe(67));
    const audio = document.querySelector('audio')!;
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(async () => undefined);
    Object.defineProperty(audio, 'readyState', { configurable: true, get: () => 4 });
    await fireEvent.click(screen.getByRole('button', { name: /Play/ }));
    await waitFor(() => expect(audio.getAttribute('src') ?? '').toMatch(/&dc=remove&gain=67$/));
    await fireEvent.click(screen.getByLabelText(/Remove DC/));
    await waitFor(() => expect(api.displayPrefs.removeDc).toBe(false));
  });
});
