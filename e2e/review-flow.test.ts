/**
 * The review workflow end to end in Debian's Chromium through browser mode:
 * a real project (real recordings copied from ../shared plus synthesised
 * scenes, scanned and detected beforehand) → open a recording → see its
 * regions → every kind of label edit with the mouse and keyboard → undo/redo
 * → reload and find the edits saved → retrain and read the confusion matrices
 * → start an encoder training and cancel it from the Jobs panel.
 * Screenshots of each view go to e2e/screenshots/ (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findChromium } from './support/chromium';
import { openBrowserSession, type BrowserSession } from './support/browser-session';
import { e2eSkipReason, screenshotsDir, sharedRecordingsDir } from './support/paths';
import { createReviewProject, REAL_RECORDINGS, SYNTH_SCENES, type ReviewProject } from './support/review-project';
import { RecordingsPage } from './pages/recordings-page';
import { AppShellPage } from './pages/app-shell-page';
import { ReviewPage } from './pages/review-page';
import { RetrainPage } from './pages/retrain-page';
import { JobsPage } from './pages/jobs-page';
import type { BrowserServer } from '../src-main/server/browser-server';
import { openProjectDb, projectDbPath } from '../src-main/engine/store/database';
import { listLabels } from '../src-main/engine/store/labels';
import { listRecordings } from '../src-main/engine/store/recordings';

const chromiumPath = findChromium();
const skipReason = e2eSkipReason(chromiumPath) ?? (existsSync(sharedRecordingsDir) ? null : `${sharedRecordingsDir} is absent`);
if (skipReason) console.warn(`[e2e] review-flow tests skipped: ${skipReason}`);

const SCENE = 'synth_scene_a.wav';
const SCENE_SECONDS = 20;
const shot = (name: string) => join(screenshotsDir, `review-flow-${name}.png`);

/** The kind of the region box drawn at `seconds` (null when none is there). */
async function regionKindAt(review: ReviewPage, seconds: number, totalSeconds: number): Promise<string | null> {
  const box = (await review.overlay().boundingBox())!;
  const x = box.x + (seconds / totalSeconds) * box.width;
  return review.regions().evaluateAll((els, at) => {
    const hit = els.find((e) => {
      const r = e.getBoundingClientRect();
      return r.left <= at && at < r.right;
    });
    return hit ? hit.getAttribute('data-kind') : null;
  }, x);
}

