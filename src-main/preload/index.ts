/**
 * Preload: exposes exactly the shared contract as `window.sonotype`, nothing
 * else (no ipcRenderer, no Node). Calls are checked against the contract's
 * schemas here too (the same `checkCall` main runs), so a bug in the UI fails
 * fast with a readable message. Sandboxed preloads cannot require packages:
 * electron-vite bundles valibot into this file (electron.vite.config.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { checkCall, isEventName, type SonotypeApi } from '../../src-shared/contract';

const api: SonotypeApi = {
  call: async (name, ...args) => {
    const checked = checkCall(name, args);
    if (!checked.ok) return { ok: false, error: { code: 'INVALID_ARGUMENT', message: checked.message } };
    return ipcRenderer.invoke('sonotype:call', name, args);
  },
  on: (event, listener) => {
    if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`);
    const wrapped = (_: Electron.IpcRendererEvent, payload: Parameters<typeof listener>[0]) => listener(payload);
    ipcRenderer.on(`event:${event}`, wrapped);
    return () => ipcRenderer.removeListener(`event:${event}`, wrapped);
  },
};

contextBridge.exposeInMainWorld('sonotype', api);
