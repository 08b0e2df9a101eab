/**
 * The sound-types loop end to end in Debian's Chromium through browser mode,
 * on a synthetic project of three call types (whistles, click trains, burst
 * pulses): detect → cluster → map (hover) and gallery → rename, move (drag),
 * number key, split, merge, lasso relabel → undo → retrain the heads → the
 * type review queue, opened in the review view with the selection outlined →
 * re-cluster with the names kept. Screenshots of each step go to
 * e2e/screenshots/types-*.png (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findChromium } from './support/chromium';
import { openBrowserSession, type BrowserSession } from './support/browser-session';
import { e2eSkipReason, screenshotsDir } from './support/paths';
import { AppShellPage } from './pages/app-shell-page';
import { JobsPage } from './pages/jobs-page';
import { RetrainPage } from './pages/retrain-page';
import { TypesPage } from './pages/types-page';
import type { BrowserServer } from '../src-main/server/browser-server';
import { openProject } from '../src-main/engine/project/open-project';
import { scanProject } from '../src-main/engine/project/scan-project';
import { synthScene, type SceneSegment } from '../src-main/engine/testing/synth';
import { encodeWav } from '../src-main/engine/testing/wav-writer';

const chromiumPath = findChromium();
const skipReason = e2eSkipReason(chromiumPath);
if (skipReason) console.warn(`[e2e] sound-types tests skipped: ${skipReason}`);

const RATE = 16_000;
const KINDS = ['whistle', 'clicks', 'burst'] as const;
const shot = (name: string) => join(screenshotsDir, `types-${name}.png`);

/** Nine calls per file, the three kinds in turn, 0.6 s long with 2.4 s of background between them. */
function scene(offset: number): Float32Array {
  const segments: SceneSegment[] = Array.from({ length: 9 }, (_, i) => ({ kind: KINDS[(i + offset) % 3], startSeconds: 1.5 + 3 * i, endSeconds: 2.1 + 3 * i }));
  return synthScene(RATE, segments, 29, 0.002, 7 + offset);
}

