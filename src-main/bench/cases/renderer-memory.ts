/**
 * The renderer in a real browser (Debian's Chromium through browser mode) on a
 * generated 2-hour 96 kHz recording, after the project has been scanned.
 * Chromium is driven over raw CDP (./raw-cdp), not Playwright: Playwright
 * turns on the Network domain, which makes the renderer keep a copy of every
 * tile response and would be counted as the app's memory.
 * - time to first spectrogram view: page load → first tile drawn, both read
 *   from the page's own performance timeline (SpectrogramCanvas leaves a mark
 *   when tiles first reach the screen);
 * - renderer memory while scrolling the recording end to end zoomed in to
 *   about half a minute per screen, one screen per horizontal wheel step,
 *   waiting at each step until the screen's own tiles are drawn. Memory is the
 *   resident set (VmRSS) of the Chromium renderer process hosting the page
 *   (the largest renderer of this browser), read from /proc; the page's JS heap
 *   (CDP Performance.getMetrics) is reported beside it.
 * Skipped with a message when Chromium or the built renderer is missing.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSuite } from '../types';
import { writeBenchRecording } from './bench-audio';
import { openProject } from '../../engine/project/open-project';
import { scanProject } from '../../engine/project/scan-project';
import { startBrowserServer } from '../../server/browser-server';
import { findChromium } from '../../../e2e/support/chromium';
import { launchRawChromium } from './raw-cdp';
import { e2eSkipReason, rendererDir } from '../../../e2e/support/paths';

const HOURS = 2;
const RATE = 96_000;
/** Zoom-in key presses from the whole-file view (each halves the span): 7200 s / 2^8 ≈ 28 s per screen. */
const ZOOM_STEPS = 8;
/** A screen whose tiles do not arrive within this time is left as it is (counted), so a slow run still ends. */
const STEP_TIMEOUT_MS = 10_000;
const FIRST_DRAW_MARK = 'sonotype:first-spectrogram-draw';
/** SONOTYPE_BENCH_RENDERER_SCREENS=n stops after n screens (quicker iteration); by default the whole recording (~256). */
const MAX_SCREENS = Number(process.env.SONOTYPE_BENCH_RENDERER_SCREENS) || Infinity;

/** Pids of Chromium renderer processes started from the browser with this profile folder. */
function rendererPids(userDataDir: string): number[] {
  const procs = new Map<number, { ppid: number; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      procs.set(Number(entry), { ppid, cmd });
    } catch {
      // the process ended while we looked
    }
  }
  const browserPid = [...procs].find(([, p]) => p.cmd.includes(`--user-data-dir=${userDataDir}`) && !p.cmd.includes('--type='))?.[0];
  if (browserPid === undefined) return [];
  const descends = (pid: number): boolean => {
    for (let p = procs.get(pid), hops = 0; p && hops < 10; p = procs.get(p.ppid), hops++) if (p.ppid === browserPid) return true;
    return false;
  };
  return [...procs].filter(([pid, p]) => p.cmd.includes('--type=renderer') && descends(pid)).map(([pid]) => pid);
}

