/**
 * `npm run serve -- [<project-folder>] [--port <n>]`: builds the renderer if
 * needed, starts the browser-mode server and prints exactly one line:
 * `Sonotype is serving http://127.0.0.1:PORT/?token=…`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { toErrorInfo } from '../../src-shared/errors';
import { startBrowserServer } from './browser-server';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export async function runServeCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { port: { type: 'string' } } });
  } catch (error) {
    process.stderr.write(`sonotype serve: ${(error as Error).message}\nUsage: npm run serve -- [<project-folder>] [--port <n>]\n`);
    return 2;
  }
  const port = parsed.values.port === undefined ? 0 : Number(parsed.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('sonotype serve: --port must be 0–65535\n');
    return 2;
  }
  const rendererDir = join(repoRoot, 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write('Building the renderer (first run)…\n');
    const build = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (build.status !== 0) return 1;
  }
  try {
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const projectDir = parsed.positionals[0] ? resolve(parsed.positionals[0]) : undefined;
    const server = await startBrowserServer({ rendererDir, projectDir, port, version });
    process.stdout.write(`Sonotype is serving ${server.url}\n`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return await new Promise<number>(() => {});
  } catch (error) {
    process.stderr.write(`sonotype serve: ${toErrorInfo(error).message}\n`);
    return 1;
  }
}
