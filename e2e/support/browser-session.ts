/**
 * One browser-mode session for an e2e spec: the project served over the
 * loopback browser server, Debian's Chromium launched with a fresh profile,
 * one page open, and the screenshots folder ready. Every browser spec starts
 * the same way; `close()` stops both, whatever was started.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from './chromium';
import { rendererDir, screenshotsDir } from './paths';
import { startBrowserServer, type BrowserServer } from '../../src-main/server/browser-server';

export interface BrowserSession {
  server: BrowserServer;
  browser: LaunchedBrowser;
  /** A page of the browser's context (specs that need more open their own). */
  page: Page;
  close(): Promise<void>;
}

/** Serves `projectDir` in browser mode and opens one Chromium page (not yet navigated). */
export async function openBrowserSession(chromiumPath: string, projectDir: string): Promise<BrowserSession> {
  const server = await startBrowserServer({ rendererDir, projectDir, version: 'e2e' });
  let browser: LaunchedBrowser | undefined;
  try {
    browser = await launchChromium(chromiumPath);
    const page = await browser.context.newPage();
    await mkdir(screenshotsDir, { recursive: true });
    const opened = browser;
    return {
      server,
      browser: opened,
      page,
      async close() {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
