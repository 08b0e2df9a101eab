/** Page object for the recordings list: what a researcher sees after opening a project. */
import type { Page } from 'playwright-core';

export class RecordingsPage {
  constructor(private readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('heading', { name: 'Sonotype' }).waitFor();
  }

  rows() {
    return this.page.locator('tbody tr');
  }

  async fileNames(): Promise<string[]> {
    return this.page.locator('tbody tr td:first-child').allTextContents();
  }

  async rowFor(fileName: string): Promise<string[]> {
    return this.page.locator('tbody tr', { hasText: fileName }).first().locator('td').allTextContents();
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: false });
  }
}
