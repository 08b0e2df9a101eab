/**
 * Browser mode: the same contract handlers as the Electron app, served over a
 * WebSocket on 127.0.0.1 next to the built renderer. Used for end-to-end tests
 * in Chromium and for running Sonotype on a lab workstation.
 *
 * Security: loopback only; a random token is required on every request (query
 * `?token=` once, then an HttpOnly SameSite=Strict cookie); WebSocket upgrades
 * must also come from our own origin, so other web pages cannot drive it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CALL_ARG_CHECKS, isCallName, type ApiEvents, type CallResult } from '../../src-shared/contract';
import { toErrorInfo } from '../../src-shared/errors';
import { closeProject, createHandlers, requireSession, type AppState } from '../app/handlers';
import { openProject } from '../engine/project/open-project';
import { handleMediaRequest } from '../engine/tiles';
import { serveStatic } from './static-files';
import { sendMediaResponse } from './media-route';

export interface BrowserServerOptions {
  rendererDir: string;
  projectDir?: string;
  /** 0 (default) = a random free port. */
  port?: number;
  token?: string;
  version?: string;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'sonotype_token';

function sameToken(a: string | null | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function tokenOf(req: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const cookie = req.headers.cookie?.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.slice(COOKIE.length + 1)) : null;
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const sockets = new Set<WebSocket>();
  const state: AppState = {
    mode: 'browser',
    version: options.version ?? '0.0.0',
    project: options.projectDir ? await openProject(options.projectDir) : null,
    // Media URLs carry the token too: <audio> and tile fetches may run before the cookie is set.
    media: { base: '/media', query: `token=${encodeURIComponent(token)}` },
    emit<E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) {
      const message = JSON.stringify({ event, payload });
      for (const ws of sockets) ws.send(message);
    },
  };
  const handlers = createHandlers(state);
  // The open project's own tile service (it changes with the project through `project:open`).
  const openTiles = () => (state.project ? requireSession(state).tiles : null);

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!sameToken(tokenOf(req, url), token)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Sonotype: missing or wrong token. Open the URL printed by `npm run serve`.');
      return;
    }
    if (url.searchParams.has('token')) {
      res.setHeader('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (url.pathname.startsWith('/media/')) {
      // Spectrogram tiles and audio pages; same token check as everything else (above).
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      const pathAndQuery = (req.url ?? '/').replace(/([?&])token=[^&]*&?/, '$1').replace(/[?&]$/, '');
      void handleMediaRequest(state.project, openTiles(), pathAndQuery, { range: req.headers.range }, abort.signal)
        .then((response) => sendMediaResponse(req, res, response));
      return;
    }
    void serveStatic(options.rendererDir, url.pathname, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const port = (http.address() as AddressInfo).port;
    const originOk = !origin || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== '/api' || !originOk || !sameToken(tokenOf(req, url), token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void answer(ws, data.toString()));
    });
  });

  async function answer(ws: WebSocket, raw: string): Promise<void> {
    let id: unknown = null;
    let result: CallResult<unknown>;
    try {
      const msg = JSON.parse(raw) as { id?: unknown; call?: unknown; args?: unknown };
      id = msg.id;
      const { call, args } = msg;
      if (!isCallName(call) || !Array.isArray(args) || !CALL_ARG_CHECKS[call](args)) {
        result = { ok: false, error: { code: 'INVALID_ARGUMENT', message: `Refused: malformed call ${String(call)}.` } };
      } else {
        const handler = handlers[call] as (...a: unknown[]) => Promise<unknown>;
        result = { ok: true, value: await handler(...args) };
      }
    } catch (error) {
      result = { ok: false, error: toErrorInfo(error) };
    }
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
  }

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
      // Cancels the project's jobs, closes its tile service and its database.
      await closeProject(state);
    },
  };
}
