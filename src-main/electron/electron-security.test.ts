/**
 * The desktop app's security checklist, each item asserted with Electron's
 * API faked (the Electron binary cannot run here; e2e/electron-app.test.ts
 * runs the real app wherever it can): main.ts is imported against the fake,
 * and the handlers it registers are driven with hostile input.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './testing/fake-electron';
import { FUSES, applyFuses } from './fuses';
import { FuseV1Options } from '@electron/fuses';
import { isAppUrl, isDocumentationUrl } from './security';

const fake = vi.hoisted(() => ({ current: null as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./testing/fake-electron');
  fake.current = createFakeElectron();
  return { ...fake.current.electron, default: fake.current.electron };
});

describe('Electron main process (faked Electron)', () => {
  let sandboxedBeforeReady = 0;
  beforeAll(async () => {
    await import('./main');
    sandboxedBeforeReady = fake.current.calls.enableSandbox;
    fake.current.becomeReady();
    await vi.waitFor(() => expect(fake.current.calls.windows).toHaveLength(1));
  });
  afterAll(() => vi.doUnmock('electron'));
  const win = () => fake.current.calls.windows[0];

  it('enables the sandbox for every renderer before the app is ready', () => {
    expect(sandboxedBeforeReady).toBe(1);
    expect(win().options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
  });

  it('denies every permission request and check', () => {
    const { request, check } = fake.current.permission;
    expect(request).toBeTypeOf('function');
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      let granted: boolean | undefined;
      request!(win().webContents, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(check!(win().webContents, permission, 'file://', {}), permission).toBe(false);
    }
  });

  it('blocks redirects, navigation away, webviews and new windows', () => {
    const contents = win().webContents;
    expect(contents.emitPreventable('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.emitPreventable('will-attach-webview', {}, {})).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(fake.current.calls.openExternal).toEqual([]);
  });

  it('opens only documentation pages in the browser', () => {
    const contents = win().webContents;
    const docs = 'https://github.com/sonotype/sonotype/blob/main/README.md';
    expect(contents.windowOpenHandler!({ url: docs })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://user:pw@github.com/sonotype/sonotype/issues' })).toEqual({ action: 'deny' });
    expect(fake.current.calls.openExternal).toEqual([docs]);
    for (const bad of ['http://github.com/sonotype/sonotype/issues', 'https://github.com.evil.example/sonotype/sonotype/issues', 'javascript:alert(1)', 'https://github.com/other/repo', 'not a url']) {
      expect(isDocumentationUrl(bad), bad).toBe(false);
    }
  });

  it('answers IPC only from its own window’s top frame showing its own page', async () => {
    const handler = fake.current.ipcHandlers.get('sonotype:call')!;
    const contents = win().webContents;
    const appUrl = win().loadedUrl!;
    expect(isAppUrl(contents.mainFrame.url, appUrl)).toBe(true);
    const ok = (await handler({ sender: contents, senderFrame: contents.mainFrame }, 'app:info', [])) as { ok: boolean };
    expect(ok.ok).toBe(true);
    const refused = async (event: unknown) => ((await handler(event, 'app:info', [])) as { ok: boolean; error?: { message: string } });
    expect(await refused({ sender: contents, senderFrame: { url: appUrl } })).toMatchObject({ ok: false, error: { message: 'Refused: untrusted sender.' } });
    expect((await refused({ sender: { mainFrame: contents.mainFrame }, senderFrame: contents.mainFrame })).ok).toBe(false);
    expect((await refused({ sender: contents, senderFrame: null })).ok).toBe(false);
    contents.mainFrame.url = 'https://evil.example/index.html';
    expect((await refused({ sender: contents, senderFrame: contents.mainFrame })).ok).toBe(false);
    contents.mainFrame.url = appUrl;
  });

  it('sends a Content-Security-Policy header with every sonotype: response', async () => {
    const handle = fake.current.protocolHandler()!;
    for (const request of [new Request('sonotype://media/tiles/1/0/0'), new Request('sonotype://media/audio/1?start=0&end=1', { method: 'POST' })]) {
      const response = await handle(request);
      expect(response.status, request.method).toBeGreaterThanOrEqual(400);
      expect(response.headers.get('content-security-policy'), request.method).toBe("default-src 'none'; sandbox");
      expect(response.headers.get('x-content-type-options') ?? 'nosniff').toBe('nosniff');
    }
  });
});

describe('Electron fuses at packaging', () => {
  it('turn RunAsNode off, cookie encryption on, the app only from its checked asar', async () => {
    expect(FUSES).toMatchObject({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
    });
    const flipped: unknown[] = [];
    await applyFuses('/path/to/Sonotype', async (binary, config) => {
      flipped.push(binary, config);
      return 0;
    });
    expect(flipped[0]).toBe('/path/to/Sonotype');
    expect(flipped[1]).toMatchObject(FUSES as object);
  });
});
