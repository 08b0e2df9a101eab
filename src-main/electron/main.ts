/**
 * Electron main process: a thin shell. It owns the window, menus, dialogs and
 * IPC; all work is done by the plain-Node handlers in src-main/app, which
 * never import electron.
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import type { CallResult, MenuCommand } from '../../src-shared/contract';
import { toErrorInfo } from '../../src-shared/errors';
import { dispatchCall } from '../app/dispatch-call';
import { registerEditClient } from '../engine/store/edit-clients';
import { closeProject, createHandlers, requireSession, type AppState } from '../app/handlers';
import { Scope } from '../../src-shared/scope';
import { listRecentProjects } from '../app/recent-projects';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { installMenu } from './menu';
import { loadWindowState, trackWindowState } from './window-state';
import { denyAllPermissions, hardenApp, isTrustedSender, openDocumentation } from './security';

const here = dirname(fileURLToPath(import.meta.url));
// better-sqlite3 built for Electron's ABI by build-native.mjs (node_modules keeps the Node build for the CLI and tests).
process.env.SONOTYPE_SQLITE_BINDING ??= join(here, '..', 'native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
process.env.SONOTYPE_CONFIG_DIR ??= app.getPath('userData');
// The bundle lives in out/main; job workers start from the TypeScript sources next to it (through tsx).
process.env.SONOTYPE_SOURCE_ROOT ??= join(here, '..', '..');
if (app.isPackaged) process.env.SONOTYPE_RESOURCES_DIR ??= join(process.resourcesPath, 'resources');

let mainWindow: BrowserWindow | null = null;
/** What the shell started (protocol handler, …): released before the project closes on quit. */
const shellScope = new Scope();

const state: AppState = {
  mode: 'electron',
  version: app.getVersion(),
  project: null,
  media: { base: 'sonotype://media', query: '' },
  emit: (event, payload) => mainWindow?.webContents.send(`event:${event}`, payload),
};
const handlers = createHandlers(state);

/** The page the window shows: the dev server in development, else the built renderer. */
const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const appUrl = devServer ?? pathToFileURL(join(here, '../renderer/index.html')).href;

// Sandboxed renderers, and no webview, redirect or new window anywhere (security.ts).
hardenApp(app);

ipcMain.handle('sonotype:call', async (event, name: unknown, args: unknown): Promise<CallResult<unknown>> => {
  // Only our own window's top frame, showing our own page, may call the API (no iframes, no foreign pages).
  if (!isTrustedSender(event, mainWindow, appUrl)) return { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Refused: untrusted sender.' } };
  return dispatchCall(handlers, name, args, { client: windowClient?.id });
});

/** Opens a project from the menu, the recent list or a dropped folder, and tells the page. */
async function openFolder(dir: string): Promise<void> {
  try {
    const info = await handlers['project:open'](dir);
    state.emit('project:changed', info);
    await refreshMenu();
  } catch (error) {
    const { message } = toErrorInfo(error);
    const { dialog } = await import('electron');
    if (mainWindow) void dialog.showMessageBox(mainWindow, { type: 'error', message: 'Could not open the folder', detail: message });
  }
}

async function refreshMenu(): Promise<void> {
  if (!mainWindow) return;
  await installMenu(mainWindow, {
    openFolder,
    openDemo: async () => {
      try {
        state.emit('project:changed', await handlers['project:openDemo']());
      } catch (error) {
        const { dialog } = await import('electron');
        if (mainWindow) void dialog.showMessageBox(mainWindow, { type: 'error', message: 'Could not open the demo', detail: toErrorInfo(error).message });
      }
    },
    recent: listRecentProjects,
    command: (command: MenuCommand) => state.emit('menu:command', { command }),
  });
}

/** The window's edit client: its undo takes its own edits (and those of earlier runs). */
let windowClient: ReturnType<typeof registerEditClient> | null = null;

function createWindow(): void {
  const saved = loadWindowState(app.getPath('userData'));
  windowClient = registerEditClient();
  mainWindow = new BrowserWindow({
    ...saved.bounds,
    minWidth: 800,
    minHeight: 500,
    title: 'Sonotype',
    show: false,
    backgroundColor: '#14171c',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (saved.maximized) mainWindow.maximize();
  trackWindowState(mainWindow, app.getPath('userData'));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  // No navigation away from the app. A folder dropped on the window arrives as a
  // navigation to its file:// URL: open it as a project instead.
  mainWindow.webContents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (!url.startsWith('file://')) return;
    try {
      const path = fileURLToPath(url);
      if (statSync(path).isDirectory()) void openFolder(path);
    } catch {
      // Not a local folder: ignore.
    }
  });
  // A link to the documentation opens in the browser; nothing else opens anywhere.
  mainWindow.webContents.setWindowOpenHandler(({ url }) => {
    openDocumentation(url, (u) => shell.openExternal(u));
    return { action: 'deny' };
  });
  void mainWindow.loadURL(appUrl);
  mainWindow.on('closed', () => {
    mainWindow = null;
    windowClient?.release();
    windowClient = null;
  });
  void refreshMenu();
}

// Tiles and audio pages reach the renderer through sonotype://media/… (never file://).
registerMediaScheme();

app.whenReady().then(() => {
  // Sonotype needs no camera, microphone, notifications or geolocation: every request is denied.
  denyAllPermissions(session.defaultSession);
  shellScope.add(handleMediaProtocol(() => (state.project ? requireSession(state) : null)));
  createWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
});

app.on('window-all-closed', () => {
  // Cancels running jobs (their checkpoints let them resume) and closes the project before quitting.
  void closeProject(state).finally(() => {
    if (process.platform === 'darwin') return; // the app stays open without windows; 'activate' makes a new one
    shellScope.dispose();
    app.quit();
  });
});
