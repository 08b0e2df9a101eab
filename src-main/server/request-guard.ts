/**
 * Who may talk to the browser-mode server: every HTTP request and WebSocket
 * upgrade passes `checkRequest` before anything else reads it. Nothing here
 * throws on hostile input (a bad cookie or a multibyte token used to crash
 * the process): every failure is a refusal with a status and a plain message.
 *
 * - Host must be this server (127.0.0.1 or localhost with our port), so a
 *   DNS-rebinding page cannot reach it under another name.
 * - The token (query `?token=` once, then the cookie) is compared in constant
 *   time over SHA-256 digests, which have the same length whatever was sent.
 * - Only GET and HEAD: the HTTP side serves files and media, nothing writes.
 * - WebSocket upgrades must come from our own origin (or from no browser).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'sonotype_token';
export const ALLOWED_METHODS = ['GET', 'HEAD'] as const;

export type GuardResult =
  | { ok: true; url: URL; tokenInQuery: boolean }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time token comparison that never throws, whatever `given` holds. */
export function sameToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(digest(given), digest(token)) && given === token;
}

/** The token from `?token=`, else from our cookie; null when absent or undecodable. */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const header = req.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const pair = part.trim();
    if (!pair.startsWith(`${TOKEN_COOKIE}=`)) continue;
    try {
      return decodeURIComponent(pair.slice(TOKEN_COOKIE.length + 1));
    } catch {
      return null; // malformed percent-encoding: no usable token
    }
  }
  return null;
}

/** Host header values this server answers to. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (typeof host !== 'string') return false;
  const lower = host.toLowerCase();
  return lower === `127.0.0.1:${port}` || lower === `localhost:${port}`;
}

/** Origins allowed to open the API WebSocket; no Origin = not a browser page (CLI tools, tests). */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function parseUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/**
 * Checks one request (`upgrade` for a WebSocket handshake). Order matters for
 * what a refusal tells: a foreign Host learns nothing, then the token, then
 * the method.
 */
export function checkRequest(req: IncomingMessage, port: number, token: string, upgrade = false): GuardResult {
  if (!isAllowedHost(req.headers.host, port)) {
    return { ok: false, status: 403, message: 'Sonotype: refused a request for another host name. Open the URL printed by `npm run serve`.' };
  }
  const url = parseUrl(req.url);
  if (!url) return { ok: false, status: 400, message: 'Sonotype: malformed request URL.' };
  if (upgrade && !isAllowedOrigin(req.headers.origin, port)) {
    return { ok: false, status: 403, message: 'Sonotype: refused a WebSocket from another origin.' };
  }
  if (!sameToken(requestToken(req, url), token)) {
    return { ok: false, status: 403, message: 'Sonotype: missing or wrong token. Open the URL printed by `npm run serve`.' };
  }
  if (!upgrade && !(ALLOWED_METHODS as readonly string[]).includes(req.method ?? '')) {
    return { ok: false, status: 405, message: `Sonotype: method ${req.method} is not allowed.`, headers: { allow: ALLOWED_METHODS.join(', ') } };
  }
  return { ok: true, url, tokenInQuery: url.searchParams.has('token') };
}
