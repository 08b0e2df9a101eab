/**
 * Fuzzing the importers: for each format, 5,000 seeded tables with broken
 * rows (and 1,000 more with damage anywhere: garbage bytes, cut files,
 * stray quotes, swapped delimiters). Never a crash; every broken row is
 * reported with the file, its line and a reason; every intact row is kept.
 * Runs the whole import short of the database write (planImport), so it is fast.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random';
import { planImport } from './import-tables';
import type { RecordingFacts } from './row-to-label';

const RATE = 32_000;
const FRAMES = 10 * RATE;
const RECORDINGS: RecordingFacts[] = [
  { id: 1, path: 'a.wav', sampleRate: RATE, frames: FRAMES },
  { id: 2, path: 'sub/b.wav', sampleRate: RATE, frames: FRAMES },
];
const TABLES = 5_000;
const CHAOS_TABLES = 1_000;

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

interface Fields {
  start: string; end: string; low: string; high: string; type: string; confidence: string; file: string;
}

/** A good row: distinct 0.1-s slots, a box inside 0 … 16 kHz (not the full band), a type. */
function goodRow(rng: Rng, slot: number): Fields {
  const start = slot * 0.1 + rng() * 0.04;
  const low = Math.round(rng() * 8000);
  return {
    start: start.toFixed(6), end: (start + 0.02 + rng() * 0.03).toFixed(6), low: String(low), high: String(low + 100 + Math.round(rng() * 7000)),
    type: pick(rng, ['whistle', 'click', 'SP', 'burst pulse', 'i']), confidence: rng().toFixed(3), file: pick(rng, ['a.wav', 'sub/b.wav']),
  };
}

/** Ways to break a row so that it cannot be imported. */
const BREAKS: ((f: Fields, rng: Rng) => Partial<Fields>)[] = [
  (_, rng) => ({ start: pick(rng, ['abc', '', 'NaN', '1e999', '--1', '1.2.3', '0x10', ' ', '½']) }),
  (f) => ({ end: String(Number(f.start) - 0.01) }),
  () => ({ start: '-0.5' }),
  () => ({ start: '10.5', end: '10.6' }),
  (f) => ({ end: String(Number(f.start) + 12) }),
  (f) => ({ end: f.start }),
  (f) => ({ low: String(Number(f.high) + 1) }),
  () => ({ high: '99999' }),
  () => ({ low: 'low' }),
  (_, rng) => ({ confidence: pick(rng, ['1.5', '-0.1', 'high', 'NaN']) }),
  () => ({ type: 'x'.repeat(150) }),
  () => ({ file: 'missing.wav' }),
];

/** Breaks that a format can show (Audacity has no confidence or file column). */
function breaksFor(format: 'raven' | 'csv' | 'audacity'): typeof BREAKS {
  return format === 'audacity' ? BREAKS.filter((_, i) => i !== 9 && i !== 11 && i !== 8) : BREAKS;
}

function renderTable(format: 'raven' | 'csv' | 'audacity', rows: Fields[], delimiter = ','): string {
  if (format === 'audacity') return rows.map((r) => `${r.start}\t${r.end}\t${r.type}\n\\\t${r.low}\t${r.high}`).join('\n') + '\n';
  if (format === 'raven') {
    const header = 'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\tSound Type\tConfidence\tNotes';
    return [header, ...rows.map((r, i) => [i + 1, 'Spectrogram 1', 1, r.start, r.end, r.low, r.high, r.file, r.type, r.confidence, 'n'].join('\t'))].join('\n') + '\n';
  }
  const header = ['file', 'start_s', 'end_s', 'low_hz', 'high_hz', 'label', 'confidence', 'notes'].join(delimiter);
  return [header, ...rows.map((r) => [r.file, r.start, r.end, r.low, r.high, r.type, r.confidence, 'n'].join(delimiter))].join('\r\n') + '\r\n';
}

/** The line each row starts on (Audacity rows take two lines). */
const lineOf = (format: string, i: number) => (format === 'audacity' ? 2 * i + 1 : i + 2);

