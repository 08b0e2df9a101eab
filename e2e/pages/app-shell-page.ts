/** Page object for the app shell: the top bar's view switcher and the recordings filter. */
import type { Page } from 'playwright-core';

export class AppShellPage {
  constructor(private readonly page: Page) {}

  /** Switches views with the top bar ('Recordings', 'Jobs', 'Retrain & figures'). */
  async showView(name: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();
  }

  /** Presses "/" and types into the recordings filter. */
  async filterRecordings(text: string): Promise<void> {
    await this.page.keyboard.press('/');
    await this.page.keyboard.type(text);
  }

  heading(name: string) {
    return this.page.getByRole('heading', { name, exact: true });
  }

  alerts() {
    return this.page.getByRole('alert');
  }
}
