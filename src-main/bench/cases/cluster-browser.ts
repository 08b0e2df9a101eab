/**
 * `npm run bench -- cluster_recut_gallery_browser`: moving the cut in the
 * real app (Debian's Chromium through browser mode) on a clustering of 2,000
 * regions: from pressing Cut to the gallery showing the new clusters (the
 * undoable edit on the engine side, names carried over, the new view sent
 * over the WebSocket and drawn), median of several cuts. The time until every
 * visible thumbnail is drawn again is given beside it (thumbnails of members
 * not shown before are fetched afterwards, in batches).
 * Skipped with a message when Chromium or the built renderer is missing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchLine } from '../types';
import { findChromium, launchChromium } from '../../../e2e/support/chromium';
import { e2eSkipReason, rendererDir } from '../../../e2e/support/paths';
import { clusterProject } from '../../engine/clusters/cluster-project';
import { openProject } from '../../engine/project/open-project';
import { scanProject } from '../../engine/project/scan-project';
import { createLabel } from '../../engine/store/labels';
import { listRecordings } from '../../engine/store/recordings';
import { burstPulse, concat, createRng, digitalSilence, fmWhistle, whiteNoise } from '../../engine/testing/synth';
import { encodeWav } from '../../engine/testing/wav-writer';
import { startBrowserServer } from '../../server/browser-server';

const RATE = 16_000;
const REGIONS = 2000;

/** 2,000 short calls of three kinds with small variations, as one recording. */
async function writeCalls(dir: string): Promise<number[]> {
  const rng = createRng(9);
  const parts: Float32Array[] = [];
  const starts: number[] = [];
  let at = 0;
  for (let k = 0; k < REGIONS; k++) {
    const gap = digitalSilence(RATE, 0.1);
    const d = 0.12 + rng() * 0.06;
    const kind = k % 3;
    const call = kind === 2
      ? burstPulse({ sampleRate: RATE, durationSeconds: d, centreHz: 3000 + rng() * 1500 })
      : fmWhistle({ sampleRate: RATE, durationSeconds: d, startHz: kind === 0 ? 1500 + rng() * 500 : 6000, endHz: kind === 0 ? 6000 : 1500 + rng() * 500, vibratoHz: 0 });
    starts.push(at + gap.length);
    parts.push(gap, call);
    at += gap.length + call.length;
  }
  const samples = concat(...parts);
  const noise = whiteNoise(RATE, samples.length / RATE, 0.001, 4);
  for (let i = 0; i < samples.length; i++) samples[i] += noise[i];
  await writeFile(join(dir, 'calls.wav'), encodeWav([samples], { sampleRate: RATE, format: 'pcm16' }));
  return starts;
}

export async function recutInBrowser(ctx: BenchContext): Promise<BenchLine | null> {
  const chromium = findChromium();
  const skip = e2eSkipReason(chromium);
  if (skip) {
    ctx.log(`cluster_recut_gallery_browser_ms skipped: ${skip}`);
    return null;
  }
  const dir = join(ctx.tmpDir, 'recut-browser');
  await mkdir(join(dir, 'audio'), { recursive: true });
  const starts = await writeCalls(join(dir, 'audio'));
  const project = await openProject(join(dir, 'project'), { audioRoot: join(dir, 'audio') });
  await scanProject(project);
  const rec = listRecordings(project.db)[0];
  for (const s of starts) createLabel(project.db, { recordingId: rec.id, startSample: s, endSample: s + Math.round(0.12 * RATE), value: 'sound' });
  await clusterProject(project, { representation: 'mfcc-summary', k: 30 });
  project.close();

  const server = await startBrowserServer({ rendererDir, projectDir: join(dir, 'project'), version: 'bench' });
  const browser = await launchChromium(chromium!);
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(server.url);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Sound types', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="cluster-card"]').length === 30, undefined, { timeout: 60_000 });
    // Timed inside the page: from the click on Cut (a capturing listener) to the first animation frame whose
    // gallery shows the new number of clusters (the frame is painted right after), so Playwright's own round
    // trips are not counted.
    await page.evaluate(() => {
      const w = window as unknown as { cutPressedAt: number };
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cut')!;
      button.addEventListener('click', () => (w.cutPressedAt = performance.now()), { capture: true });
    });
    const shown = (n: number) => page.waitForFunction(
      (k) => document.querySelectorAll('[data-testid="cluster-card"]').length === k && performance.now() - (window as unknown as { cutPressedAt: number }).cutPressedAt,
      n, { polling: 'raf', timeout: 30_000 },
    );
    const structure: number[] = [];
    const withThumbnails: number[] = [];
    for (const k of [40, 25, 50, 35, 45, 30, 20]) {
      await page.getByLabel('Cut value').fill(String(k));
      await page.getByRole('button', { name: 'Cut', exact: true }).click();
      structure.push(Number(await (await shown(k)).jsonValue()));
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="cluster-card"] .placeholder').length === 0, undefined, { polling: 50, timeout: 60_000 });
      withThumbnails.push(await page.evaluate(() => performance.now() - (window as unknown as { cutPressedAt: number }).cutPressedAt));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
      name: 'cluster_recut_gallery_browser_ms', value: Math.round(median(structure)), unit: 'ms', better: 'lower', target: 200,
      detail: {
        regions: REGIONS, cuts: structure.length, maxMs: Math.round(Math.max(...structure)),
        medianUntilThumbnailsMs: Math.round(median(withThumbnails)), measures: 'click on Cut → first frame whose gallery shows the new clusters, timed in the page (Chromium, browser mode)',
        load: Math.round(loadavg()[0] * 100) / 100,
      },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
