/**
 * The preload's exposed surface, with a fake `ipcRenderer` and `contextBridge`:
 * exactly `window.sonotype = { call, on }`, calls checked against the
 * contract before they reach IPC, events only by their contract names. Run on
 * the TypeScript source, and on the built sandboxed bundle (out/preload) when
 * it exists: CI builds it before testing, and the bundle must not require
 * anything but 'electron' (a sandboxed preload cannot load packages).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import type { SonotypeApi } from '../../src-shared/contract';

interface FakeElectron {
  exposed: Map<string, unknown>;
  invocations: unknown[][];
  listeners: Map<string, Set<(...a: unknown[]) => void>>;
  module: { contextBridge: unknown; ipcRenderer: unknown };
}

function fakeElectron(): FakeElectron {
  const exposed = new Map<string, unknown>();
  const invocations: unknown[][] = [];
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  return {
    exposed, invocations, listeners,
    module: {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invocations.push(args);
          return { ok: true, value: 'from main' };
        },
        on: (channel: string, listener: (...a: unknown[]) => void) => {
          listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
        },
        removeListener: (channel: string, listener: (...a: unknown[]) => void) => listeners.get(channel)?.delete(listener),
      },
    },
  };
}

async function checkSurface(electron: FakeElectron): Promise<void> {
  expect([...electron.exposed.keys()]).toEqual(['sonotype']);
  const api = electron.exposed.get('sonotype') as SonotypeApi;
  expect(Object.keys(api).sort()).toEqual(['call', 'on']);

  // A well-formed call goes to main unchanged, and main's answer comes back.
  expect(await api.call('labels:split', 4, 1200)).toEqual({ ok: true, value: 'from main' });
  expect(await api.call('jobs:start', 'train', { model: 'v3', epochs: 2 })).toEqual({ ok: true, value: 'from main' });
  expect(electron.invocations).toEqual([
    ['sonotype:call', 'labels:split', [4, 1200]],
    ['sonotype:call', 'jobs:start', ['train', { model: 'v3', epochs: 2 }]],
  ]);

  // Malformed calls are refused here, readably, and never reach IPC.
  const raw = api.call as (name: string, ...args: unknown[]) => Promise<unknown>;
  for (const [name, args, why] of [
    ['review:open', ['1'], /malformed call review:open \(arguments 0: .*number/],
    ['labels:split', [4], /malformed call labels:split/],
    ['jobs:start', ['train', { model: 'v9' }], /malformed call jobs:start \(arguments 1\.model:/],
    ['jobs:start', ['test-sleep', {}], /malformed call jobs:start/],
    ['no:such-call', [], /unknown call no:such-call/],
  ] as const) {
    expect(await raw(name, ...args)).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(why) } });
  }
  expect(electron.invocations).toHaveLength(2);

  // Events: only contract names; the listener gets the payload (never Electron's event object) until it unsubscribes.
  const received: unknown[] = [];
  const off = api.on('recordings:changed', (payload) => received.push(payload));
  const [listener] = electron.listeners.get('event:recordings:changed') ?? [];
  listener({ sender: 'electron event' }, { count: 3 });
  expect(received).toEqual([{ count: 3 }]);
  off();
  expect(electron.listeners.get('event:recordings:changed')?.size).toBe(0);
  expect(() => api.on('no:such-event' as 'recordings:changed', () => undefined)).toThrow(/Unknown event no:such-event/);
}

describe('preload', () => {
  it('exposes exactly the checked contract (TypeScript source)', async () => {
    const electron = fakeElectron();
    vi.resetModules();
    vi.doMock('electron', () => electron.module);
    try {
      await import('./index');
      await checkSurface(electron);
    } finally {
      vi.doUnmock('electron');
    }
  });

  const bundle = join(import.meta.dirname, '../../out/preload/index.cjs');
  it.skipIf(!existsSync(bundle))('exposes exactly the checked contract (built sandboxed bundle; skipped until `npx electron-vite build` has run)', async () => {
    const electron = fakeElectron();
    const required: string[] = [];
    const module = { exports: {} };
    runInNewContext(readFileSync(bundle, 'utf8'), {
      module, exports: module.exports,
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`A sandboxed preload cannot require "${name}".`);
        return electron.module;
      },
    });
    expect(required).toEqual(['electron']);
    await checkSurface(electron);
    // It stays small: it is loaded into every window.
    expect(readFileSync(bundle).byteLength).toBeLessThan(32 * 1024);
  });
});
