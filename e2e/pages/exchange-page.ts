/**
 * Page object for annotation exchange: the page's File menu, the Import and
 * Export dialogs, and the frequency boxes drawn over the spectrogram.
 */
import type { Locator, Page } from 'playwright-core';

export interface DrawnBox {
  id: number;
  soundType: string;
  selected: boolean;
  /** Pixel rectangle relative to the spectrogram canvas. */
  left: number;
  top: number;
  width: number;
  height: number;
}

export class ExchangePage {
  constructor(private readonly page: Page) {}

  async openFileMenu(): Promise<void> {
    await this.page.getByRole('banner').getByRole('button', { name: 'File', exact: true }).click();
  }

  async importTables(paths: string[], options: { reference?: boolean } = {}): Promise<Locator> {
    await this.openFileMenu();
    await this.page.getByRole('menuitem', { name: 'Import annotations…' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Import annotations' });
    await dialog.getByLabel('Annotation tables').setInputFiles(paths);
    if (options.reference) await dialog.getByLabel(/Reference truth/).check();
    await dialog.getByRole('button', { name: /^Import/ }).click();
    await dialog.getByTestId('import-result').waitFor();
    return dialog;
  }

  async exportLabels(format: string, folder: string): Promise<Locator> {
    await this.openFileMenu();
    await this.page.getByRole('menuitem', { name: 'Export labels…' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Export labels' });
    await dialog.getByLabel('Export format').selectOption(format);
    await dialog.getByLabel('Export folder').fill(folder);
    await dialog.getByRole('button', { name: 'Export' }).click();
    await dialog.getByTestId('export-result').waitFor();
    return dialog;
  }

  boxes(): Locator {
    return this.page.getByTestId('label-box');
  }

  async drawnBoxes(): Promise<DrawnBox[]> {
    const canvas = (await this.page.locator('canvas[aria-label="Spectrogram"]').boundingBox())!;
    const out: DrawnBox[] = [];
    for (const box of await this.boxes().all()) {
      const r = (await box.boundingBox())!;
      out.push({
        id: Number(await box.getAttribute('data-box-id')),
        soundType: (await box.getAttribute('data-sound-type')) ?? '',
        selected: (await box.getAttribute('data-selected')) === 'true',
        left: r.x - canvas.x, top: r.y - canvas.y, width: r.width, height: r.height,
      });
    }
    return out;
  }

  /** Shift+drag on the spectrogram between two canvas-relative points: draws a box. */
  async shiftDrag(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
    const canvas = (await this.page.locator('canvas[aria-label="Spectrogram"]').boundingBox())!;
    await this.page.keyboard.down('Shift');
    await this.page.mouse.move(canvas.x + from.x, canvas.y + from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(canvas.x + (from.x + to.x) / 2, canvas.y + (from.y + to.y) / 2, { steps: 4 });
    await this.page.mouse.move(canvas.x + to.x, canvas.y + to.y, { steps: 4 });
    await this.page.mouse.up();
    await this.page.keyboard.up('Shift');
  }

  /** Sets the selected label's sound type in the details panel (Enter saves). */
  async setSoundType(text: string): Promise<void> {
    const input = this.page.getByTestId('label-details').getByLabel('Sound type');
    await input.fill(text);
    await input.press('Enter');
  }
}
