/**
 * End to end in Debian's Chromium through browser mode: the real renderer
 * talking the real contract over the loopback WebSocket to the real engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium, type LaunchedBrowser } from './support/chromium';
import { openBrowserSession, type BrowserSession } from './support/browser-session';
import { e2eSkipReason, screenshotsDir, sharedRecordingsDir } from './support/paths';
import { RecordingsPage } from './pages/recordings-page';
import { AppShellPage } from './pages/app-shell-page';
import type { BrowserServer } from '../src-main/server/browser-server';
import { openProject } from '../src-main/engine/project/open-project';
import { scanProject } from '../src-main/engine/project/scan-project';

const chromiumPath = findChromium();
const skipReason = e2eSkipReason(chromiumPath) ?? (existsSync(sharedRecordingsDir) ? null : `${sharedRecordingsDir} is absent`);
if (skipReason) console.warn(`[e2e] browser-mode tests skipped: ${skipReason}`);

describe.skipIf(Boolean(skipReason))('browser mode (Chromium)', () => {
  let projectDir: string;
  let server: BrowserServer;
  let browser: LaunchedBrowser;
  let session: BrowserSession | undefined;
  /** What the engine's scan found in the folder: the table must list exactly these. */
  let scannedPaths: string[];

  beforeAll(async () => {
    projectDir = await mkdtemp(join(tmpdir(), 'sonotype-e2e-'));
    // The shared recordings are read-only: the project lives in a temp folder, the audio stays where it is.
    const project = await openProject(projectDir, { audioRoot: sharedRecordingsDir });
    scannedPaths = (await scanProject(project)).recordings.map((r) => r.path);
    project.close();
    session = await openBrowserSession(chromiumPath as string, projectDir);
    ({ server, browser } = session);
  });

  afterAll(async () => {
    await session?.close();
    if (projectDir) await rm(projectDir, { recursive: true, force: true });
  });

  it('lists every recording of the project with its duration and rate', async () => {
    const page = await browser.context.newPage();
    const recordings = new RecordingsPage(page);
    await recordings.open(server.url);
    await recordings.rows().first().waitFor();
    const names = await recordings.fileNames();
    expect(names).toContain('dolphin_osmose_220925_223450.wav');
    expect([...names].sort()).toEqual([...scannedPaths].sort());
    const row = await recordings.rowFor('blue_whale_pamguard_float32.wav');
    expect(row).toContain('1000');
    await recordings.screenshot(join(screenshotsDir, 'recordings.png'));
    await page.close();
  });

  it('filters the table from the keyboard and shows the jobs and retrain views without errors', async () => {
    const page = await browser.context.newPage();
    const recordings = new RecordingsPage(page);
    const shell = new AppShellPage(page);
    await recordings.open(server.url);
    await recordings.rows().first().waitFor();
    const all = await recordings.fileNames();
    await shell.filterRecordings('dolphin');
    const expected = all.filter((name) => name.toLowerCase().includes('dolphin'));
    await page.waitForFunction((n) => document.querySelectorAll('tbody tr').length === n, expected.length);
    expect(await recordings.fileNames()).toEqual(expected);
    await shell.showView('Jobs');
    await shell.heading('Jobs').waitFor();
    await shell.showView('Retrain & figures');
    await shell.heading('Retrain the silence head').waitFor();
    await shell.heading('Encoder figures').waitFor();
    // Every panel has loaded (no "Loading…" left) and none reports an error.
    await page.waitForFunction(() => !/Loading/.test(document.querySelector('main')?.textContent ?? ''));
    expect(await shell.alerts().allTextContents()).toEqual([]);
    await page.screenshot({ path: join(screenshotsDir, 'retrain.png'), fullPage: false });
    await page.close();
  });

  it('refuses requests without the token', async () => {
    // A plain fetch: the browser context already holds the session cookie from the first test.
    const response = await fetch(server.url.replace(/\?token=.*/, ''));
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/token/i);
    const wrong = await fetch(server.url.replace(/token=.*/, 'token=not-the-token'));
    expect(wrong.status).toBe(403);
  });
});
