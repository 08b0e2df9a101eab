import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
// @ts-expect-error -- a plain .mjs script (it runs before anything is built), without type declarations
import { electronBinaryProblem } from './check-electron.mjs';

const script = resolve(import.meta.dirname, 'check-electron.mjs');
const repoRoot = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An electron package folder as npm leaves it: with or without the downloaded binary. */
function fakeElectron(withBinary: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'sonotype-electron-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), '{"name":"electron","version":"39.5.0"}');
  if (withBinary) {
    writeFileSync(join(dir, 'path.txt'), 'electron');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
  }
  return dir;
}

describe('npm start front door', () => {
  it('finds a missing Electron binary and says how to get it and that the browser mode works', () => {
    const problem = electronBinaryProblem(fakeElectron(false), undefined) as string;
    expect(problem).toMatch(/Electron's binary was never downloaded \(installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1\?\)/);
    expect(problem).toContain('node node_modules/electron/install.js');
    expect(problem).toContain('npm run serve -- <folder>');
    expect(problem.split('\n')).toHaveLength(1);
    expect(electronBinaryProblem(fakeElectron(true), undefined)).toBeNull();
    expect(electronBinaryProblem(null, undefined)).toMatch(/electron package is not installed/);
  });

  it('stops npm start at once, before the minutes-long native build, with one line', async () => {
    const run = promisify(execFile);
    const failure = await run(process.execPath, [script], { env: { ...process.env, SONOTYPE_ELECTRON_DIR: fakeElectron(false) } }).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr.trim().split('\n')).toHaveLength(1);
    expect(failure.stderr).toContain('npm run serve');
    const ok = await run(process.execPath, [script], { env: { ...process.env, SONOTYPE_ELECTRON_DIR: fakeElectron(true) } });
    expect(ok.stderr).toBe('');
    // The check runs first: the native build only starts once it passed.
    const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts as Record<string, string>;
    for (const name of ['prestart', 'predev']) expect(scripts[name]).toMatch(/^node src-main\/electron\/check-electron\.mjs && node src-main\/electron\/build-native\.mjs$/);
  });
});
