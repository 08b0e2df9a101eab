/**
 * Launches Debian's Chromium through playwright-core (no browser download).
 * Tests call `findChromium()` first and skip with a clear message when there is none.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const CANDIDATES = [process.env.SONOTYPE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | null {
  return CANDIDATES.find((p): p is string => Boolean(p && existsSync(p))) ?? null;
}

/**
 * Flags for headless Chromium on a sandbox without network: background
 * networking and component updates would only produce refused connections.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export interface LaunchedBrowser {
  context: BrowserContext;
  /** The profile folder; the browser process is the one started with `--user-data-dir=<this>`. */
  userDataDir: string;
  close(): Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<LaunchedBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'sonotype-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [...CHROMIUM_FLAGS],
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
