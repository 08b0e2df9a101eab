/** Page object for "Retrain & figures": the retrain button, the held-out confusion matrices, the job launchers. */
import type { Locator, Page } from 'playwright-core';
import type { ConfusionCounts } from '../../src-shared/review-types';

export class RetrainPage {
  constructor(private readonly page: Page) {}

  retrainButton(): Locator {
    return this.page.getByRole('button', { name: /Retrain silence head|Retraining…/ });
  }

  report(): Locator {
    return this.page.getByRole('group', { name: 'Last retrain report' });
  }

  emptyMessage(): Locator {
    return this.page.getByText('No retrain yet.');
  }

  /** The matrix plot whose title starts with `title` ("Before", "After"). */
  matrix(title: 'Before' | 'After'): Locator {
    return this.report().getByRole('img', { name: new RegExp(`^${title} .*confusion matrix`) });
  }

  /** The four counts of a matrix as drawn: rows = truth, columns = prediction (not silence, silence). */
  async countsOf(title: 'Before' | 'After'): Promise<ConfusionCounts> {
    const matrix = this.matrix(title);
    const read = async (truth: string, predicted: string) =>
      Number(await matrix.locator(`g.cell[data-truth="${truth}"][data-predicted="${predicted}"] text.count`).textContent());
    return [
      [await read('not silence', 'not silence'), await read('not silence', 'silence')],
      [await read('silence', 'not silence'), await read('silence', 'silence')],
    ];
  }

  /** "… confusion matrix, 123 held-out frames" → 123. */
  async framesOf(title: 'Before' | 'After'): Promise<number> {
    const name = (await this.matrix(title).getAttribute('aria-label')) ?? '';
    return Number(/(\d+) held-out frames/.exec(name)?.[1] ?? NaN);
  }

  /** The held-out scores table: head name → [score, balanced accuracy, onset-F1] as shown. */
  async heldOutScores(): Promise<Record<string, string[]>> {
    const table = this.page.getByRole('table', { name: 'Held-out scores' });
    const out: Record<string, string[]> = {};
    for (const row of await table.locator('tbody tr').all()) {
      const cells = (await row.locator('th, td').allTextContents()).map((t) => t.trim());
      out[cells[0]] = cells.slice(1);
    }
    return out;
  }

  launcher(name: 'Run detection' | 'Train encoder…'): Locator {
    return this.page.getByRole('group', { name: 'Start jobs' }).getByRole('button', { name });
  }

  /** The training settings shown before an encoder training starts, and their time estimate. */
  trainEstimate(): Locator {
    return this.page.getByTestId('train-estimate');
  }

  /** Opens the training settings, keeps the defaults (or picks `model`) and starts the training. */
  async startTraining(model?: 'v1' | 'v3'): Promise<void> {
    await this.launcher('Train encoder…').click();
    await this.trainEstimate().waitFor();
    if (model) await this.page.getByRole('combobox', { name: 'Model' }).selectOption(model);
    await this.page.getByRole('button', { name: 'Start training' }).click();
  }

  /** The launcher's "… started as job #N." message → N. */
  async startedJobId(): Promise<number> {
    const status = this.page.getByRole('group', { name: 'Start jobs' }).getByRole('status');
    await status.waitFor();
    const match = /job #(\d+)/.exec((await status.textContent()) ?? '');
    if (!match) throw new Error(`no job id in "${await status.textContent()}"`);
    return Number(match[1]);
  }
}
