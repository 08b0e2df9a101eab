/**
 * A fake backend for renderer tests: implements the SonotypeApi contract with
 * per-call handlers given by the test, records every call, and lets the test
 * push events. A handler that throws becomes a `{ ok: false }` result exactly
 * like main's, so the UI's error paths are exercised for real.
 */
import type { ApiEvents, CallArgs, CallName, CallReturn, EventName, SonotypeApi } from '../../../../src-shared/contract';
import { toErrorInfo } from '../../../../src-shared/errors';

export type FakeHandlers = {
  [K in CallName]?: (...args: CallArgs<K>) => CallReturn<K> | Promise<CallReturn<K>>;
};

export interface FakeApi extends SonotypeApi {
  /** Every call made, in order: [name, args]. */
  readonly calls: Array<[CallName, unknown[]]>;
  /** Pushes an event to the UI's listeners, as main would. */
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void;
  /** Number of listeners registered for an event (to check components unsubscribe). */
  listenerCount(event: EventName): number;
}

/** Builds a fake backend and installs it as `window.sonotype`. Calls without a handler fail readably. */
export function installFakeApi(handlers: FakeHandlers): FakeApi {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const calls: Array<[CallName, unknown[]]> = [];
  const api: FakeApi = {
    calls,
    async call(name, ...args) {
      calls.push([name, args]);
      const handler = handlers[name] as ((...a: unknown[]) => unknown) | undefined;
      if (!handler) return { ok: false, error: { code: 'INTERNAL', message: `The fake backend has no handler for ${name}.` } };
      try {
        return { ok: true, value: (await handler(...args)) as CallReturn<typeof name> };
      } catch (error) {
        return { ok: false, error: toErrorInfo(error) };
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: typeof payload) => void)(payload);
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
  };
  window.sonotype = api;
  return api;
}

/** A promise the test resolves or rejects by hand, to hold a view in its loading state. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
