/** Page object for the jobs panel: each job's row, its state and its cancel button. */
import type { Locator, Page } from 'playwright-core';

export class JobsPage {
  constructor(private readonly page: Page) {}

  list(): Locator {
    return this.page.getByRole('list', { name: 'Jobs' });
  }

  /** The row of a job, found by its accessible name "Job <id>: <kind>, <state>". */
  row(jobId: number): Locator {
    return this.list().getByRole('listitem', { name: new RegExp(`^Job ${jobId}: `) });
  }

  /** Rows of a kind, newest first. */
  rowsOfKind(kind: string): Locator {
    return this.list().getByRole('listitem', { name: new RegExp(`^Job \\d+: ${kind}, `) });
  }

  /** The state a job's row shows (its state badge). */
  async stateOf(jobId: number): Promise<string> {
    return ((await this.row(jobId).locator('.state').textContent()) ?? '').trim();
  }

  async waitForState(jobId: number, state: string, timeout = 30_000): Promise<void> {
    await this.page.waitForFunction(
      ([id, s]) => Boolean(document.querySelector(`li[aria-label^="Job ${id}: "][aria-label$=", ${s}"]`)),
      [jobId, state] as const,
      { timeout },
    );
  }

  async cancel(jobId: number): Promise<void> {
    await this.row(jobId).getByRole('button', { name: new RegExp(`^Cancel job ${jobId}`) }).click();
  }
}
