/**
 * A stand-in for the `electron` module, for tests of the main process and the
 * preload where the Electron binary cannot run (CI, this machine). It records
 * what the app asks of Electron (sandboxing, permission handlers, event
 * listeners, IPC handlers, windows and their web preferences, the protocol
 * handler, the exposed API) so tests can assert each security setting and
 * drive the registered handlers with hostile input.
 */
type Listener = (...args: unknown[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  /** Calls the listeners of `event`; returns whether any called `preventDefault` on the event object. */
  emitPreventable(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    const e = { preventDefault: () => (prevented = true) };
    for (const l of this.listeners.get(event) ?? []) l(e, ...args);
    return prevented;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

export class FakeWebContents extends FakeEmitter {
  readonly mainFrame: { url: string };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: { channel: string; payload: unknown }[] = [];
  constructor(url = '') {
    super();
    this.mainFrame = { url };
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
}

export function createFakeElectron() {
  const calls = {
    enableSandbox: 0,
    openExternal: [] as string[],
    schemes: [] as unknown[],
    windows: [] as FakeBrowserWindow[],
    exposed: new Map<string, unknown>(),
    invoked: [] as unknown[][],
  };
  const ipcHandlers = new Map<string, Listener>();
  let protocolHandler: ((request: Request) => Promise<Response>) | null = null;
  const permission = {
    request: null as null | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
    check: null as null | ((...args: unknown[]) => boolean),
  };
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));

  const app = Object.assign(new FakeEmitter(), {
    isPackaged: false,
    getVersion: () => '0.0.0-test',
    getPath: (_name: string) => '/tmp/sonotype-fake-electron',
    enableSandbox: () => void calls.enableSandbox++,
    whenReady: () => ready,
    quit: () => {},
  });

  class FakeBrowserWindow extends FakeEmitter {
    static getAllWindows = () => calls.windows;
    readonly webContents: FakeWebContents;
    loadedUrl: string | null = null;
    constructor(readonly options: { webPreferences?: Record<string, unknown> }) {
      super();
      this.webContents = new FakeWebContents();
      calls.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      this.webContents.mainFrame.url = url;
    }
    async loadFile(file: string): Promise<void> {
      await this.loadURL(`file://${file}`);
    }
    maximize(): void {}
    show(): void {}
    isMaximized(): boolean {
      return false;
    }
    getBounds() {
      return { x: 0, y: 0, width: 1200, height: 800 };
    }
  }

  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: { handle: (channel: string, handler: Listener) => void ipcHandlers.set(channel, handler) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof permission.request) => void (permission.request = h),
        setPermissionCheckHandler: (h: typeof permission.check) => void (permission.check = h),
      },
    },
    shell: { openExternal: async (url: string) => void calls.openExternal.push(url) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => void calls.schemes.push(...schemes),
      handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => void (protocolHandler = handler),
      unhandle: () => void (protocolHandler = null),
    },
    Menu: { setApplicationMenu: () => {}, buildFromTemplate: (t: unknown) => t },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showMessageBox: async () => ({ response: 0 }) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void calls.exposed.set(key, api) },
    ipcRenderer: Object.assign(new FakeEmitter(), {
      invoke: async (...args: unknown[]) => {
        calls.invoked.push(args);
        return { ok: true, value: 'sent' };
      },
      removeListener: () => {},
    }),
  };
  return {
    electron,
    calls,
    ipcHandlers,
    permission,
    protocolHandler: () => protocolHandler,
    /** Resolves app.whenReady() (as Electron does once it has started). */
    becomeReady: () => readyResolve(),
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
