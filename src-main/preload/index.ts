/**
 * Preload: exposes exactly the shared contract as `window.sonotype`, nothing
 * else (no ipcRenderer, no Node). Calls are checked against the contract here
 * too, so a bug in the UI fails fast with a readable message.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CALL_ARG_CHECKS, EVENT_NAMES, isCallName, type SonotypeApi } from '../../src-shared/contract';

const api: SonotypeApi = {
  call: async (name, ...args) => {
    if (!isCallName(name) || !CALL_ARG_CHECKS[name](args)) {
      return { ok: false, error: { code: 'INVALID_ARGUMENT', message: `Malformed call ${String(name)}.` } };
    }
    return ipcRenderer.invoke('sonotype:call', name, args);
  },
  on: (event, listener) => {
    if (!EVENT_NAMES.includes(event)) throw new Error(`Unknown event ${String(event)}`);
    const wrapped = (_: Electron.IpcRendererEvent, payload: Parameters<typeof listener>[0]) => listener(payload);
    ipcRenderer.on(`event:${event}`, wrapped);
    return () => ipcRenderer.removeListener(`event:${event}`, wrapped);
  },
};

contextBridge.exposeInMainWorld('sonotype', api);
