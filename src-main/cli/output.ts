/**
 * Where CLI commands write. Injected so tests can capture output without
 * spawning processes.
 */
import { formatDuration as formatSharedDuration } from '../../src-shared/format';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (progress bars only then). */
  isTty: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: Boolean(process.stdout.isTTY),
};

/** Renders rows as an aligned plain-text table (no colours: output is often piped). */
export function formatTable(headers: string[], rows: string[][], alignRight: boolean[] = []): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (alignRight[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** 3725.5 → "1:02:05.500": durations to the millisecond in the CLI's tables (same rule as the UI, src-shared/format.ts). */
export function formatDuration(seconds: number | null | undefined): string {
  return formatSharedDuration(seconds, 3);
}
