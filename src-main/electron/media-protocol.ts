/**
 * The `sonotype:` scheme: spectrogram tiles and audio pages for the renderer
 * in the desktop app, e.g. `sonotype://media/tiles/3/0/12` or
 * `sonotype://media/audio/3?start=60&end=120`. A thin adapter: every request
 * is answered by the same transport-independent handler as browser mode
 * (engine/tiles/media-handler.ts), which only resolves recordings of the
 * open project inside its audio root.
 *
 * Wiring (in main.ts): call `registerMediaScheme()` before `app.whenReady()`,
 * then `handleMediaProtocol(() => session)` once the app is ready. Tiles come
 * from the open project's own TileService (the one review:open uses), so
 * there is one tile cache and one set of open files per project.
 */
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { ProjectSession } from '../app/app-state';
import { handleMediaRequest } from '../engine/tiles';
import { MEDIA_RESPONSE_CSP } from './security';

export const MEDIA_SCHEME = 'sonotype';

/**
 * Declares the scheme standard (so URLs have a host and relative URLs work),
 * fetch-capable and streamable (so <audio> can seek with Range requests).
 * Must run before the app's `ready` event.
 */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/**
 * Answers `sonotype://media/…` requests for whatever project is open when the
 * request arrives, with that project's tile service. Returns the function that
 * unregisters the handler.
 */
export function handleMediaProtocol(openSession: () => Pick<ProjectSession, 'project' | 'tiles'> | null): () => void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Only GET and HEAD are supported.', {
        status: 405, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': MEDIA_RESPONSE_CSP, allow: 'GET, HEAD' },
      });
    }
    const url = new URL(request.url);
    // The standard scheme puts `media` in the host: sonotype://media/tiles/… → /media/tiles/…
    const pathAndQuery = `/${url.host}${url.pathname}${url.search}`;
    const session = openSession();
    const response = await handleMediaRequest(session?.project ?? null, session?.tiles ?? null, pathAndQuery, {
      range: request.headers.get('range') ?? undefined,
    }, request.signal);
    if (request.method === 'HEAD' && response.body instanceof Readable) response.body.destroy();
    const body = response.body instanceof Readable
      ? (Readable.toWeb(response.body) as unknown as ReadableStream<Uint8Array>)
      : new Uint8Array(response.body);
    // The page's CSP (meta tag) does not cover these responses: they carry their own.
    const headers = { ...response.headers, 'content-security-policy': MEDIA_RESPONSE_CSP, 'x-content-type-options': 'nosniff' };
    return new Response(request.method === 'HEAD' ? null : body, { status: response.status, headers });
  });
  return () => protocol.unhandle(MEDIA_SCHEME);
}
