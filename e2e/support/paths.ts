import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const rendererDir = join(repoRoot, 'out', 'renderer');
export const screenshotsDir = join(repoRoot, 'e2e', 'screenshots');
export const sharedRecordingsDir = resolve(repoRoot, '../shared/data/recordings');

/** Why a browser e2e test cannot run here, or null when it can. */
export function e2eSkipReason(chromiumPath: string | null): string | null {
  if (!chromiumPath) return 'no Chromium found (apt-get install chromium, or set SONOTYPE_CHROMIUM)';
  if (!existsSync(join(rendererDir, 'index.html'))) return 'renderer not built (run `npx electron-vite build` first)';
  return null;
}
