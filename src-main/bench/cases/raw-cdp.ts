/**
 * Drives Chromium over the DevTools protocol directly, without Playwright.
 *
 * Why: Playwright enables the Network domain on every page, and Chromium then
 * keeps a copy of every response body inside the renderer process. For a
 * memory benchmark that fetches hundreds of spectrogram tiles this inflates
 * the renderer's resident set by tens of MB that the Electron app never pays.
 * This driver only uses Page.navigate / addScriptToEvaluateOnNewDocument,
 * Runtime.evaluate / getHeapUsage and Input.* — never Network.enable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CHROMIUM_FLAGS } from '../../../e2e/support/chromium';

const LAUNCH_TIMEOUT_MS = 30_000;

/** A minimal CDP session on one page target: request/response by id, events ignored. */
export class CdpPage {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(new Error(`CDP: ${msg.error.message}`));
      else waiter.resolve(msg.result);
    });
    socket.on('close', () => {
      for (const w of this.pending.values()) w.reject(new Error('CDP connection closed'));
      this.pending.clear();
    });
  }

  /** Connects to a page target's webSocketDebuggerUrl. */
  static async connect(url: string): Promise<CdpPage> {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 2 ** 20 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new CdpPage(socket);
  }

  /** Sends one CDP command and resolves with its result. */
  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /**
   * Evaluates `expression` in the page (awaiting a returned promise) and
   * returns its JSON value; a thrown page error becomes a rejection here.
   */
  async evaluate<T>(expression: string): Promise<T> {
    const res = await this.send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (res.exceptionDetails) throw new Error(`page: ${res.exceptionDetails.exception?.description ?? res.exceptionDetails.text}`);
    return res.result.value as T;
  }

  /**
   * Resolves true once the page expression `predicate` is truthy (checked
   * every animation frame inside the page, like Playwright's waitForFunction),
   * false after `timeoutMs`.
   */
  waitFor(predicate: string, timeoutMs: number): Promise<boolean> {
    return this.evaluate<boolean>(`new Promise((resolve) => {
      const until = performance.now() + ${timeoutMs};
      const check = () => {
        let ok = false;
        try { ok = Boolean(${predicate}); } catch {}
        if (ok) resolve(true);
        else if (performance.now() > until) resolve(false);
        else requestAnimationFrame(check);
      };
      check();
    })`);
  }

  /** Double-clicks at page coordinates (press/release twice, the second with clickCount 2). */
  async doubleClick(x: number, y: number): Promise<void> {
    await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    for (const clickCount of [1, 2]) {
      await this.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', buttons: 1, clickCount });
      await this.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', buttons: 0, clickCount });
    }
  }

  async mouseMove(x: number, y: number): Promise<void> {
    await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
  }

  async wheel(x: number, y: number, deltaX: number, deltaY: number): Promise<void> {
    await this.send('Input.dispatchMouseEvent', { type: 'mouseWheel', x, y, deltaX, deltaY });
  }

  /** Presses and releases a single lower-case letter key. */
  async pressLetter(letter: string): Promise<void> {
    const base = { key: letter, code: `Key${letter.toUpperCase()}`, windowsVirtualKeyCode: letter.toUpperCase().charCodeAt(0) };
    await this.send('Input.dispatchKeyEvent', { type: 'keyDown', ...base, text: letter, unmodifiedText: letter });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
  }

  /** Used JS heap of the page's isolate, in MB (no Performance domain needed). */
  async jsHeapUsedMb(): Promise<number> {
    const { usedSize } = await this.send<{ usedSize: number }>('Runtime.getHeapUsage');
    return usedSize / 2 ** 20;
  }

  close(): void {
    this.socket.close();
  }
}

export interface RawChromium {
  page: CdpPage;
  /** The profile folder; the browser process is the one started with `--user-data-dir=<this>`. */
  userDataDir: string;
  close(): Promise<void>;
}

/** Waits for Chromium to write its DevTools port (the `DevToolsActivePort` file, first line). */
async function waitForDevToolsPort(userDataDir: string, child: ChildProcess, stderr: () => string): Promise<number> {
  const file = join(userDataDir, 'DevToolsActivePort');
  const deadline = Date.now() + LAUNCH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Chromium exited (${child.exitCode}) before DevTools started: ${stderr().slice(-500)}`);
    const fromStderr = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(stderr())?.[1];
    if (fromStderr) return Number(fromStderr);
    if (existsSync(file)) {
      const port = Number(readFileSync(file, 'utf8').split('\n')[0]);
      if (port > 0) return port;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Chromium did not open its DevTools port within ${LAUNCH_TIMEOUT_MS / 1000} s: ${stderr().slice(-500)}`);
}

/**
 * Starts headless Chromium with a fresh profile and a 1280×800 window, and
 * connects to its first page target.
 */
export async function launchRawChromium(executablePath: string): Promise<RawChromium> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'sonotype-chromium-raw-'));
  const child = spawn(
    executablePath,
    [
      ...CHROMIUM_FLAGS,
      '--window-size=1280,800',
      '--remote-debugging-port=0',
      `--user-data-dir=${userDataDir}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderrText = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    // Keep only the tail: Chromium can be chatty on a long run.
    stderrText = (stderrText + chunk.toString()).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
      if (!killed) child.kill('SIGKILL');
    }
    await rm(userDataDir, { recursive: true, force: true });
  };
  try {
    const port = await waitForDevToolsPort(userDataDir, child, () => stderrText);
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { type: string; webSocketDebuggerUrl: string }[];
    const target = targets.find((t) => t.type === 'page');
    if (!target) throw new Error('Chromium started without a page target');
    const page = await CdpPage.connect(target.webSocketDebuggerUrl);
    return {
      page,
      userDataDir,
      async close() {
        page.close();
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}
