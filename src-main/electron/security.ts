/**
 * The desktop app's security settings, in one place so each can be checked
 * by a test with Electron's API faked (electron-security.test.ts):
 * - every renderer is sandboxed (`app.enableSandbox()`);
 * - every permission request (camera, microphone, notifications, …) and
 *   permission check is denied: Sonotype needs none;
 * - no navigation, redirect, new window or <webview> leaves the app;
 * - `shell.openExternal` only for the documentation pages listed here;
 * - IPC is answered only for our own window's top frame showing our own page;
 * - `sonotype:` responses carry a Content-Security-Policy header of their own.
 * The Electron fuses set at packaging are in fuses.ts.
 */
import type { App, IpcMainInvokeEvent, Session, WebContents } from 'electron';

/** Pages the app may open in the user's browser (Help links): anything else is refused. */
export const DOCUMENTATION_URL_PREFIXES: readonly string[] = [
  'https://github.com/sonotype/sonotype#',
  'https://github.com/sonotype/sonotype/blob/main/',
  'https://github.com/sonotype/sonotype/issues',
];

/** CSP for media responses (tiles, audio): data only, nothing in them may load or run anything. */
export const MEDIA_RESPONSE_CSP = "default-src 'none'; sandbox";

/** Whether `url` is one of the documentation pages (exact scheme and host, no credentials). */
export function isDocumentationUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  const normalised = parsed.href;
  return DOCUMENTATION_URL_PREFIXES.some((prefix) => normalised.startsWith(prefix));
}

/** Opens `url` in the user's browser if it is a documentation page; returns whether it did. */
export function openDocumentation(url: string, openExternal: (url: string) => Promise<void>): boolean {
  if (!isDocumentationUrl(url)) return false;
  void openExternal(url);
  return true;
}

/** Process-wide settings; call before the app is ready. */
export function hardenApp(app: Pick<App, 'enableSandbox' | 'on'>): void {
  app.enableSandbox();
  // Every web contents ever created (windows, devtools…): no webviews, no navigation away, no redirects.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}

/** Denies every permission request and check of a session (Sonotype uses no camera, microphone, geolocation…). */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Blocks what would take a web contents away from the app: webviews,
 * redirects, new windows (a documentation link opens in the browser instead).
 * Navigation is blocked by the window itself (main.ts), which turns a dropped
 * folder into "open project".
 */
export function hardenContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, openExternal?: (url: string) => Promise<void>): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (openExternal) openDocumentation(url, openExternal);
    return { action: 'deny' };
  });
}

/**
 * Whether an IPC call comes from our own window's top frame, showing our own
 * page (`appUrl`: the built index.html, or the dev server in development).
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  window: { webContents: Pick<WebContents, 'mainFrame'> & object } | null,
  appUrl: string,
): boolean {
  const frame = event.senderFrame;
  if (!window || !frame || event.sender !== window.webContents || frame !== window.webContents.mainFrame) return false;
  return isAppUrl(frame.url, appUrl);
}

/** Same page as `appUrl`, ignoring the hash and the query (the app never changes them across origins). */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(appUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
