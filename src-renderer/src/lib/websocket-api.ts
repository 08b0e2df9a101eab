/**
 * The contract over a WebSocket, for browser mode (`npm run serve`). Same
 * interface as Electron's preload, so the UI cannot tell the difference.
 */
import type { ApiEvents, CallResult, EventName, SonotypeApi } from '../../../src-shared/contract';

export function createWebSocketApi(url: string): SonotypeApi {
  const pending = new Map<number, (result: CallResult<unknown>) => void>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;

  function connect(): Promise<WebSocket> {
    if (socket?.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    opening ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        opening = null;
        resolve(ws);
      };
      ws.onerror = () => {
        opening = null;
        reject(new Error('Cannot reach the Sonotype server. Is `npm run serve` still running?'));
      };
      ws.onclose = () => {
        socket = null;
        for (const [id, settle] of pending) {
          settle({ ok: false, error: { code: 'INTERNAL', message: 'The connection to the Sonotype server was lost.' } });
          pending.delete(id);
        }
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as { id?: number; result?: CallResult<unknown>; event?: EventName; payload?: unknown };
        if (data.event) for (const listener of listeners.get(data.event) ?? []) listener(data.payload as never);
        else if (typeof data.id === 'number' && data.result) {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        }
      };
    });
    return opening;
  }

  return {
    async call(name, ...args) {
      let ws: WebSocket;
      try {
        ws = await connect();
      } catch (error) {
        return { ok: false, error: { code: 'INTERNAL', message: (error as Error).message } };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: CallResult<unknown>) => void);
        ws.send(JSON.stringify({ id, call: name, args }));
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      void connect().catch(() => undefined);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

/** In browser mode the page URL carries the token; the API lives at /api on the same host. */
export function browserModeApiUrl(location: Location): string | null {
  const token = new URLSearchParams(location.search).get('token');
  if (!token || !location.host) return null;
  return `ws://${location.host}/api?token=${encodeURIComponent(token)}`;
}

export type { ApiEvents };
