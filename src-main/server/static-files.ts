/**
 * Serves the built renderer (out/renderer) to the browser mode. Only files
 * inside that folder are ever read: paths are normalised and checked after
 * decoding, so `..`, encoded slashes and symlinks out of it are refused.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/** Resolves a URL path to a file inside `root`, or null when it would escape it. */
export async function resolveInside(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rootReal = await realpath(root);
  const candidate = resolve(rootReal, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (candidate !== rootReal && !candidate.startsWith(rootReal + sep)) return null;
  try {
    const real = await realpath(candidate);
    if (real !== rootReal && !real.startsWith(rootReal + sep)) return null;
    const info = await stat(real);
    if (info.isDirectory()) return resolveInside(root, join(decoded, 'index.html'));
    return info.isFile() ? real : null;
  } catch {
    return null;
  }
}

/** Serves one file of `root` (never throws: a file that vanishes mid-read ends the response). */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, headOnly = false): Promise<void> {
  const file = await resolveInside(root, urlPath === '/' ? '/index.html' : urlPath).catch(() => null);
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    // The page is never framed by another site (clickjacking) and never sends the token-bearing URL as a referrer.
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  if (headOnly) {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
