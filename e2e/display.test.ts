/**
 * A mixed-rate folder in Chromium through browser mode: the 15-min 2 kHz
 * right-whale file, 24 kHz humpback, 44.1 kHz birds and a 48 kHz OSmOSE
 * dolphin file with a DC offset. Each is shown at its native rate (frequency
 * axis to its own Nyquist), the exact spectrogram replaces the preview within
 * seconds, frequency zoom works by drag and keys, the spectrogram settings
 * change the tiles, and the DC-offset file's waveform shows its signal.
 * Detection runs first, so the right whale's up-calls show as sound regions.
 * Screenshots: e2e/screenshots/display-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findChromium } from './support/chromium';
import { openBrowserSession, type BrowserSession } from './support/browser-session';
import { e2eSkipReason, screenshotsDir, sharedRecordingsDir } from './support/paths';
import { RecordingsPage } from './pages/recordings-page';
import { ReviewPage } from './pages/review-page';
import { DisplayPage } from './pages/display-page';
import { openProject } from '../src-main/engine/project/open-project';
import { scanProject } from '../src-main/engine/project/scan-project';
import { detectProject } from '../src-main/engine/detection/detect-project';
import type { BrowserServer } from '../src-main/server/browser-server';

const WHALE = 'right_whale_NOPP6_20090329_121500_15min.wav';
const HUMPBACK = 'humpback_song_cross_seamount_24k.wav';
const BIRDS = 'birds_spinetail_maad.wav';
const DOLPHIN = 'dolphin_osmose_220925_223450.wav';

const chromiumPath = findChromium();
const skipReason = e2eSkipReason(chromiumPath) ?? (existsSync(sharedRecordingsDir) ? null : `${sharedRecordingsDir} is absent`);
if (skipReason) console.warn(`[e2e] display tests skipped: ${skipReason}`);
const shot = (name: string) => join(screenshotsDir, `display-${name}.png`);

describe.skipIf(Boolean(skipReason))('mixed-rate folder displayed at native rates (Chromium, browser mode)', () => {
  let root: string;
  let server: BrowserServer;
  let session: BrowserSession | undefined;
  let page: Page;
  let whaleSounds: { startSeconds: number; endSeconds: number }[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sonotype-e2e-display-'));
    const audio = join(root, 'audio');
    await mkdir(audio);
    for (const name of [WHALE, HUMPBACK, BIRDS, DOLPHIN]) await copyFile(join(sharedRecordingsDir, name), join(audio, name));
    const project = await openProject(audio);
    try {
      await scanProject(project);
      // Every recording keeps its own rate: nothing is upsampled to 48 kHz.
      expect(project.rateGroups().map((g) => g.analysisSampleRate)).toEqual([2000, 24_000, 48_000]);
      const detection = await detectProject(project);
      whaleSounds = detection.recordings.find((r) => r.path === WHALE)!.regions.filter((r) => r.kind === 'sound');
    } finally {
      project.close();
    }
    session = await openBrowserSession(chromiumPath as string, audio);
    ({ server, page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function openReview(fileName: string): Promise<{ review: ReviewPage; display: DisplayPage; openedAt: number }> {
    const recordings = new RecordingsPage(page);
    await recordings.open(server.url);
    const openedAt = Date.now();
    await page.locator('tbody tr', { hasText: fileName }).dblclick();
    const review = new ReviewPage(page);
    await review.heading().filter({ hasText: fileName }).waitFor();
    await review.waitUntilDrawn();
    return { review, display: new DisplayPage(page), openedAt };
  }

  it('shows the 2 kHz right whale to its own 1 kHz Nyquist, exact within seconds, and zooms in frequency', async () => {
    const { review, display, openedAt } = await openReview(WHALE);
    expect(await display.frequencyBand()).toEqual([0, 1000]);
    expect((await display.frequencyTicks()).at(-1)).toBe('1 kHz');
    // The whole 15 minutes: the sampled preview is replaced by the exact spectrogram (a 'tiles' job).
    await display.waitForExact(20_000);
    console.info(`[e2e] right whale: exact spectrogram of the full view ${Date.now() - openedAt} ms after opening the recording`);
    await review.screenshot(shot('right-whale-full'));
    // The calls sit below 300 Hz: drag the axis to show 0–400 Hz, then zoom in time around a stretch of calls.
    await display.dragFrequency(400, 0);
    const [low, high] = await display.frequencyBand();
    expect(low).toBe(0);
    expect(high).toBeCloseTo(400, -1);
    await review.press('Shift+ArrowUp');
    const [zl, zh] = await display.frequencyBand();
    expect(zh - zl).toBeCloseTo(200, -1);
    await review.press('f');
    expect(await display.frequencyBand()).toEqual([0, 1000]);
    // An up-call at 7:49 (found by band energy, 100 → 180 Hz over ~1 s): cursor there, then zoom in to ~14 s.
    await display.dragFrequency(400, 0);
    await review.clickEmptyAt(469.4, 900);
    for (let i = 0; i < 6; i++) await review.press('z');
    await review.waitUntilDrawn();
    await page.waitForTimeout(500);
    expect(await review.paintedFraction()).toBeGreaterThan(0.9);
    // Detection finds the calls on screen (7:45 and 7:49; a 16-point frame FFT once called the whole file silence),
    // and the file is mostly silence, not mostly sound.
    const soundIn = (a: number, b: number) => whaleSounds.some((r) => r.endSeconds > a && r.startSeconds < b);
    expect(soundIn(464.5, 465.5)).toBe(true);
    expect(soundIn(468.5, 470)).toBe(true);
    const share = whaleSounds.reduce((t, r) => t + r.endSeconds - r.startSeconds, 0) / 900;
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.2);
    await expect.poll(() => review.regions().evaluateAll((els) => els.filter((e) => e.getAttribute('data-kind') === 'sound').length)).toBeGreaterThanOrEqual(2);
    await review.screenshot(shot('right-whale-calls'));
  }, 90_000);

  it('pages new tiles when the FFT size changes (display only) and keeps it for the next recording', async () => {
    const { review, display } = await openReview(HUMPBACK);
    expect(await display.frequencyBand()).toEqual([0, 12_000]);
    const before = await page.getByTestId('spectrogram-resolution').textContent();
    const tileRequests: string[] = [];
    page.on('request', (r) => r.url().includes('/media/tiles/') && tileRequests.push(r.url()));
    await display.chooseFftSize(2048);
    await page.waitForFunction(() => document.querySelector('[data-testid="spectrogram-resolution"]')?.textContent?.startsWith('11.7 Hz'));
    expect(await page.getByTestId('spectrogram-resolution').textContent()).not.toBe(before);
    await review.waitUntilDrawn();
    expect(tileRequests.some((u) => u.includes('fft=2048'))).toBe(true);
    await expect(display.colourBar().isVisible()).resolves.toBe(true);
    await review.screenshot(shot('humpback-fft2048'));
    // Stored in the project: the birds file opens with it, to its own 22.05 kHz Nyquist.
    const birds = await openReview(BIRDS);
    expect(await birds.display.frequencyBand()).toEqual([0, 22_050]);
    expect(await page.getByLabel('FFT size').inputValue()).toBe('2048');
    await display.chooseFftSize(512);
    await page.waitForFunction(() => document.querySelector('[data-testid="spectrogram-resolution"]')?.textContent?.startsWith('86.1 Hz'));
  }, 60_000);

  it('shows the signal of a file with a DC offset in the waveform, with its amplitude axis', async () => {
    const { review, display } = await openReview(DOLPHIN);
    expect(await display.frequencyBand()).toEqual([0, 24_000]);
    // Peaks far below full scale once the ~437-count offset is removed: the panel's edge is well below −20 dBFS.
    await page.waitForFunction(() => Number(document.querySelector('[aria-label^="Amplitude axis"]')?.getAttribute('data-edge-dbfs')) < -20);
    const edge = await display.amplitudeEdgeDbfs();
    console.info(`[e2e] OSmOSE dolphin: waveform edge at ${edge} dBFS`);
    // A waveform, not a solid block: some, but far from all, of the panel is inked.
    await page.waitForTimeout(300);
    const ink = await display.waveformInkFraction();
    expect(ink).toBeGreaterThan(0.02);
    expect(ink).toBeLessThan(0.8);
    await review.screenshot(shot('dolphin-dc-offset'));
  }, 60_000);
});
