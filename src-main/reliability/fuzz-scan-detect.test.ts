/**
 * Fuzzing scan and detect: 1,000 seeded mutations of WAV headers and 300 of
 * FLAC/MP3/Ogg Vorbis/Opus/M4A files, in one folder with three good
 * recordings, scanned and detected in a watched child process. No crash, no
 * hang over 30 s on any file, memory under 1 GB, a readable per-file error for
 * every file that cannot be used, and the good files detected. (Before: one
 * damaged file stopped detection for the whole project, some hung for over a
 * minute, some grew past 6 GB.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMonitored } from '../engine/testing/reliability/child-monitor';
import { writeFuzzCorpus } from '../engine/testing/reliability/fuzz-corpus';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, '../engine/testing/reliability/fuzz-child.ts');
const WAV_MUTATIONS = 1000;
const COMPRESSED_MUTATIONS = 300;
const SEED = 2026;

interface FuzzReport {
  step: string;
  file?: string;
  error?: { code: string; message: string };
  scan?: { path: string; status: string; error: { code: string; message: string } | null }[];
  detect?: { recordings: { path: string; regions: number }[]; failures: { path: string; error: { code: string; message: string } }[] };
}

/** A message a researcher can act on: says what is wrong, not a JavaScript exception's name or a stack. */
function readable(message: string): boolean {
  return message.length >= 15 && !/\b(TypeError|RangeError|ReferenceError|SyntaxError)\b|\n\s+at /.test(message) && !/^undefined|null$/.test(message);
}

describe('fuzzed recordings through scan and detect', () => {
  const base = mkdtempSync(join(tmpdir(), 'sonotype-fuzz-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it(`survives ${WAV_MUTATIONS} mutated WAV headers and ${COMPRESSED_MUTATIONS} mutated compressed files`, async () => {
    const corpus = await writeFuzzCorpus(join(base, 'audio'), { wavCount: WAV_MUTATIONS, compressedCount: COMPRESSED_MUTATIONS, seed: SEED });
    if (corpus.skippedFormats.length) console.warn(`fuzz: compressed formats left out here: ${corpus.skippedFormats.join('; ')}`);
    const run = await runMonitored<FuzzReport>(CHILD, [join(base, 'project'), join(base, 'audio')], { stallMs: 30_000, maxRssBytes: 1024 ** 3 });
    const mutation = new Map(corpus.mutated.map((m) => [m.name, m.mutation]));
    const where = run.longestGapAfter?.file ? `${run.longestGapAfter.file} (${mutation.get(run.longestGapAfter.file)})` : 'between files';

    expect(run.outcome, `${run.outcome}; longest wait ${Math.round(run.longestGapMs)} ms at ${where}; stderr: ${run.stderr.slice(-2000)}`).toBe('exited');
    expect(run.exitCode).toBe(0);
    expect(run.peakRssBytes).toBeLessThan(1024 ** 3);
    expect(run.longestGapMs, `longest wait at ${where}`).toBeLessThan(30_000);
    const done = run.reports.at(-1)!;
    expect(done.step, JSON.stringify(done).slice(0, 500)).toBe('done');

    // Every file got a status; every unusable one a readable error.
    const scanned = new Map(done.scan!.map((s) => [s.path, s]));
    expect(scanned.size).toBe(corpus.mutated.length + corpus.good.length);
    for (const s of done.scan!) {
      if (s.status === 'error') expect(readable(s.error!.message), `${s.path} (${mutation.get(s.path)}): ${s.error!.message}`).toBe(true);
    }
    const failures = new Map(done.detect!.failures.map((f) => [f.path, f]));
    for (const f of failures.values()) expect(readable(f.error.message), `${f.path} (${mutation.get(f.path)}): ${f.error.message}`).toBe(true);

    // Every file that scanned ok was either detected or given its own error row; the good ones detected.
    const detected = new Map(done.detect!.recordings.map((r) => [r.path, r]));
    for (const s of done.scan!) {
      if (s.status === 'ok') expect(detected.has(s.path) || failures.has(s.path), `${s.path} neither detected nor failed`).toBe(true);
    }
    for (const good of corpus.good) expect(detected.get(good)?.regions, good).toBeGreaterThan(1);
    // The mutations do reach detection: many damaged files scan ok and are analysed for what they hold.
    expect(detected.size).toBeGreaterThan(100);
  }, 600_000);
});
