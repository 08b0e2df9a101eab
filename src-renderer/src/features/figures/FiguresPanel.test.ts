import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '@testing-library/svelte/vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import FiguresPanel from './FiguresPanel.svelte';
import { installFakeApi } from '../../lib/testing/fake-api';
import { SonotypeError } from '../../../../src-shared/errors';
import { recordingRow } from '../recordings/test-rows';

/** jsdom has no canvas: record what the heatmaps paint instead. */
const painted: Array<{ canvas: HTMLCanvasElement; data: Uint8ClampedArray }> = [];
beforeEach(() => {
  painted.length = 0;
  const fakeGetContext = function (this: HTMLCanvasElement) {
    const canvas = this;
    return {
      createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
      putImageData: (image: { data: Uint8ClampedArray }) => painted.push({ canvas, data: image.data }),
    } as unknown as CanvasRenderingContext2D;
  };
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(fakeGetContext as never);
});
afterEach(() => vi.restoreAllMocks());

const recordings = [recordingRow({ id: 3, path: 'x.wav' }), recordingRow({ id: 4, path: 'y.wav' })];

describe('FiguresPanel', () => {
  it('shows loading, then the loss curve and every filter', async () => {
    installFakeApi({
      'figures:trainingLoss': () => ({ modelLabel: 'convnet-v1 #2', loss: [0.9, 0.4, 0.3] }),
      'figures:filters': () => ({ modelLabel: 'convnet-v1 #2', kernelHeight: 2, kernelWidth: 3, filters: [[1, 0, -1, 0, 0, 0], [0, 0, 0, 0, 0, 2]] }),
    });
    render(FiguresPanel, { recordings });
    expect(screen.getByText('Loading training loss…')).toBeTruthy();
    await screen.findByRole('img', { name: /Encoder training \(convnet-v1 #2\): 3 values, last 0.3000/ });
    const list = await screen.findByRole('list', { name: '2 first-layer filters of convnet-v1 #2' });
    const images = within(list).getAllByRole('img');
    expect(images.map((c) => c.getAttribute('aria-label'))).toEqual(['Filter 1', 'Filter 2']);
    const canvases = images.map((image) => image.querySelector('canvas') as HTMLCanvasElement);
    expect(canvases.map((c) => [c.width, c.height])).toEqual([[2, 3], [2, 3]]);
    // Filter 1 has +1 at (t=0, f=0): bottom-left pixel, red-ish (positive); -1 at (t=0, f=2): top-left, blue-ish.
    const first = painted.find((p) => p.canvas === canvases[0])?.data as Uint8ClampedArray;
    const px = (x: number, y: number) => Array.from(first.slice((y * 2 + x) * 4, (y * 2 + x) * 4 + 3));
    const [r1, , b1] = px(0, 2);
    const [r2, , b2] = px(0, 0);
    expect(r1).toBeGreaterThan(b1);
    expect(b2).toBeGreaterThan(r2);
  });

  it('explains when nothing is trained and shows errors per figure', async () => {
    installFakeApi({
      'figures:trainingLoss': () => null,
      'figures:filters': () => { throw new SonotypeError('DATABASE', 'The model folder models/7 is missing.'); },
      'figures:reconstruction': () => null,
    });
    render(FiguresPanel, { recordings });
    expect(await screen.findByText('No encoder has been trained yet.')).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toBe('Filters: The model folder models/7 is missing.');
  });

  it('shows a chosen window next to its reconstruction with the error between them', async () => {
    const api = installFakeApi({
      'figures:trainingLoss': () => null,
      'figures:filters': () => null,
      'figures:reconstruction': (id, w) => {
        if (w === 99) throw new SonotypeError('INVALID_ARGUMENT', 'Window 99 is past the end of y.wav (40 windows).');
        return { kind: 'reconstruction', modelLabel: 'encoder-v1 v1', frames: 2, bins: 2, input: [0, 1, 2, 3], output: [0, 1, 2, 1] };
      },
    });
    render(FiguresPanel, { recordings });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Recording' }), { target: { value: '4' } });
    await fireEvent.input(screen.getByRole('spinbutton', { name: 'Window' }), { target: { value: '5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    await screen.findByRole('img', { name: 'Reconstruction' });
    expect(api.calls).toContainEqual(['figures:reconstruction', [4, 5]]);
    // (3 − 1)² / 4 = 1
    expect(screen.getByTestId('mse').textContent).toBe('1.000');
    expect(screen.getByRole('img', { name: 'Input window' })).toBeTruthy();
    await fireEvent.input(screen.getByRole('spinbutton', { name: 'Window' }), { target: { value: '99' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Window 99 is past the end of y.wav (40 windows).'));
  });

  it('says plainly why there is nothing to compare and offers to train an encoder', async () => {
    const api = installFakeApi({ 'figures:trainingLoss': () => null, 'figures:filters': () => null, 'figures:reconstruction': () => null });
    const onTrain = vi.fn();
    render(FiguresPanel, { recordings, onTrain });
    // Asked at once for the first window: no "Show" press needed to learn that nothing can be shown.
    const empty = await screen.findByTestId('no-figure-model');
    expect(api.calls).toContainEqual(['figures:reconstruction', [3, 0]]);
    expect(empty.textContent).toMatch(/saved without the network it was trained with/);
    expect(empty.textContent).toMatch(/V3 then shows its predicted next frame next to the real one/);
    await fireEvent.click(within(empty).getByRole('button', { name: 'Train an encoder…' }));
    expect(onTrain).toHaveBeenCalledOnce();
  });

  it("shows LSTM V3's predicted next frame against the real one, and the error of repeating the last frame", async () => {
    installFakeApi({
      'figures:trainingLoss': () => null,
      'figures:filters': () => null,
      'figures:reconstruction': () => ({
        kind: 'next-frame', modelLabel: 'encoder-v3 (default model)', frames: 1, bins: 4, input: [0, 1, 2, 3], output: [0, 1, 2, 1], lastFrame: [0, 1, 2, 7],
      }),
    });
    render(FiguresPanel, { recordings });
    expect(await screen.findByRole('heading', { name: 'Next frame: predicted vs real (encoder-v3 (default model))' })).toBeTruthy();
    const plot = screen.getByRole('img', { name: 'Predicted and real next frame' });
    expect(plot.querySelectorAll('path')).toHaveLength(2);
    expect(screen.getByTestId('mse').textContent).toBe('1.000');
    expect(screen.getByTestId('repeat-mse').textContent).toBe('4.000');
  });
});
