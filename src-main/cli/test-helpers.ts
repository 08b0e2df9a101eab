/** Shared helpers for the CLI tests (in-process, and the process-level distributed ones). */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { CliIo } from './output';

/** A CliIo that records everything written, one newline-terminated line per call. */
export function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    isTty: false,
    out(t: string) { io.stdout += t.endsWith('\n') ? t : `${t}\n`; },
    err(t: string) { io.stderr += t.endsWith('\n') ? t : `${t}\n`; },
  };
  return io;
}

// --- Process-level tests of `sonotype worker` and `detect --distributed`: CLI processes with
// their output collected line by line, project copies, a project's analysis read back. ---

const BIN = fileURLToPath(new URL('./bin.mjs', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  pid: number;
  lines: string[];
  /** Resolves with the first line matching `re` (rejects after `ms` or when the process exits first). */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  /** Exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stdout(): string;
}

/** Starts `sonotype <args>` as its own process. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let out = '';
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  const feed = (stream: 'out' | 'err') => {
    let rest = '';
    return (chunk: Buffer): void => {
      const text = chunk.toString();
      if (stream === 'out') out += text;
      rest += text;
      const parts = rest.split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        for (const w of waiters.splice(0)) {
          if (w.re.test(line)) w.resolve(line);
          else waiters.push(w);
        }
      }
    };
  };
  child.stdout!.on('data', feed('out'));
  child.stderr!.on('data', feed('err'));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    pid: child.pid!,
    lines,
    exited,
    stdout: () => out,
    waitFor(re, ms = 90_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re} in:\n${lines.join('\n')}`)), ms);
        void exited.then((code) => setTimeout(() => reject(new Error(`process exited (${code}) before ${re}:\n${lines.join('\n')}`)), 200));
        waiters.push({ re, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
  };
}

/** Copies a (closed) project folder. */
export function copyProject(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

/** Opens a project's database read-only (safe beside a running coordinator: WAL). */
export function readProjectDb(projectDir: string): Database.Database {
  return new Database(join(projectDir, 'sonotype.db'), { readonly: true, fileMustExist: true });
}

/** Embeddings keyed by "path#window index". */
export function embeddingsOf(projectDir: string): Map<string, Float32Array> {
  const db = readProjectDb(projectDir);
  try {
    const rows = db
      .prepare(`SELECT r.rel_path AS path, w.window_index AS i, e.vector AS v FROM embeddings e
                JOIN windows w ON w.id = e.window_id JOIN recordings r ON r.id = w.recording_id`)
      .all() as { path: string; i: number; v: Buffer }[];
    return new Map(rows.map((r) => [`${r.path}#${r.i}`, new Float32Array(new Uint8Array(r.v).buffer)]));
  } finally {
    db.close();
  }
}

/** Heuristic labels (path, start, end, value), in order. */
export function heuristicLabelsOf(projectDir: string): string[] {
  const db = readProjectDb(projectDir);
  try {
    const rows = db
      .prepare(`SELECT r.rel_path AS path, l.start_sample AS s, l.end_sample AS e, l.value AS v FROM labels l
                JOIN recordings r ON r.id = l.recording_id WHERE l.source = 'heuristic' ORDER BY r.rel_path, l.start_sample`)
      .all() as { path: string; s: number; e: number; v: string }[];
    return rows.map((r) => `${r.path} ${r.s}-${r.e} ${r.v}`);
  } finally {
    db.close();
  }
}

/** Frame features (the stored bytes) keyed by "path|analysis key". */
export function frameFeaturesOf(projectDir: string): Map<string, Buffer> {
  const db = readProjectDb(projectDir);
  try {
    const rows = db
      .prepare(`SELECT r.rel_path AS path, f.analysis_key AS k, f.data AS d FROM frame_features f JOIN recordings r ON r.id = f.recording_id`)
      .all() as { path: string; k: string; d: Buffer }[];
    return new Map(rows.map((r) => [`${r.path}|${r.k}`, r.d]));
  } finally {
    db.close();
  }
}

export function countRows(projectDir: string, table: 'embeddings' | 'windows' | 'silence_predictions' | 'frame_features'): number {
  const db = readProjectDb(projectDir);
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Largest absolute difference between two embedding sets with the same keys (Infinity when the keys differ). */
export function maxEmbeddingDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  if (a.size !== b.size) return Infinity;
  let max = 0;
  for (const [key, va] of a) {
    const vb = b.get(key);
    if (!vb || vb.length !== va.length) return Infinity;
    for (let i = 0; i < va.length; i++) max = Math.max(max, Math.abs(va[i] - vb[i]));
  }
  return max;
}

/** Resolves once `check()` is true (polling), or rejects after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
