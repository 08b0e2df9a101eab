/**
 * Page object for the review of one recording: the spectrogram, the regions
 * and labels drawn over it, and the mouse and keyboard edits a researcher makes.
 * Positions are given in seconds and turned into pixels from the overlay's own
 * size and the time span it shows (whole-file view unless zoomed).
 */
import type { Locator, Page } from 'playwright-core';

export interface LabelBox {
  id: number;
  value: string;
  source: string;
  selected: boolean;
  /** Pixel extent inside the overlay. */
  left: number;
  width: number;
}

/** Labels live in the lane above the spectrogram: a pointer anywhere on the spectrogram lands on empty space. */
const EMPTY_STRIP_Y = 12;

export class ReviewPage {
  constructor(private readonly page: Page) {}

  heading() {
    return this.page.locator('section.review h2');
  }

  spectrogram(): Locator {
    return this.page.getByRole('img', { name: 'Spectrogram' }).or(this.page.locator('canvas[aria-label="Spectrogram"]')).first();
  }

  /** The layer over the spectrogram (drag draws a label, click moves the cursor). */
  overlay(): Locator {
    return this.page.getByTestId('spectrogram-overlay');
  }

  /** The lane above the spectrogram where time-only labels are drawn as bars. */
  labelLane(): Locator {
    return this.page.getByTestId('label-lane');
  }

  toasts(): Locator {
    return this.page.getByTestId('toasts');
  }

  recordingName(): Locator {
    return this.page.getByTestId('recording-name');
  }

  /** Unreviewed regions of this recording, from the review queue's counter. */
  async leftHere(): Promise<number> {
    const text = (await this.page.getByTestId('left-here').textContent()) ?? '';
    if (/all regions here reviewed/.test(text)) return 0;
    const match = /(\d+) regions? left here/.exec(text);
    if (!match) throw new Error(`review queue counter not shown as expected: "${text}"`);
    return Number(match[1]);
  }

  /** The part of the recording on screen, in seconds. */
  async visibleSpan(): Promise<[number, number]> {
    const overlay = this.overlay();
    return [Number(await overlay.getAttribute('data-view-start')), Number(await overlay.getAttribute('data-view-end'))];
  }

  /** Regions of this recording drawn as not yet reviewed. */
  async unreviewedShown(): Promise<number> {
    return this.regions().evaluateAll((els) => els.filter((e) => e.getAttribute('data-reviewed') !== 'true').length);
  }

  /** The current region's outline over the spectrogram, as [left, right] client pixels, or null. */
  async currentRegionExtent(): Promise<[number, number] | null> {
    const outline = this.page.getByTestId('current-region');
    if ((await outline.count()) === 0) return null;
    const box = await outline.boundingBox();
    return box ? [box.x, box.x + box.width] : null;
  }

  regions(): Locator {
    return this.page.getByTestId('region');
  }

  labels(): Locator {
    return this.page.getByTestId('label');
  }

  counts(): Locator {
    return this.page.getByTestId('review-counts');
  }

  legend(): Locator {
    return this.page.getByLabel('Legend');
  }

  /** Waits until the recording is open and spectrogram tiles are on the canvas. */
  async waitUntilDrawn(): Promise<void> {
    await this.overlay().waitFor();
    await this.page.waitForFunction(() => Number(document.querySelector('canvas[aria-label="Spectrogram"]')?.getAttribute('data-drawn-pieces')) > 0);
  }

