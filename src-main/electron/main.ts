/**
 * Electron main process: a thin shell. It owns the window and IPC; all work is
 * done by the plain-Node handlers in src-main/app, which never import electron.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import { CALL_ARG_CHECKS, isCallName, type CallResult } from '../../src-shared/contract';
import { toErrorInfo } from '../../src-shared/errors';
import { createHandlers, type AppState } from '../app/handlers';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';

const here = dirname(fileURLToPath(import.meta.url));
// better-sqlite3 built for Electron's ABI by build-native.mjs (node_modules keeps the Node build for the CLI and tests).
process.env.SONOTYPE_SQLITE_BINDING ??= join(here, '..', 'native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
let mainWindow: BrowserWindow | null = null;

const state: AppState = {
  mode: 'electron',
  version: app.getVersion(),
  project: null,
  emit: (event, payload) => mainWindow?.webContents.send(`event:${event}`, payload),
};
const handlers = createHandlers(state);

/** Only our own top-level renderer may call the API (no iframes, no foreign pages). */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return Boolean(mainWindow && frame && event.sender === mainWindow.webContents && frame === mainWindow.webContents.mainFrame);
}

ipcMain.handle('sonotype:call', async (event, name: unknown, args: unknown): Promise<CallResult<unknown>> => {
  if (!isTrustedSender(event)) return { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Refused: untrusted sender.' } };
  if (!isCallName(name) || !Array.isArray(args) || !CALL_ARG_CHECKS[name](args)) {
    return { ok: false, error: { code: 'INVALID_ARGUMENT', message: `Refused: malformed call ${String(name)}.` } };
  }
  try {
    const handler = handlers[name] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await handler(...args) };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
});

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Sonotype',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  // No navigation away from the app and no new windows; external links open in the browser.
  mainWindow.webContents.on('will-navigate', (event) => event.preventDefault());
  mainWindow.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) void mainWindow.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void mainWindow.loadFile(join(here, '../renderer/index.html'));
  mainWindow.on('closed', () => (mainWindow = null));
}

// Tiles and audio pages reach the renderer through sonotype://media/… (never file://).
registerMediaScheme();

app.whenReady().then(() => {
  handleMediaProtocol(() => state.project);
  createWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
});

app.on('window-all-closed', () => {
  state.project?.close();
  if (process.platform !== 'darwin') app.quit();
});