describe.skipIf(Boolean(skipReason))('review workflow in Chromium (browser mode)', () => {
  let fixture: ReviewProject;
  let server: BrowserServer;
  let session: BrowserSession | undefined;
  let page: Page;

  beforeAll(async () => {
    fixture = await createReviewProject();
    // Recent projects and review preferences go to a config folder of this test, not the user's.
    process.env.SONOTYPE_CONFIG_DIR = join(fixture.root, 'config');
    session = await openBrowserSession(chromiumPath as string, fixture.projectDir);
    ({ server, page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (fixture) await rm(fixture.root, { recursive: true, force: true });
  });

  /** Opens the app and the review of one recording by double-clicking its row. */
  async function openReview(fileName: string): Promise<ReviewPage> {
    const recordings = new RecordingsPage(page);
    await recordings.open(server.url);
    await recordings.rows().first().waitFor();
    await page.locator('tbody tr', { hasText: fileName }).dblclick();
    const review = new ReviewPage(page);
    await review.heading().filter({ hasText: fileName }).waitFor();
    await review.waitUntilDrawn();
    return review;
  }

  it('lists the project and opens a recording with its spectrogram and regions', async () => {
    const recordings = new RecordingsPage(page);
    await recordings.open(server.url);
    await recordings.rows().first().waitFor();
    const names = await recordings.fileNames();
    expect(names.sort()).toEqual([...REAL_RECORDINGS, ...Object.keys(SYNTH_SCENES)].sort());
    // Detection ran before the browser opened: the row shows the scene's region count.
    const sceneRegions = fixture.detection.recordings.find((r) => r.path === SCENE)!.regions;
    const sceneRow = page.locator('tbody tr', { hasText: SCENE });
    await sceneRow.getByLabel(`Reviewed 0 of ${sceneRegions.length} regions`).waitFor();
    await recordings.screenshot(shot('recordings'));

    const review = await openReview(SCENE);
    expect(await review.spectrogram().isVisible()).toBe(true);
    expect(await review.paintedFraction()).toBeGreaterThan(0.2);
    // Frame-accurate regions: each click of a train is its own region; boxes narrower than 2 px are drawn together.
    expect((await review.countsShown()).regions).toBe(sceneRegions.length);
    await expect.poll(() => review.regions().count()).toBeGreaterThan(4);
    expect(await review.regions().count()).toBeLessThanOrEqual(sceneRegions.length);
    expect(await regionKindAt(review, 3.5, SCENE_SECONDS)).toBe('sound'); // the whistle, 2–5 s
    expect(await regionKindAt(review, 7, SCENE_SECONDS)).toBe('silence');
    expect(await review.legend().textContent()).toContain('silence region');
    // Detection's machine labels are drawn too (heuristic labels until someone edits them).
    expect((await review.labelBoxes()).every((l) => l.source !== 'human')).toBe(true);
    await review.screenshot(shot('review'));

    await review.press('?');
    await review.helpDialog().waitFor();
    expect(await review.helpDialog().textContent()).toContain('Split the selected label at the cursor');
    await review.screenshot(shot('help'));
    await review.press('Escape');
    await review.helpDialog().waitFor({ state: 'detached' });
  });

  it('edits labels with mouse and keyboard, undoes and redoes, and keeps the edits after a reload', async () => {
    const review = await openReview(SCENE);
    const spans = () => humanSpans(page);
    const px = (await review.overlay().boundingBox())!.width / SCENE_SECONDS;

    // Create: drag across empty spectrogram from 6 s to 8 s.
    await review.dragToCreate(6, 8, SCENE_SECONDS);
    await expect.poll(spans).toHaveLength(1);
    let [created] = await spans();
    expect(created.value).toBe('sound'); // a drawn label is 'sound' unless the researcher chose otherwise
    expect(created.start).toBeCloseTo(6, 1);
    expect(created.end).toBeCloseTo(8, 1);

    // Resize: drag its end edge half a second to the left.
    await review.dragEdge(created.id, 'end', -0.5 * px);
    await expect.poll(async () => (await spans())[0]?.end).toBeLessThan(7.7);
    // Dragging an edge selects no caption text, and the resize is confirmed with Undo at hand.
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
    await expect.poll(() => review.toasts().textContent()).toMatch(/Resized the sound label to 0:06\.\d\d–0:07\.\d\d\.\s*Undo/);
    await review.toasts().screenshot({ path: shot('toast-resize') });
    [created] = await spans();
    expect(created.start).toBeCloseTo(6, 1);
    expect(created.end).toBeCloseTo(7.5, 1);

    // Split: click inside it (selects it, puts the cursor there), then B.
    await review.clickLabel(created.id, 0.5);
    await review.press('b');
    await expect.poll(spans).toHaveLength(2);
    const [left, right] = await spans();
    expect(left.start).toBeCloseTo(created.start, 2);
    expect(right.end).toBeCloseTo(created.end, 2);
    expect(left.end).toBeCloseTo(right.start, 5);
    expect(left.end).toBeCloseTo((created.start + created.end) / 2, 1);

    // Merge: click one part, Shift-click the other, then M.
    await review.clickLabel(left.id, 0.5);
    await review.clickLabel(right.id, 0.5, true);
    await expect.poll(async () => (await review.humanLabels()).filter((l) => l.selected).length).toBe(2);
    await review.press('m');
    await expect.poll(spans).toHaveLength(1);
    const [merged] = await spans();
    expect(merged.start).toBeCloseTo(created.start, 2);
    expect(merged.end).toBeCloseTo(created.end, 2);

    // Delete: select, then Delete.
    await review.clickLabel(merged.id, 0.5);
    await review.press('Delete');
    await expect.poll(spans).toHaveLength(0);

    // Undo brings the label back, redo deletes it again, undo once more keeps it.
    await review.press('Control+z');
    await expect.poll(spans).toHaveLength(1);
    expect((await spans())[0].start).toBeCloseTo(merged.start, 2);
    await review.press('Control+Shift+Z');
    await expect.poll(spans).toHaveLength(0);
    await review.press('Control+z');
    await expect.poll(spans).toHaveLength(1);

    // S decisions on the long sound regions (auto-advance off, so the view stays here): they contradict the model.
    // Each decision redraws the regions at once (human labels win frame by frame): the sound turns silent.
    await review.press('a');
    await expect.poll(() => page.getByLabel('Auto-advance').isChecked()).toBe(false);
    const scene = fixture.detection.recordings.find((r) => r.path === SCENE)!;
    const sounds = scene.regions.filter((r) => r.kind === 'sound' && r.endSeconds - r.startSeconds > 0.5);
    expect(sounds.length).toBeGreaterThanOrEqual(2);
    for (const region of sounds) {
      const middle = (region.startSeconds + region.endSeconds) / 2;
      expect(await regionKindAt(review, middle, SCENE_SECONDS)).toBe('sound');
      await review.clickEmptyAt(middle, SCENE_SECONDS);
      await review.press('s');
      await expect.poll(async () => (await spans()).some((l) => l.value === 'silence' && Math.abs(l.start - region.startSeconds) < 0.01)).toBe(true);
      await expect.poll(() => regionKindAt(review, middle, SCENE_SECONDS), { timeout: 1000 }).toBe('silence');
    }
    await review.screenshot(shot('review-edited'));
    // The lane alone: human bars (solid) above the region strip, captions readable, nothing over the signal.
    await review.labelLane().screenshot({ path: shot('label-lane') });
    const beforeReload = await spans();
    expect(beforeReload).toHaveLength(1 + sounds.length);

    // Reload the page: every edit is back, read from the project database.
    await page.reload();
    await page.locator('tbody tr', { hasText: SCENE }).dblclick();
    await review.waitUntilDrawn();
    await expect.poll(spans).toEqual(beforeReload);
    await page.locator('tbody tr').first().waitFor({ state: 'detached' });
  });

  it('retrains the detection head and shows the held-out confusion matrices', async () => {
    // A second recording gets contradicting decisions too, so held-out recordings carry human labels.
    const other = fixture.detection.recordings.find((r) => r.path === 'synth_scene_b.wav')!;
    const review = await openReview(other.path);
    await review.press('a');
    const otherSounds = other.regions.filter((r) => r.kind === 'sound' && r.endSeconds - r.startSeconds > 0.5);
    for (const region of otherSounds) {
      await review.clickEmptyAt((region.startSeconds + region.endSeconds) / 2, 20);
      await review.press('s');
    }
    await expect.poll(async () => (await humanSpans(page)).length).toBe(otherSounds.length);

    const shell = new AppShellPage(page);
    const retrain = new RetrainPage(page);
    await shell.showView('Retrain & figures');
    await retrain.emptyMessage().waitFor();
    await retrain.retrainButton().click();
    await retrain.report().waitFor({ timeout: 60_000 });
    const before = await retrain.countsOf('Before');
    const after = await retrain.countsOf('After');
    const frames = await retrain.framesOf('After');
    const total = (m: number[][]) => m.flat().reduce((a, b) => a + b, 0);
    expect(total(after)).toBe(frames);
    expect(total(before)).toBe(frames);
    // Same held-out truth for both heads: the row sums (truth) agree; the predictions moved.
    expect(before.map((row) => row[0] + row[1])).toEqual(after.map((row) => row[0] + row[1]));
    expect(after).not.toEqual(before);
    // The held-out truth is the human-labelled frames of the two relabelled scenes, each scored by a head that did not learn them.
    expect(frames).toBeGreaterThan(0);
    // Every decision contradicted the old head, so it gets the held-out frames mostly wrong; the new head learnt them.
    const correct = (m: number[][]) => m[0][0] + m[1][1];
    expect(correct(after)).toBeGreaterThan(correct(before));
    // The scores that decided, for both heads: the new one learnt the decisions, so its balanced accuracy is higher.
    const scores = await retrain.heldOutScores();
    expect(Object.keys(scores)).toEqual(['Previous head', 'New head']);
    const pct = (s: string) => Number(s.replace('%', ''));
    expect(pct(scores['New head'][1])).toBeGreaterThan(pct(scores['Previous head'][1]));
    // Out of the box (no encoder trained here), the figures show the default model: its filters and its predicted next frame.
    await page.getByRole('heading', { name: 'Next frame: predicted vs real (encoder-v3 (default model))' }).waitFor({ timeout: 30_000 });
    await page.getByRole('img', { name: 'Predicted and real next frame' }).waitFor();
    await page.getByRole('list', { name: '64 first-layer filters of encoder-v3 (default model)' }).waitFor();
    await page.screenshot({ path: shot('retrain'), fullPage: true });
  });

  it('starts an encoder training and cancels it from the Jobs panel', async () => {
    const retrain = new RetrainPage(page);
    const jobs = new JobsPage(page);
    // From a fresh load of the app, whatever view an earlier test left open.
    await new RecordingsPage(page).open(server.url);
    await new AppShellPage(page).showView('Retrain & figures');
    // Training shows its settings and estimated time before it starts.
    await retrain.launcher('Train encoder…').click();
    expect(((await retrain.trainEstimate().textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(/About .+ of training: [\d,]+ windows × 5 epochs/);
    await page.getByRole('button', { name: 'Start training' }).click();
    const jobId = await retrain.startedJobId();
    await page.getByRole('button', { name: 'Show jobs' }).click();
    await jobs.list().waitFor();
    await jobs.waitForState(jobId, 'running');
    await jobs.cancel(jobId);
    await jobs.waitForState(jobId, 'cancelled');
    expect(await jobs.stateOf(jobId)).toBe('cancelled');
    expect(await jobs.row(jobId).getByRole('button', { name: /Cancel/ }).count()).toBe(0);
    // The fixture's scan (run before the browser opened) is listed as succeeded beside it.
    expect(await jobs.rowsOfKind('scan').first().getAttribute('aria-label')).toMatch(/succeeded$/);
    await page.screenshot({ path: shot('jobs'), fullPage: true });
  });

  it('shows the faint OSmOSE dolphin whistles as sound regions (the old detector called the file 99 % silence)', async () => {
    const file = 'dolphin_osmose_220925_223450.wav';
    const osmose = fixture.detection.recordings.find((r) => r.path === file)!;
    const sounds = osmose.regions.filter((r) => r.kind === 'sound');
    expect(sounds.length).toBeGreaterThanOrEqual(5);
    const review = await openReview(file);
    await expect.poll(() => review.regions().evaluateAll((els) => els.filter((e) => e.getAttribute('data-kind') === 'sound').length)).toBeGreaterThanOrEqual(5);
    await review.screenshot(shot('osmose-whistles'));
  });

  it('reviews from the keyboard alone: Enter opens, S/N decide and advance inside the file, PageDown moves on, undo follows back', async () => {
    const recordings = new RecordingsPage(page);
    const review = new ReviewPage(page);
    await recordings.open(server.url);
    await recordings.rows().first().waitFor();
    // Filter to the dolphin recordings, step into the results and open the first with Enter.
    await page.keyboard.press('/');
    await page.keyboard.type('dolphin_osmose');
    await page.keyboard.press('ArrowDown');
    const first = REAL_RECORDINGS[0];
    const second = REAL_RECORDINGS[1];
    await page.keyboard.press('Enter');
    await review.heading().filter({ hasText: first }).waitFor();
    await review.waitUntilDrawn();
    // The same Enter did not also jump to "the next uncertain region" in another file.
    await page.waitForTimeout(300);
    expect(await review.heading().textContent()).toBe(first);
    expect(await review.currentRegionExtent()).toBeNull();
    if (!(await page.getByLabel('Auto-advance').isChecked())) await review.press('a');

    // Three decisions: Enter picks the least certain region; each S / N saves a human label on it and advances inside
    // this file (the regions themselves may be re-derived from each correction, so labels are what is counted).
    expect(await review.leftHere(), 'the recording needs unreviewed regions').toBeGreaterThanOrEqual(3);
    await review.press('Enter');
    await expect.poll(() => review.currentRegionExtent()).not.toBeNull();
    const saved = () => humanLabelsSaved(fixture.projectDir, first);
    for (const [i, key] of (['n', 's', 'n'] as const).entries()) {
      await review.press(key);
      await expect.poll(saved).toHaveLength(i + 1);
      await expect.poll(() => review.currentRegionExtent()).not.toBeNull(); // advanced to the next region here
      expect(await review.heading().textContent()).toBe(first);
    }
    expect((await saved()).map((l) => l.value).sort()).toEqual(['silence', 'sound', 'sound']);
    await expect.poll(() => review.toasts().textContent()).toMatch(/Marked .* as sound\./);
    await review.screenshot(shot('keyboard-decisions-toast'));
    // The whole file (0, still no mouse): the three decisions as bars in the lane.
    await review.press('0');
    await review.labelLane().screenshot({ path: shot('label-lane-keyboard') });
    const lastSpan = /Marked (\d+:\d\d\.\d\d)–(\d+:\d\d\.\d\d) as sound/.exec((await review.toasts().textContent()) ?? '')!;

    // PageDown: the next recording of the list, announced.
    await review.press('PageDown');
    await review.heading().filter({ hasText: second }).waitFor();
    await review.waitUntilDrawn();
    await expect.poll(() => review.toasts().textContent()).toContain('Next recording (PageDown).');

    // Ctrl+Z: the last decision was in the first file. The view goes back there, shows it, and undoes it.
    await review.press('Control+z');
    await review.heading().filter({ hasText: first }).waitFor();
    await expect.poll(() => review.toasts().textContent()).toMatch(/the edit to undo is here/);
    await expect.poll(() => review.toasts().textContent()).toContain(`Undid: adding a sound label at ${lastSpan[1]}–${lastSpan[2]}.`);
    await expect.poll(saved).toHaveLength(2);
    // The undone span is on screen: the view followed the undo.
    const [viewStart, viewEnd] = await review.visibleSpan();
    const [m1, s1] = lastSpan[1].split(':').map(Number);
    const [m2, s2] = lastSpan[2].split(':').map(Number);
    expect(viewStart).toBeLessThanOrEqual(m1 * 60 + s1 + 0.01);
    expect(viewEnd).toBeGreaterThanOrEqual(m2 * 60 + s2 - 0.01);
    await review.screenshot(shot('undo-across-files-toast'));

    // The counters follow the undo: the recordings table (Alt+1, still no mouse) agrees with the review's "left here".
    await page.waitForTimeout(700); // the table refreshes at most twice a second while edits arrive
    const leftHere = await review.leftHere();
    await page.keyboard.press('Alt+1');
    const row = page.locator('tbody tr', { hasText: first });
    await expect.poll(async () => {
      const [reviewed, total] = ((await row.locator('td').nth(6).textContent()) ?? '').trim().split(' / ').map((n) => Number.parseInt(n, 10));
      return total - reviewed;
    }).toBe(leftHere);
  });
});

/** The human labels saved in the project database for one recording (read through a second connection, as another process would). */
function humanLabelsSaved(projectDir: string, fileName: string): Array<{ value: string; startSample: number; endSample: number }> {
  const db = openProjectDb(projectDbPath(projectDir));
  try {
    const recording = listRecordings(db).find((r) => r.path === fileName)!;
    return listLabels(db, recording.id).filter((l) => l.source === 'human').map((l) => ({ value: l.value, startSample: l.startSample, endSample: l.endSample }));
  } finally {
    db.close();
  }
}

interface HumanSpan {
  id: number;
  value: string;
  start: number;
  end: number;
}

/** Human labels shown on the overlay, from their accessible names ("silence label (human), 6.00–8.00 s"), by start. */
async function humanSpans(page: Page): Promise<HumanSpan[]> {
  const found = await page.getByTestId('label').evaluateAll((els) =>
    els.filter((e) => e.getAttribute('data-source') === 'human').map((e) => ({ id: Number(e.getAttribute('data-label-id')), name: e.getAttribute('aria-label') ?? '' })),
  );
  return found
    .map(({ id, name }) => {
      const m = /^(.+) label \(human\), ([\d.]+)–([\d.]+) s$/.exec(name);
      if (!m) throw new Error(`unexpected label name "${name}"`);
      return { id, value: m[1], start: Number(m[2]), end: Number(m[3]) };
    })
    .sort((a, b) => a.start - b.start);
}