describe.skipIf(Boolean(skipReason))('sound types in Chromium (browser mode)', () => {
  let root: string;
  let server: BrowserServer;
  let session: BrowserSession | undefined;
  let page: Page;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sonotype-e2e-types-'));
    const audio = join(root, 'audio');
    await mkdir(audio);
    for (const [i, name] of ['calls_a.wav', 'calls_b.wav'].entries()) await writeFile(join(audio, name), encodeWav([scene(i)], { sampleRate: RATE, format: 'pcm16' }));
    const project = await openProject(join(root, 'project'), { audioRoot: audio });
    await scanProject(project);
    project.close();
    session = await openBrowserSession(chromiumPath as string, join(root, 'project'));
    ({ server, page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('detect → cluster → map and gallery → edit → undo → retrain the heads → re-cluster with names kept', async () => {
    const shell = new AppShellPage(page);
    const types = new TypesPage(page);
    await page.goto(server.url);

    // Detect, from the app.
    await shell.showView('Retrain & figures');
    const retrain = new RetrainPage(page);
    await retrain.launcher('Run detection').click();
    const detectJob = await retrain.startedJobId();
    await shell.showView('Jobs');
    await new JobsPage(page).waitForState(detectJob, 'succeeded', 120_000);

    // Cluster into three.
    await shell.showView('Sound types');
    await page.getByText('No clustering yet').waitFor();
    await page.getByLabel('Number of clusters (blank: automatic)').fill('3');
    await (await types.clusterButton()).click();
    await types.waitForClusterCount(3, 90_000);
    await page.waitForTimeout(500); // thumbnails
    await page.screenshot({ path: shot('1-clustered') });

    // The map: hovering a point shows its spectrogram.
    const points = await types.pointPixels();
    expect(points.length).toBeGreaterThan(10);
    const box = (await types.mapCanvas().boundingBox())!;
    await page.mouse.move(box.x + points[0].x + 1, box.y + points[0].y + 1);
    await page.getByTestId('map-hover').waitFor();
    await page.screenshot({ path: shot('2-hover') });

    // Rename the two largest clusters from the keyboard (the gallery is sorted by size).
    const [first, second] = await types.names();
    await types.focusAndPress(first, 'r');
    await page.keyboard.type('buzz');
    await page.keyboard.press('Enter');
    await types.card('buzz').waitFor();
    await types.focusAndPress(second, 'r');
    await page.keyboard.type('whistle');
    await page.keyboard.press('Enter');
    await types.card('whistle').waitFor();
    const sizeIs = (name: string, n: number) =>
      page.waitForFunction(([c, k]) => /(\d+) regions?/.exec(document.querySelector(`[aria-label="Cluster ${c}"] header`)?.textContent ?? '')?.[1] === String(k), [name, n] as const);

    // Move: drag a region of "buzz" onto "whistle", then back (it keeps a hand-set type "buzz").
    const [buzz0, whistle0] = [await types.sizeOf(types.card('buzz')), await types.sizeOf(types.card('whistle'))];
    const moved = await types.card('buzz').locator('.thumb').first().getAttribute('data-member-id');
    await types.card('buzz').locator('.thumb').first().dragTo(types.card('whistle'));
    await sizeIs('whistle', whistle0 + 1);
    await sizeIs('buzz', buzz0 - 1);
    await types.card('whistle').locator(`.thumb[data-member-id="${moved}"]`).dragTo(types.card('buzz'));
    await sizeIs('buzz', buzz0);
    await types.card('buzz').locator(`.thumb[data-member-id="${moved}"] .typed`).waitFor();

    // Number key: a selected whistle gets the 2nd type ("whistle"; types in alphabetical order) as a hand-set type.
    const confirmed = await types.card('whistle').locator('.thumb').first().getAttribute('data-member-id');
    await types.card('whistle').locator('.thumb').first().click();
    await types.gallery().press('2');
    await types.card('whistle').locator(`.thumb[data-member-id="${confirmed}"] .typed`).waitFor();
    await sizeIs('whistle', whistle0);
    await page.screenshot({ path: shot('3-renamed-moved') });

    // Split "buzz" along its dendrogram, then merge the new part back.
    await page.keyboard.press('Escape');
    const namesBefore = await types.names();
    await types.focusAndPress('buzz', 's');
    await types.waitForClusterCount(namesBefore.length + 1);
    const newest = (await types.names()).find((n) => !namesBefore.includes(n))!;
    await types.card(newest).locator('header .name').click({ modifiers: ['Shift'] });
    await types.focusAndPress('buzz', 'm');
    await types.waitForClusterCount(namesBefore.length);
    await sizeIs('buzz', buzz0);

    // Lasso relabel: Shift+drag around the left part of the map.
    await types.lasso([{ x: 2, y: 2 }, { x: box.width * 0.45, y: 2 }, { x: box.width * 0.45, y: box.height - 2 }, { x: 2, y: box.height - 2 }]);
    await types.selectionBar().waitFor();
    await page.screenshot({ path: shot('4-lasso') });
    await types.selectionBar().getByLabel('Sound type for the selected regions').fill('lassoed');
    await types.selectionBar().getByRole('button', { name: 'Relabel' }).click();
    await types.card('lassoed').waitFor();

    // Undo the relabel (Ctrl+Z in the gallery): the cluster goes again.
    await types.gallery().press('Control+z');
    await page.waitForFunction(() => !document.querySelector('[aria-label="Cluster lassoed"]'));
    await page.screenshot({ path: shot('5-undone') });

    // Retrain the heads: the silence head and the type head (two hand-set types now exist).
    await page.getByTestId('retrain-heads').click();
    await types.report().waitFor({ timeout: 120_000 });
    expect(await types.report().textContent()).toMatch(/2 types from 2 typed regions/);

    // The type review queue selects the least certain regions; "Review" opens the first, outlined on the spectrogram.
    await page.getByTestId('uncertain-types').click();
    // The lasso's selection may still be up: wait for the queue's own notice, which comes with its selection.
    await page.getByRole('status').filter({ hasText: 'least sure' }).waitFor();
    await types.selectionBar().waitFor();
    await types.selectionBar().getByRole('button', { name: 'Review' }).click();
    await page.getByTestId('linked-highlight').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: shot('5b-linked-review') });
    await shell.showView('Sound types');
    await types.cards().first().waitFor();

    // Re-cluster: the names survive.
    await (await types.clusterButton()).click();
    await page.getByText(/Clustering…/).waitFor({ state: 'detached', timeout: 90_000 });
    await types.card('whistle').waitFor();
    await types.card('buzz').waitFor();
    expect(await shell.alerts().allTextContents()).toEqual([]);
    await page.screenshot({ path: shot('6-reclustered') });
  }, 300_000);
});