function runFuzz(format: 'raven' | 'csv' | 'audacity', seed: number): { tables: number; rows: number; bad: number } {
  const rng = createRng(seed);
  let totalRows = 0;
  let totalBad = 0;
  for (let t = 0; t < TABLES; t++) {
    const n = 1 + Math.floor(rng() * 12);
    const rows = Array.from({ length: n }, (_, i) => goodRow(rng, i));
    const broken = new Set<number>();
    for (let i = 0; i < n; i++) {
      if (rng() < 0.35) {
        Object.assign(rows[i], pick(rng, breaksFor(format))(rows[i], rng));
        broken.add(i);
      }
    }
    const name = format === 'audacity' ? 'a.txt' : `t${t}.${format === 'raven' ? 'selections.txt' : 'csv'}`;
    const { labels, report } = planImport(RECORDINGS, '/audio', [{ name, bytes: Buffer.from(renderTable(format, rows)) }], {}, () => []);
    const expectedBad = [...broken].map((i) => lineOf(format, i)).sort((a, b) => a - b);
    const reported = report.issues.map((i) => i.line ?? -1).sort((a, b) => a - b);
    if (labels.length !== n - broken.size || JSON.stringify(reported) !== JSON.stringify(expectedBad)) {
      throw new Error(`${format} table ${t} (seed ${seed}): expected bad lines ${expectedBad}, got ${JSON.stringify(report.issues)}\n${renderTable(format, rows)}`);
    }
    for (const issue of report.issues) {
      if (issue.file !== name || !(issue.reason.length > 10)) throw new Error(`unclear issue ${JSON.stringify(issue)}`);
    }
    totalRows += n;
    totalBad += broken.size;
  }
  return { tables: TABLES, rows: totalRows, bad: totalBad };
}

/** Damage anywhere: the importer must still answer (never throw) with issues that name the file and a line or the table. */
function runChaos(format: 'raven' | 'csv' | 'audacity', seed: number): number {
  const rng = createRng(seed);
  let answered = 0;
  for (let t = 0; t < CHAOS_TABLES; t++) {
    const rows = Array.from({ length: 1 + Math.floor(rng() * 8) }, (_, i) => goodRow(rng, i));
    let bytes = Buffer.from(renderTable(format, rows, pick(rng, [',', ';', '\t'])));
    const damage = Math.floor(rng() * 6);
    for (let k = 0; k <= damage; k++) {
      const at = Math.floor(rng() * bytes.length);
      const kind = Math.floor(rng() * 6);
      if (kind === 0) bytes = bytes.subarray(0, at); // cut off
      else if (kind === 1) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([Math.floor(rng() * 256)]), bytes.subarray(at)]);
      else if (kind === 2) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from('"'), bytes.subarray(at)]);
      else if (kind === 3) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + Math.floor(rng() * 20)))]);
      else if (kind === 4) bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('latin1'), 'utf16le')]);
      else bytes = Buffer.from(bytes.toString('latin1').replace(/\t/g, ','), 'latin1');
    }
    const { labels, report } = planImport(RECORDINGS, '/audio', [{ name: 'c.txt', bytes }], { format: pick(rng, ['auto', format]) }, () => []);
    expect(labels.length).toBe(report.imported);
    for (const issue of report.issues) {
      if (issue.file !== 'c.txt' || (issue.line !== null && !(Number.isInteger(issue.line) && issue.line >= 1)) || issue.reason.length < 5) {
        throw new Error(`unclear issue ${JSON.stringify(issue)}`);
      }
    }
    answered++;
  }
  return answered;
}

describe('importer fuzzing (seeded)', () => {
  for (const [format, seed] of [['raven', 11], ['audacity', 12], ['csv', 13]] as const) {
    it(`${format}: ${TABLES} tables with broken rows — each one reported by line, every intact row kept; ${CHAOS_TABLES} damaged tables never crash`, () => {
      const { tables, rows, bad } = runFuzz(format, seed);
      expect(tables).toBe(TABLES);
      expect(bad).toBeGreaterThan(rows * 0.25);
      expect(runChaos(format, seed + 100)).toBe(CHAOS_TABLES);
    });
  }
});
