/**
 * Detection settings and heads in Chromium through browser mode, on the
 * review e2e's project (real recordings + synthesised scenes, detected
 * beforehand): the settings panel previews another threshold's regions live,
 * Apply re-detects with them, Retrain & figures lists the heads with the
 * active one, and tonal mode (faint whistles) is turned on from the panel.
 * Screenshots: e2e/screenshots/detection-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findChromium } from './support/chromium';
import { openBrowserSession, type BrowserSession } from './support/browser-session';
import { e2eSkipReason, screenshotsDir, sharedRecordingsDir } from './support/paths';
import { createReviewProject, type ReviewProject } from './support/review-project';
import { RecordingsPage } from './pages/recordings-page';
import { ReviewPage } from './pages/review-page';
import { AppShellPage } from './pages/app-shell-page';
import type { BrowserServer } from '../src-main/server/browser-server';

const chromiumPath = findChromium();
const skipReason = e2eSkipReason(chromiumPath) ?? (existsSync(sharedRecordingsDir) ? null : `${sharedRecordingsDir} is absent`);
if (skipReason) console.warn(`[e2e] detection settings tests skipped: ${skipReason}`);
const SCENE = 'synth_scene_a.wav';
const shot = (name: string) => join(screenshotsDir, `detection-${name}.png`);

describe.skipIf(Boolean(skipReason))('detection settings and heads (Chromium, browser mode)', () => {
  let fixture: ReviewProject;
  let server: BrowserServer;
  let session: BrowserSession | undefined;
  let page: Page;

  beforeAll(async () => {
    fixture = await createReviewProject();
    session = await openBrowserSession(chromiumPath as string, fixture.projectDir);
    ({ server, page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (fixture) await rm(fixture.root, { recursive: true, force: true });
  });

  /** Sets a slider the way dragging it does (an input event per value). */
  async function slide(name: string, value: number): Promise<void> {
    await page.getByRole('slider', { name, exact: true }).evaluate((el, v) => {
      (el as HTMLInputElement).value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
  }

  /** Opens a recording from the Recordings list and waits until its review view is drawn. */
  async function openReview(name: string): Promise<ReviewPage> {
    await new RecordingsPage(page).open(server.url);
    await page.locator('tbody tr', { hasText: name }).dblclick();
    const review = new ReviewPage(page);
    await review.heading().filter({ hasText: name }).waitFor();
    await review.waitUntilDrawn();
    return review;
  }

  const previewCount = async () => Number(/(\d+) sound region/.exec((await page.getByTestId('preview-status').textContent()) ?? '')?.[1] ?? NaN);

  it('previews other settings live on the recording, then applies them to every recording', async () => {
    const review = await openReview(SCENE);
    const before = (await review.countsShown()).regions;

    await page.getByRole('button', { name: 'Detection settings…' }).click();
    await page.getByTestId('preview-status').filter({ hasText: /redrawn in \d+ ms/ }).waitFor();
    const atStored = await previewCount();
    // A long merge gap joins the clicks of the train into fewer sound regions: the strip follows at once.
    await slide('Merge gap', 0.3);
    await expect.poll(previewCount).toBeLessThan(atStored);
    const merged = await previewCount();
    const status = (await page.getByTestId('preview-status').textContent()) ?? '';
    console.info(`[e2e] detection preview: ${status}`);
    expect(Number(/redrawn in (\d+) ms/.exec(status)?.[1])).toBeLessThan(2000);
    await review.screenshot(shot('preview'));

    await page.getByRole('button', { name: 'Apply to every recording' }).click();
    await page.getByText(/Detecting every recording with the new settings/).waitFor();
    // The detect job derives and stores the regions; the view reloads them.
    await expect.poll(async () => (await review.countsShown()).regions, { timeout: 60_000 }).not.toBe(before);
    const after = (await review.countsShown()).regions;
    expect(after).toBeLessThan(before);
    // Stored with the result: the panel now opens on the applied settings.
    await page.getByRole('button', { name: 'Detection settings…' }).click();
    await expect.poll(async () => page.getByRole('slider', { name: 'Merge gap', exact: true }).inputValue()).toBe('0.3');
    await expect.poll(previewCount).toBe(merged);
  }, 120_000);

  it('lists the detection heads with the active one in Retrain & figures', async () => {
    await new AppShellPage(page).showView('Retrain & figures');
    const table = page.getByRole('table', { name: 'Head history' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await table.locator('tbody tr[data-active="true"]').count()).toBe(1);
  }, 60_000);

  it('after corrections and a retrain, shows both held-out scores and switches heads with one click', async () => {
    // Correct a few regions of two recordings (sound marked as sound, silence as silence), as a reviewer would.
    for (const name of [SCENE, 'synth_scene_b.wav']) {
      const review = await openReview(name);
      for (let i = 0; i < 4; i++) {
        await review.press('Enter');
        const kind = await page.locator('[data-testid="region"].current').first().getAttribute('data-kind').catch(() => null);
        await review.press(kind === 'silence' ? 's' : 'n');
      }
    }
    const shell = new AppShellPage(page);
    await shell.showView('Retrain & figures');
    const rowsBefore = await page.getByRole('table', { name: 'Head history' }).locator('tbody tr').count();
    await page.getByRole('main').getByRole('button', { name: /^Retrain (silence|detection) head$/ }).click();
    const table = page.getByRole('table', { name: 'Head history' });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 90_000 }).toBeGreaterThan(rowsBefore);
    const outcome = page.getByTestId('retrain-outcome');
    await outcome.waitFor();
    const candidate = Number(await outcome.getByTestId('candidate-score').textContent());
    const previous = Number(await outcome.getByTestId('previous-score').textContent());
    console.info(`[e2e] retrain: new head ${candidate}, head active then ${previous}`);
    expect(candidate).toBeGreaterThanOrEqual(0);
    expect(previous).toBeGreaterThanOrEqual(0);
    // The better one is active: a worse head is never made active silently (on a tie the panel says what decided).
    const adopted = /it is now active/.test((await outcome.textContent()) ?? '');
    if (candidate > previous) expect(adopted).toBe(true);
    if (candidate < previous) expect(adopted).toBe(false);
    const newest = table.locator('tbody tr').first();
    expect(await newest.getAttribute('data-active')).toBe(adopted ? 'true' : 'false');
    await page.getByRole('heading', { name: 'Detection heads' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('heads'), fullPage: true });
    // One click switches to the other head, and one more back.
    const other = outcome.getByRole('button', { name: /Use head v\d+ anyway|Go back to head v\d+/ });
    await other.click();
    await expect.poll(async () => newest.getAttribute('data-active'), { timeout: 60_000 }).toBe(adopted ? 'false' : 'true');
  }, 240_000);

  it('turns on tonal mode for faint whistles: Apply analyses again and more of an OSmOSE file is sound', async () => {
    const file = 'dolphin_osmose_220925_223450.wav';
    const review = await openReview(file);
    /** Share of the region strip's width drawn as sound. */
    const soundShare = () =>
      review.regions().evaluateAll((els) => {
        const width = (e: Element) => e.getBoundingClientRect().width;
        const all = els.reduce((s, e) => s + width(e), 0);
        return all > 0 ? els.filter((e) => e.getAttribute('data-kind') === 'sound').reduce((s, e) => s + width(e), 0) / all : 0;
      });
    const before = await soundShare();
    await page.getByRole('button', { name: 'Detection settings…' }).click();
    const tonal = page.getByRole('checkbox', { name: 'Faint tonal contours' });
    expect(await tonal.isChecked()).toBe(false);
    await tonal.check();
    await page.getByText('on Apply').waitFor();
    await page.getByRole('button', { name: 'Apply to every recording' }).click();
    // A new analysis (the ridge tracker needs the spectrogram again), then the regions of every recording.
    await expect.poll(soundShare, { timeout: 90_000 }).toBeGreaterThan(before + 0.03);
    console.info(`[e2e] tonal mode: ${(100 * before).toFixed(0)} % → ${(100 * (await soundShare())).toFixed(0)} % of ${file} is sound`);
    await review.screenshot(shot('tonal-whistles'));
    await page.getByRole('button', { name: 'Detection settings…' }).click();
    expect(await page.getByRole('checkbox', { name: 'Faint tonal contours' }).isChecked()).toBe(true);
  }, 180_000);
});
