#!/usr/bin/env node
/**
 * Builds better-sqlite3's native addon for Electron's ABI into
 * out/native/electron-<version>/, leaving node_modules untouched: the CLI and
 * tests keep the Node build, the app loads this one via the `nativeBinding`
 * option (SONOTYPE_SQLITE_BINDING). No flip-flopping rebuilds between
 * `npm start` and `npm test`.
 *
 * Tries the published prebuilt binary first, then compiles against Electron's
 * headers. Both need the network once; afterwards the result is cached.
 */
import { cpSync, existsSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let electronVersion;
try {
  electronVersion = require('electron/package.json').version;
} catch {
  console.error('Electron is not installed (npm install without ELECTRON_SKIP_BINARY_DOWNLOAD).');
  process.exit(1);
}
const target = join(repoRoot, 'out', 'native', `electron-${electronVersion}`, 'better_sqlite3.node');
if (existsSync(target)) process.exit(0);

const source = dirname(require.resolve('better-sqlite3/package.json'));
const work = join(repoRoot, 'out', 'native-build', 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(dirname(work), { recursive: true });
cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${source}/build`) });

function nodeGypScript() {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    // npm ships node-gyp; use that copy when the project does not have its own.
    return join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  }
}

const run = (cmd, args) => execFileSync(cmd, args, { cwd: work, stdio: 'inherit', env: { ...process.env } });
const arch = process.arch;
try {
  run(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', arch]);
} catch {
  console.log('No prebuilt better-sqlite3 for this Electron; compiling against its headers…');
  run(process.execPath, [
    nodeGypScript(), 'rebuild', '--release',
    `--target=${electronVersion}`, `--arch=${arch}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers',
  ]);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
rmSync(work, { recursive: true, force: true });
console.log(`better-sqlite3 for Electron ${electronVersion}: ${target}`);
