/**
 * Browser mode: the same contract handlers as the Electron app, served over a
 * WebSocket on 127.0.0.1 next to the built renderer. Used for end-to-end tests
 * in Chromium and for running Sonotype on a lab workstation.
 *
 * Security: loopback only; a random token is required on every request (query
 * `?token=` once, then an HttpOnly SameSite=Strict cookie); WebSocket upgrades
 * must also come from our own origin, so other web pages cannot drive it.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvents, CallResult } from '../../src-shared/contract';
import { SonotypeError, toErrorInfo } from '../../src-shared/errors';
import { dispatchCall } from '../app/dispatch-call';
import { registerEditClient } from '../engine/store/edit-clients';
import { closeProject, createHandlers, requireSession, type AppState } from '../app/handlers';
import { openProject } from '../engine/project/open-project';
import { handleMediaRequest } from '../engine/tiles';
import { serveStatic } from './static-files';
import { sendMediaResponse } from './media-route';
import { checkRequest, TOKEN_COOKIE } from './request-guard';

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

/** A call message's fields; anything that is not a JSON object is refused with a readable error. */
function parseMessage(raw: string): { id?: unknown; call?: unknown; args?: unknown } {
  let msg: unknown;
  try {
    msg = JSON.parse(raw);
  } catch {
    throw new SonotypeError('INVALID_ARGUMENT', 'Refused: the message is not valid JSON.');
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
    throw new SonotypeError('INVALID_ARGUMENT', 'Refused: a call must be a JSON object {id, call, args}.');
  }
  return msg as { id?: unknown; call?: unknown; args?: unknown };
}

/** Largest WebSocket message accepted; a bigger frame closes that socket (1009), nothing else. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

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
    try {
      serveHttp(req, res);
    } catch (error) {
      // Never let one request take the server down; the client gets a plain 500.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`Sonotype: ${toErrorInfo(error).message}`);
    }
  });
  const ownPort = () => (http.address() as AddressInfo).port;

  function serveHttp(req: IncomingMessage, res: ServerResponse): void {
    const guard = checkRequest(req, ownPort(), token);
    if (!guard.ok) {
      res.writeHead(guard.status, { 'content-type': 'text/plain', ...guard.headers }).end(guard.message);
      return;
    }
    const { url } = guard;
    if (guard.tokenInQuery) {
      res.setHeader('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (url.pathname.startsWith('/media/')) {
      // Spectrogram tiles and audio pages; same token check as everything else (above).
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      const pathAndQuery = (req.url ?? '/').replace(/([?&])token=[^&]*&?/, '$1').replace(/[?&]$/, '');
      void handleMediaRequest(state.project, openTiles(), pathAndQuery, { range: req.headers.range }, abort.signal)
        .then((response) => sendMediaResponse(req, res, response))
        .catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`Sonotype: ${toErrorInfo(error).message}`);
        });
      return;
    }
    void serveStatic(options.rendererDir, url.pathname, res, req.method === 'HEAD');
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const guard = checkRequest(req, ownPort(), token, true);
    if (!guard.ok || guard.url.pathname !== '/api') {
      const status = guard.ok ? 404 : guard.status;
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, () => socket.destroy());
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      // Each connection (a browser tab) is its own edit client: its undo takes its own edits.
      const client = registerEditClient();
      ws.on('close', () => {
        sockets.delete(ws);
        client.release();
      });
      // ws closes the socket itself on oversized frames (1009) and protocol errors (1002); without a
      // listener, that error event would end the whole process.
      ws.on('error', () => {});
      ws.on('message', (data) => void answer(ws, data.toString(), client.id));
    });
  });

  async function answer(ws: WebSocket, raw: string, client: string): Promise<void> {
    let id: unknown = null;
    let result: CallResult<unknown>;
    try {
      const msg = parseMessage(raw);
      id = msg.id;
      result = await dispatchCall(handlers, msg.call, msg.args, { client });
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
