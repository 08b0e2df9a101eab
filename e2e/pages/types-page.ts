/** Page object for the sound-types view: clustering controls, the map, the gallery of cluster strips, the selection bar. */
import type { Locator, Page } from 'playwright-core';

export class TypesPage {
  constructor(private readonly page: Page) {}

  async clusterButton(): Promise<Locator> {
    return this.page.getByTestId('run-clustering');
  }

  cards(): Locator {
    return this.page.getByTestId('cluster-card');
  }

  card(name: string): Locator {
    return this.cards().filter({ has: this.page.getByRole('button', { name, exact: true }) });
  }

  /** Cluster names in gallery order. */
  async names(): Promise<string[]> {
    return this.cards().locator('header .name').allTextContents();
  }

  /** The "N regions" count of a card. */
  async sizeOf(card: Locator): Promise<number> {
    const text = (await card.locator('header').textContent()) ?? '';
    return Number(/(\d+) regions?/.exec(text)?.[1] ?? NaN);
  }

  async waitForClusterCount(n: number, timeout = 30_000): Promise<void> {
    await this.page.waitForFunction((k) => document.querySelectorAll('[data-testid="cluster-card"]').length === k, n, { timeout });
  }

  gallery(): Locator {
    return this.page.getByTestId('cluster-gallery');
  }

  mapCanvas(): Locator {
    return this.page.getByTestId('cluster-map').locator('canvas').first();
  }

  selectionBar(): Locator {
    return this.page.getByTestId('selection-bar');
  }

  /** Focuses a cluster by clicking its name, then presses keys in the gallery. */
  async focusAndPress(name: string, ...keys: string[]): Promise<void> {
    await this.card(name).locator('header .name').click();
    for (const key of keys) await this.page.keyboard.press(key);
  }

  /** Draws a lasso (Shift+drag) through the given canvas-relative points. */
  async lasso(points: { x: number; y: number }[]): Promise<void> {
    const box = (await this.mapCanvas().boundingBox())!;
    await this.page.keyboard.down('Shift');
    await this.page.mouse.move(box.x + points[0].x, box.y + points[0].y);
    await this.page.mouse.down();
    for (const p of points.slice(1)) await this.page.mouse.move(box.x + p.x, box.y + p.y, { steps: 4 });
    await this.page.mouse.up();
    await this.page.keyboard.up('Shift');
  }

  /** Canvas-relative positions of drawn map points (pixels brighter than the background), coarsely sampled. */
  async pointPixels(): Promise<{ x: number; y: number }[]> {
    return this.mapCanvas().evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d')!;
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const out: { x: number; y: number }[] = [];
      for (let y = 0; y < height; y += 3) {
        for (let x = 0; x < width; x += 3) {
          const i = 4 * (y * width + x);
          if (data[i] + data[i + 1] + data[i + 2] > 150) out.push({ x: x / ratio, y: y / ratio });
        }
      }
      return out;
    });
  }

  report(): Locator {
    return this.page.getByTestId('type-head-report');
  }
}
