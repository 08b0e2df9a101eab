/**
 * Runs a TypeScript script in a child Node process and watches it the way a
 * researcher's patience would: its JSON-line reports on stdout, its resident
 * memory (from /proc, sampled every 100 ms), and how long it goes without a
 * report. A child that stays silent too long or grows too big is killed, and
 * the outcome says which (with the last thing it reported), so a hang or a
 * memory blow-up on one input is a test failure with a name, not a stuck CI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface MonitorLimits {
  /** Kill when no report arrives for this long (a hang). */
  stallMs?: number;
  /** Kill when the resident set grows past this (a memory blow-up). */
  maxRssBytes?: number;
  /** Kill after this long in all. */
  totalMs?: number;
}

export interface MonitoredRun<R> {
  outcome: 'exited' | 'stalled' | 'over-memory' | 'over-time' | 'killed';
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  reports: R[];
  /** Peak resident set seen, in bytes (0 where /proc is not available). */
  peakRssBytes: number;
  /** Longest time between two reports, and the report that ended it (or the last one, when it stalled). */
  longestGapMs: number;
  longestGapAfter: R | null;
  stderr: string;
  child: ChildProcess;
}

/** Resident set size of a process in bytes, or 0 when it cannot be read (not Linux, already gone). */
export function residentBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Spawns `node --import tsx <script> ...args`, collecting JSON lines from its
 * stdout (other lines are ignored). `onReport` may kill the child (e.g. a
 * kill -9 trial) by calling `kill()`.
 */
export function runMonitored<R>(
  script: string,
  args: string[],
  limits: MonitorLimits = {},
  onReport?: (report: R, kill: (signal?: NodeJS.Signals) => void) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MonitoredRun<R>> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  const reports: R[] = [];
  let outcome: MonitoredRun<R>['outcome'] = 'exited';
  let stderr = '';
  let buffered = '';
  let peakRssBytes = 0;
  let lastReportAt = performance.now();
  const started = lastReportAt;
  let longestGapMs = 0;
  let longestGapAfter: R | null = null;
  const kill = (why: MonitoredRun<R>['outcome'], signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (outcome === 'exited') outcome = why;
    child.kill(signal);
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      let report: R;
      try {
        report = JSON.parse(line) as R;
      } catch {
        continue;
      }
      const now = performance.now();
      if (now - lastReportAt > longestGapMs) {
        longestGapMs = now - lastReportAt;
        longestGapAfter = report;
      }
      lastReportAt = now;
      reports.push(report);
      onReport?.(report, (signal) => kill('killed', signal));
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  const timer = setInterval(() => {
    if (child.pid === undefined) return;
    const rss = residentBytes(child.pid);
    peakRssBytes = Math.max(peakRssBytes, rss);
    const now = performance.now();
    if (limits.maxRssBytes && rss > limits.maxRssBytes) kill('over-memory');
    else if (limits.stallMs && now - lastReportAt > limits.stallMs) kill('stalled');
    else if (limits.totalMs && now - started > limits.totalMs) kill('over-time');
  }, 100);
  return new Promise((resolvePromise, reject) => {
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearInterval(timer);
      const now = performance.now();
      if (outcome === 'stalled' && now - lastReportAt > longestGapMs) {
        longestGapMs = now - lastReportAt;
        longestGapAfter = reports[reports.length - 1] ?? null;
      }
      resolvePromise({ outcome, exitCode, signal, reports, peakRssBytes, longestGapMs, longestGapAfter, stderr, child });
    });
  });
}
