/**
 * Child process for the kill -9 and two-process tests (not a test itself):
 * the browser-mode server on a project, as `npm run serve` runs it, printing
 * `{"port","token"}` once it listens.
 *
 * Usage: node --import tsx server-child.ts <projectDir> [<rendererDir>]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserServer } from '../browser-server';

const [projectDir, rendererDir] = process.argv.slice(2);
if (!projectDir) throw new Error('usage: server-child.ts <projectDir> [<rendererDir>]');
const server = await startBrowserServer({ projectDir, rendererDir: rendererDir ?? mkdtempSync(join(tmpdir(), 'sonotype-no-renderer-')) });
process.stdout.write(`${JSON.stringify({ port: server.port, token: server.token })}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
