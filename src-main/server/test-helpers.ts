/**
 * Raw HTTP and WebSocket clients for the browser-mode security tests: full
 * control over the request line and headers (a fetch() would fix the Host,
 * normalise the path and refuse malformed values before they are sent).
 */
import { connect } from 'node:net';
import { WebSocket } from 'ws';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `request` (a full HTTP/1.x request text) and reads the response until the server closes. */
export function rawHttp(port: number, request: string, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${timeoutMs} ms to ${JSON.stringify(request.slice(0, 80))}`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const status = Number(statusLine.split(' ')[1]);
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number.isFinite(status) ? status : 0, headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(request);
  });
}

/** A GET (or another method) with `Connection: close` and the given headers; Host defaults to the server's own. */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string | null>; body?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string | null> = { host: `127.0.0.1:${port}`, connection: 'close', ...options.headers };
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  const lines = Object.entries(headers).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${v}`);
  return rawHttp(port, `${options.method ?? 'GET'} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${options.body ?? ''}`);
}

/** Opens the API WebSocket; resolves once open, rejects with the HTTP status when the upgrade is refused. */
export function openApiSocket(port: number, options: { query?: string; headers?: Record<string, string> } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api${options.query ?? ''}`, { headers: options.headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends one raw text frame and resolves with the next message (parsed JSON). */
export function sendAndReceive(ws: WebSocket, raw: string | Buffer, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer')), timeoutMs);
    ws.once('message', (data) => {
      clearTimeout(timer);
      resolve(JSON.parse(data.toString()));
    });
    ws.send(raw);
  });
}

export interface CallReply {
  id: unknown;
  result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

/** One contract call over an open socket; resolves with the reply carrying `id` (events in between are skipped). */
export function callOver(ws: WebSocket, id: number, call: string, args: unknown[], timeoutMs = 30_000): Promise<CallReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('message', onMessage);
      reject(new Error(`no answer to ${call} (id ${id})`));
    }, timeoutMs);
    const onClose = () => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      reject(new Error(`the connection closed before ${call} (id ${id}) was answered`));
    };
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as Partial<CallReply>;
      if (message.id !== id || !message.result) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(message as CallReply);
    };
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(JSON.stringify({ id, call, args }));
  });
}