function rssMb(pid: number): number {
  try {
    const kb = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

export const rendererMemorySuite: BenchSuite = {
  names: ['time_to_first_spectrogram_view_browser_ms', 'renderer_memory_scroll_2h_96k_mb'],
  async run(ctx, emit) {
    const chromiumPath = findChromium();
    const skip = e2eSkipReason(chromiumPath);
    if (skip) {
      ctx.log(`renderer benchmarks skipped: ${skip}`);
      return;
    }
    const dir = join(ctx.tmpDir, 'renderer-memory-project');
    mkdirSync(dir, { recursive: true });
    const fileName = 'bench-2h-96k.wav';
    ctx.log('writing a 2-hour 96 kHz WAV for the renderer benchmarks (≈ 1.4 GB)');
    await writeBenchRecording(join(dir, fileName), RATE, HOURS * 3600);
    const project = await openProject(dir);
    try {
      ctx.log('scanning the project (not timed)');
      await scanProject(project);
    } finally {
      project.close();
    }


    const server = await startBrowserServer({ rendererDir, projectDir: dir, version: 'bench' });
    const browser = await launchRawChromium(chromiumPath as string);
    const { page } = browser;
    try {
      const tilesFetched = () => page.evaluate<number>('window.__sonotypeTilesFetched ?? 0');
      const rowExpr = `[...document.querySelectorAll('tbody tr')].find((tr) => tr.textContent.includes(${JSON.stringify(fileName)}))`;
      const canvasExpr = `document.querySelector('canvas[aria-label="Spectrogram"]')`;
      const scrollerExpr = `document.querySelector('input[aria-label="Scroll through the recording"]')`;
      const centreOf = (expr: string) =>
        page.evaluate<{ x: number; y: number; width: number; height: number }>(`(() => {
          const el = ${expr};
          el.scrollIntoView({ block: 'center', inline: 'center' });
          const r = el.getBoundingClientRect();
          return { x: r.x + r.width / 2, y: r.y + r.height / 2, width: r.width, height: r.height };
        })()`);

      // First view: load the page, open the recording from the table, wait for tiles on the canvas.
      await page.send('Page.navigate', { url: server.url });
      if (!(await page.waitFor(`document.readyState !== 'loading' && location.origin === ${JSON.stringify(new URL(server.url).origin)} && ${rowExpr}`, 60_000))) {
        throw new Error('the recordings table did not show the benchmark recording within 60 s');
      }
      // Count tile responses inside the page (resource timing), since the Network domain stays off.
      // Installed before the recording is opened, so it sees every tile request.
      await page.evaluate(`void (window.__sonotypeTilesFetched = 0, new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name.includes('/media/tiles/') && (e.responseStatus || 200) < 400) window.__sonotypeTilesFetched++;
      }).observe({ type: 'resource', buffered: true }))`);
      await page.evaluate(`void document.addEventListener('dblclick', () => performance.mark('sonotype:open'), { capture: true, once: true })`);
      const row = await centreOf(rowExpr);
      await page.doubleClick(row.x, row.y);
      if (!(await page.waitFor(`Number(${canvasExpr}?.getAttribute('data-drawn-pieces')) > 0`, 60_000))) {
        throw new Error('no spectrogram tiles were drawn within 60 s of opening the recording');
      }
      const timing = await page.evaluate<{ drawn: number; opened: number; domContentLoaded: number }>(`(() => {
        const drawn = performance.getEntriesByName(${JSON.stringify(FIRST_DRAW_MARK)})[0]?.startTime ?? NaN;
        const opened = performance.getEntriesByName('sonotype:open')[0]?.startTime ?? NaN;
        const nav = performance.getEntriesByType('navigation')[0];
        return { drawn, opened, domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN };
      })()`);
      emit({
        name: 'time_to_first_spectrogram_view_browser_ms',
        value: Math.round(timing.drawn * 10) / 10,
        unit: 'ms',
        better: 'lower',
        target: 1000,
        detail: {
          driver: 'raw-cdp',
          measuredIn: 'browser performance timeline: navigation start → first tiles drawn (includes opening the recording from the table)',
          openClickToFirstDrawMs: Math.round((timing.drawn - timing.opened) * 10) / 10,
          domContentLoadedMs: Math.round(timing.domContentLoaded),
          tilesFetched: await tilesFetched(),
        },
      });

      // Scroll end to end, zoomed in.
      const box = await centreOf(`document.querySelector('[role="application"][aria-label^="Regions and labels"]')`);
      await page.mouseMove(box.x, box.y);
      for (let i = 0; i < ZOOM_STEPS; i++) await page.pressLetter('z');
      const pids = () => rendererPids(browser.userDataDir);
      let peakRss = 0;
      let peakRssSum = 0;
      let peakHeap = 0;
      let steps = 0;
      let timedOut = 0;
      const sample = async () => {
        const rss = pids().map(rssMb);
        peakRss = Math.max(peakRss, ...rss, 0);
        peakRssSum = Math.max(peakRssSum, rss.reduce((a, b) => a + b, 0));
        peakHeap = Math.max(peakHeap, await page.jsHeapUsedMb());
      };
      const started = performance.now();
      await sample();
      for (;;) {
        const ready = await page.waitFor(`${canvasExpr}?.getAttribute('data-missing-tiles') === '0'`, STEP_TIMEOUT_MS);
        if (!ready) timedOut++;
        await sample();
        const value = await page.evaluate<string>(`${scrollerExpr}.value`);
        // One screen to the right per horizontal wheel step (the view pans by the wheel's pixels); at the end it no longer moves.
        await page.wheel(box.x, box.y, box.width, 0);
        const moved = await page.waitFor(`${scrollerExpr}.value !== ${JSON.stringify(value)}`, 3000);
        if (!moved) break;
        steps++;
        if (steps + 1 >= MAX_SCREENS) break;
        if (steps % 50 === 0) ctx.log(`scrolled ${steps} screens (renderer RSS peak ${peakRss.toFixed(0)} MB)`);
      }
      const seconds = (performance.now() - started) / 1000;
      const visibleSeconds = await page.evaluate<number>(`Number(${scrollerExpr}.step) * 50`);
      emit({
        name: 'renderer_memory_scroll_2h_96k_mb',
        value: Math.round(peakRss * 10) / 10,
        unit: 'MB',
        better: 'lower',
        target: 300,
        detail: {
          driver: 'raw-cdp',
          metric: 'peak VmRSS of the Chromium renderer process hosting the page (/proc), sampled after each screen; no DevTools Network domain (Playwright would add a copy of every response body)',
          peakRendererRssSumMb: Math.round(peakRssSum * 10) / 10,
          peakJsHeapUsedMb: Math.round(peakHeap * 10) / 10,
          screens: steps + 1,
          secondsPerScreen: Math.round(visibleSeconds * 10) / 10,
          screensNotReadyIn10s: timedOut,
          tilesFetched: await tilesFetched(),
          seconds: Math.round(seconds * 10) / 10,
        },
      });
    } finally {
      await browser.close();
      await server.close();
    }
  },
};
