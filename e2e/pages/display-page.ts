/**
 * Page object for how a recording is shown and heard: the frequency axis and
 * its zoom, the spectrogram settings, the dB colour bar, the waveform's
 * amplitude axis and the listening controls.
 */
import type { Locator, Page } from 'playwright-core';

export class DisplayPage {
  constructor(private readonly page: Page) {}

  frequencyAxis(): Locator {
    return this.page.getByRole('slider', { name: /Frequency axis/ });
  }

  /** The band shown, [low, high] Hz. */
  async frequencyBand(): Promise<[number, number]> {
    const axis = this.frequencyAxis();
    return [Number(await axis.getAttribute('data-low-hz')), Number(await axis.getAttribute('data-high-hz'))];
  }

  /** Tick labels of the frequency axis, bottom to top. */
  async frequencyTicks(): Promise<string[]> {
    return this.frequencyAxis().locator('text').allTextContents();
  }

  /** Drags on the frequency axis from one frequency to another (the panel shows that band afterwards). */
  async dragFrequency(fromHz: number, toHz: number): Promise<void> {
    const box = (await this.frequencyAxis().boundingBox())!;
    const [low, high] = await this.frequencyBand();
    const yOf = (hz: number) => box.y + ((high - hz) / (high - low)) * box.height;
    const x = box.x + box.width / 2;
    await this.page.mouse.move(x, yOf(fromHz));
    await this.page.mouse.down();
    await this.page.mouse.move(x, (yOf(fromHz) + yOf(toHz)) / 2, { steps: 3 });
    await this.page.mouse.move(x, yOf(toHz), { steps: 3 });
    await this.page.mouse.up();
  }

  amplitudeAxis(): Locator {
    return this.page.getByRole('img', { name: /Amplitude axis/ });
  }

  /** dBFS of the waveform panel's edge (the axis's top). */
  async amplitudeEdgeDbfs(): Promise<number> {
    return Number(await this.amplitudeAxis().getAttribute('data-edge-dbfs'));
  }

  colourBar(): Locator {
    return this.page.getByRole('img', { name: /Colour scale/ });
  }

  async chooseFftSize(size: number): Promise<void> {
    await this.page.getByLabel('FFT size').selectOption(String(size));
  }

  /** Resolves once no preview tile is on screen any more (the exact spectrogram replaced it); returns the wait in ms. */
  async waitForExact(timeoutMs: number): Promise<number> {
    const started = Date.now();
    await this.page.getByText('Refining the spectrogram').waitFor({ state: 'detached', timeout: timeoutMs });
    return Date.now() - started;
  }

  /** Share of the waveform panel's pixels painted by wavesurfer (its canvases sit in a shadow root). */
  async waveformInkFraction(): Promise<number> {
    return this.page.evaluate(() => {
      const host = document.querySelector('.waveform .surface > div');
      const canvases = [...(host?.shadowRoot?.querySelectorAll('canvas') ?? [])] as HTMLCanvasElement[];
      let ink = 0;
      let total = 0;
      for (const c of canvases) {
        if (!c.width || !c.height) continue;
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
        total += c.width * c.height;
      }
      return total ? ink / total : 0;
    });
  }
}
