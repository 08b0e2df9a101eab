/**
 * The desktop app itself, driven by Playwright's Electron support: launch →
 * window shows the app. Runs wherever the Electron binary is installed; here
 * (ELECTRON_SKIP_BINARY_DOWNLOAD=1) it is skipped with a message.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { repoRoot } from './support/paths';

function electronBinary(): string | null {
  const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(repoRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const builtMain = join(repoRoot, 'out', 'main', 'index.js');
const skipReason = !binary
  ? 'the Electron binary is not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?)'
  : !existsSync(builtMain)
    ? 'the app is not built (npx electron-vite build)'
    : null;
if (skipReason) console.warn(`[e2e] Electron tests skipped: ${skipReason}`);

describe.skipIf(Boolean(skipReason))('Electron app', () => {
  it('launches and shows the start screen', async () => {
    const app = await electron.launch({ executablePath: binary as string, args: [builtMain] });
    try {
      const window = await app.firstWindow();
      await window.getByRole('heading', { name: 'Sonotype' }).waitFor();
      expect(await window.title()).toBe('Sonotype');
      // Hardened: no Node in the renderer, only the contract.
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as { sonotype?: { call?: unknown } }).sonotype?.call)).toBe('function');
      // File menu: annotation exchange (the page opens its dialogs).
      const fileItems = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.find((i) => i.label === 'File')?.submenu?.items.map((i) => i.label) ?? []);
      expect(fileItems).toEqual(expect.arrayContaining(['Import Annotations…', 'Export Labels…']));
    } finally {
      await app.close();
    }
  });
});
