#!/usr/bin/env node
/**
 * The front door's first check (`npm start` / `npm run dev` run it before
 * anything else): is Electron's binary installed? Installs made with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1 (air-gapped lab machines, CI) have the
 * electron package but no binary; without this check `npm start` would spend
 * minutes building better-sqlite3 for Electron and then fail with
 * electron-vite's bare "Electron uninstall". Says in one line what is missing,
 * how to get it, and that the browser mode works without it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Why the desktop app cannot start from the electron package in `electronDir`
 * (null when its binary is there). `overrideDist` mirrors electron's own
 * ELECTRON_OVERRIDE_DIST_PATH.
 */
export function electronBinaryProblem(electronDir, overrideDist = process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  const fix = 'get it with `node node_modules/electron/install.js` (needs the network once), or run Sonotype in your browser instead: npm run serve -- <folder>';
  if (!electronDir || !existsSync(join(electronDir, 'package.json'))) {
    return `Cannot start the desktop app: the electron package is not installed; run npm install, or run Sonotype in your browser instead: npm run serve -- <folder>`;
  }
  const pathFile = join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const binary = overrideDist ? join(overrideDist, executable || 'electron') : executable ? join(electronDir, 'dist', executable) : null;
  if (!binary) return `Cannot start the desktop app: Electron's binary was never downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?); ${fix}`;
  if (!existsSync(binary)) return `Cannot start the desktop app: Electron's binary is missing (${binary}); ${fix}`;
  return null;
}

/** The installed electron package's folder, or null. */
export function electronPackageDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problem = electronBinaryProblem(process.env.SONOTYPE_ELECTRON_DIR ?? electronPackageDir());
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
