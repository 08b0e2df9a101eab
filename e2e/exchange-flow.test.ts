/**
 * Annotation exchange end to end in Chromium through browser mode: a project
 * holding the spinetail recording → File → Import annotations… with its
 * Audacity label track (frequency lines) → the 18 labels drawn as boxes where
 * the table puts them → edit one (its sound type), draw another with
 * Shift+drag → File → Export labels… as Raven tables → the file on disk has
 * the imported, edited and drawn selections.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium } from './support/chromium';
import { openBrowserSession, type BrowserSession } from './support/browser-session';
import { e2eSkipReason, screenshotsDir, sharedRecordingsDir } from './support/paths';
import { RecordingsPage } from './pages/recordings-page';
import { ReviewPage } from './pages/review-page';
import { ExchangePage } from './pages/exchange-page';
import type { BrowserServer } from '../src-main/server/browser-server';
import { openProject } from '../src-main/engine/project/open-project';
import { scanProject } from '../src-main/engine/project/scan-project';

const chromiumPath = findChromium();
const RECORDING = 'birds_spinetail_maad.wav';
const TABLE = join(sharedRecordingsDir, 'birds_spinetail_maad.audacity_labels.txt');
const skipReason = e2eSkipReason(chromiumPath) ?? (existsSync(TABLE) ? null : `${TABLE} is absent`);
if (skipReason) console.warn(`[e2e] exchange-flow tests skipped: ${skipReason}`);

describe.skipIf(Boolean(skipReason))('annotation exchange in Chromium (browser mode)', () => {
  let root: string;
  let server: BrowserServer;
  let session: BrowserSession | undefined;
  let page: Page;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sonotype-e2e-exchange-'));
    const projectDir = join(root, 'project');
    await mkdir(projectDir);
    await copyFile(join(sharedRecordingsDir, RECORDING), join(projectDir, RECORDING));
    const project = await openProject(projectDir);
    await scanProject(project);
    project.close();
    session = await openBrowserSession(chromiumPath as string, projectDir);
    ({ server, page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('imports a table by the menu, shows the boxes, edits one, exports, and the file says so', async () => {
    const recordings = new RecordingsPage(page);
    await recordings.open(server.url);
    await recordings.rows().first().waitFor();
    const exchange = new ExchangePage(page);

    const dialog = await exchange.importTables([TABLE]);
    await expect.poll(() => dialog.getByRole('status').first().textContent()).toMatch(/18 labels imported into 1 recording/);
    await page.screenshot({ path: join(screenshotsDir, 'exchange-import-result.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.locator('tbody tr', { hasText: RECORDING }).dblclick();
    const review = new ReviewPage(page);
    await review.heading().filter({ hasText: RECORDING }).waitFor();
    await review.waitUntilDrawn();
    await expect.poll(() => exchange.boxes().count()).toBe(18);

    // The first label of the table (0.101385–0.367520 s, 6441–12297 Hz) is drawn there: whole file in view, 0 … 22050 Hz.
    const canvas = (await page.locator('canvas[aria-label="Spectrogram"]').boundingBox())!;
    const first = (await exchange.drawnBoxes()).sort((a, b) => a.left - b.left)[0];
    const duration = 19.542;
    expect(first.soundType).toBe('SP');
    expect(first.left).toBeCloseTo((0.101385 / duration) * canvas.width, -0.5);
    expect(first.width).toBeCloseTo(((0.36752 - 0.101385) / duration) * canvas.width, -0.5);
    expect(first.top).toBeCloseTo((1 - 12296.577 / 22050) * canvas.height, -0.7);
    expect(first.top + first.height).toBeCloseTo((1 - 6441.064 / 22050) * canvas.height, -0.7);
    await page.screenshot({ path: join(screenshotsDir, 'exchange-boxes.png') });

    // Edit one: select it and give it another sound type.
    await page.locator(`[data-box-id="${first.id}"]`).click({ position: { x: 3, y: first.height / 2 } });
    await expect.poll(async () => (await exchange.drawnBoxes()).find((b) => b.id === first.id)?.selected).toBe(true);
    await exchange.setSoundType('SP-checked');
    await expect.poll(async () => (await exchange.drawnBoxes()).find((b) => b.id === first.id)?.soundType).toBe('SP-checked');

    // Draw one more with Shift+drag in an empty stretch (19.0–19.4 s, high band).
    await exchange.shiftDrag({ x: (19.0 / duration) * canvas.width, y: canvas.height * 0.1 }, { x: (19.4 / duration) * canvas.width, y: canvas.height * 0.3 });
    await expect.poll(() => exchange.boxes().count()).toBe(19);
    await page.screenshot({ path: join(screenshotsDir, 'exchange-edited.png') });

    const outDir = join(root, 'exported');
    const exported = await exchange.exportLabels('raven', outDir);
    await expect.poll(() => exported.getByTestId('export-result').textContent()).toMatch(/19 labels of 1 recording/);
    const table = await readFile(join(outDir, 'birds_spinetail_maad.Table.1.selections.txt'), 'utf8');
    const [header, ...rows] = table.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(header.slice(0, 7)).toEqual(['Selection', 'View', 'Channel', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)']);
    expect(rows).toHaveLength(19);
    const col = (name: string) => header.indexOf(name);
    const edited = rows.find((r) => r[col('Sound Type')] === 'SP-checked')!;
    expect(edited.slice(3, 7)).toEqual(['0.101383220', '0.367528345', '6441.064453', '12296.577148']);
    expect(edited[col('Source')]).toBe('human'); // a person has vouched for it now
    expect(edited[col('Source Table')]).toBe('birds_spinetail_maad.audacity_labels.txt');
    const drawn = rows.find((r) => r[col('Source Table')] === '')!;
    expect(Number(drawn[col('Begin Time (s)')])).toBeCloseTo(19.0, 1);
    expect(Number(drawn[col('Low Freq (Hz)')])).toBeGreaterThan(14_000);
    expect(drawn[col('Sound Type')]).toBe('sound');
  });
});
