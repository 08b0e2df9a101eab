/**
 * Who makes an edit. Each window (an Electron window, a browser tab's
 * WebSocket) is an edit client with an id; every history row records it, and
 * undo/redo take only the caller's own steps — plus steps whose client is
 * gone (a closed tab, an earlier run of the app, the CLI), which are shared,
 * so undo still works across restarts. One window's Ctrl+Z never removes what
 * another open window did.
 *
 * The caller is carried by AsyncLocalStorage around a request
 * (`withEditClient`), so the store's edit functions need no extra argument.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { hostname } from 'node:os';
import { processAlive } from '../util/process-alive';

const HOST = hostname();
const storage = new AsyncLocalStorage<string>();
/** Clients of this process that are connected now. */
const connected = new Set<string>();
let counter = 0;

/** Registers a new client of this process (a window or connection); `release` when it goes away. */
export function registerEditClient(): { id: string; release(): void } {
  const id = `${HOST}/${process.pid}/${++counter}`;
  connected.add(id);
  return { id, release: () => connected.delete(id) };
}

/** Runs `work` (and everything it awaits) as edits of `client`. */
export function withEditClient<T>(client: string | undefined, work: () => T): T {
  return client === undefined ? work() : storage.run(client, work);
}

/** The client on whose behalf the current request runs; undefined for the CLI and scripts. */
export function currentEditClient(): string | undefined {
  return storage.getStore();
}

/** Whether `client` is still there to undo its own edits (other hosts are assumed to be). */
export function isClientLive(client: string): boolean {
  const [host, pidText] = client.split('/');
  const pid = Number(pidText);
  if (host !== HOST) return true;
  if (pid === process.pid) return connected.has(client);
  return processAlive(pid);
}

/** Whether the caller may undo or redo a history row made by `client` (its own, or one nobody owns any more). */
export function ownedByCaller(client: string | null): boolean {
  if (client === null) return true;
  const caller = currentEditClient();
  return client === caller || !isClientLive(client);
}
