/**
 * Where the project's files are at run time. From TypeScript sources (CLI,
 * tests, browser mode) this file's own location tells. Inside the bundled
 * Electron main (out/main/index.js) `import.meta.url` points at the bundle,
 * so the shell sets SONOTYPE_SOURCE_ROOT to the repository it runs from:
 * job workers start from the TypeScript sources (through tsx), and resources
 * are found next to them.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function sourceRoot(): string {
  return process.env.SONOTYPE_SOURCE_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}

/** file: URL of a path under src-main/engine (e.g. 'jobs/worker-bootstrap.mjs'). */
export function engineFileUrl(relativePath: string): URL {
  return pathToFileURL(join(sourceRoot(), 'src-main', 'engine', relativePath));
}