  /** Share of canvas pixels that differ from the empty background: > 0 once a spectrogram is painted. */
  async paintedFraction(): Promise<number> {
    return this.page.evaluate(() => {
      const canvas = document.querySelector('canvas[aria-label="Spectrogram"]') as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      // Background fill is #0d0f13.
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - 0x0d) + Math.abs(data[i + 1] - 0x0f) + Math.abs(data[i + 2] - 0x13) > 6) painted++;
      return painted / (data.length / 4);
    });
  }

  /** "7 regions · 12 labels" → numbers. */
  async countsShown(): Promise<{ regions: number; labels: number }> {
    const text = (await this.counts().textContent()) ?? '';
    const match = /(\d+) regions? · (\d+) labels?/.exec(text);
    if (!match) throw new Error(`review counts not shown as expected: "${text}"`);
    return { regions: Number(match[1]), labels: Number(match[2]) };
  }

  async labelBoxes(): Promise<LabelBox[]> {
    const overlayLeft = (await this.overlay().boundingBox())!.x;
    const boxes: LabelBox[] = [];
    for (const label of await this.labels().all()) {
      const box = (await label.boundingBox())!;
      boxes.push({
        id: Number(await label.getAttribute('data-label-id')),
        value: (await label.getAttribute('data-value')) ?? '',
        source: (await label.getAttribute('data-source')) ?? '',
        selected: (await label.getAttribute('data-selected')) === 'true',
        left: box.x - overlayLeft,
        width: box.width,
      });
    }
    return boxes;
  }

  async humanLabels(): Promise<LabelBox[]> {
    return (await this.labelBoxes()).filter((l) => l.source === 'human');
  }

  /** Client x of a time, from the overlay's width and the seconds it spans. */
  async xOf(seconds: number, visibleSeconds: number): Promise<number> {
    const box = (await this.overlay().boundingBox())!;
    return box.x + (seconds / visibleSeconds) * box.width;
  }

  private async stripY(): Promise<number> {
    return (await this.overlay().boundingBox())!.y + EMPTY_STRIP_Y;
  }

  /** Drags across empty spectrogram from one time to another: draws a label. */
  async dragToCreate(fromSeconds: number, toSeconds: number, visibleSeconds: number): Promise<void> {
    const y = await this.stripY();
    const x0 = await this.xOf(fromSeconds, visibleSeconds);
    const x1 = await this.xOf(toSeconds, visibleSeconds);
    await this.page.mouse.move(x0, y);
    await this.page.mouse.down();
    await this.page.mouse.move((x0 + x1) / 2, y, { steps: 4 });
    await this.page.mouse.move(x1, y, { steps: 4 });
    await this.page.mouse.up();
  }

  /** Drags the end (or start) edge of a label by `dx` pixels. */
  async dragEdge(labelId: number, edge: 'start' | 'end', dx: number): Promise<void> {
    const handle = this.page.locator(`[data-label-id="${labelId}"][data-edge="${edge}"]`);
    const box = (await handle.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y, { steps: 3 });
    await this.page.mouse.move(x + dx, y, { steps: 3 });
    await this.page.mouse.up();
  }

  /** Clicks a label at a fraction of its width (selects it and puts the cursor there); Shift adds to the selection. */
  async clickLabel(labelId: number, atFraction = 0.5, shift = false): Promise<void> {
    const box = (await this.page.locator(`[data-testid="label"][data-label-id="${labelId}"]`).boundingBox())!;
    const position = { x: box.x + box.width * atFraction, y: box.y + box.height * 0.6 };
    if (shift) await this.page.keyboard.down('Shift');
    await this.page.mouse.click(position.x, position.y);
    if (shift) await this.page.keyboard.up('Shift');
  }

  /** Clicks empty spectrogram at a time: moves the cursor and makes the region there the current one. */
  async clickEmptyAt(seconds: number, visibleSeconds: number): Promise<void> {
    await this.page.mouse.click(await this.xOf(seconds, visibleSeconds), await this.stripY());
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** Waits until the shown label count is `n` (edits are saved, then drawn). */
  async waitForLabelCount(n: number): Promise<void> {
    await this.page.waitForFunction(
      (expected) => document.querySelector('[data-testid="review-counts"]')?.textContent?.includes(`· ${expected} label`),
      n,
    );
  }

  async waitForHumanLabels(predicate: string): Promise<void> {
    await this.page.waitForFunction(predicate);
  }

  helpDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: false });
  }
}
