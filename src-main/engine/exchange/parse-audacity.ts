/**
 * Audacity label tracks: `start<TAB>end<TAB>label` lines in seconds, no
 * header, no quoting. A line starting with a backslash holds the frequency
 * range of the label above it (`\<TAB>low<TAB>high`); Audacity writes -1 for
 * an undefined bound. Some locales write decimal commas ("0,101385").
 */
import { parseDecimal, type NumberedRow } from './table-text';
import type { RowIssue, TableRow } from './table-types';

export function parseAudacityTrack(lines: readonly NumberedRow[], name: string): { rows: TableRow[]; issues: RowIssue[] } {
  const rows: TableRow[] = [];
  const issues: RowIssue[] = [];
  // The label a frequency line belongs to: the row just read, or null after a bad label line (its frequency line is skipped quietly).
  let previous: TableRow | null | undefined;
  for (const { line, fields } of lines) {
    const text = fields[0];
    if (text.trim() === '') continue;
    if (text.startsWith('\\')) {
      if (previous === null) continue;
      const reason = previous === undefined ? 'a frequency line (starting with \\) must follow a label line.' : applyFrequencies(previous, text);
      if (reason) issues.push({ file: name, line, reason });
      previous = null;
      continue;
    }
    const parts = text.split('\t');
    if (parts.length < 2) {
      issues.push({ file: name, line, reason: 'expected "start<TAB>end<TAB>label" (an Audacity label line).' });
      previous = null;
      continue;
    }
    const start = parseDecimal(parts[0], true);
    const end = parseDecimal(parts[1], true);
    if (start === undefined || end === undefined) {
      const which = start === undefined ? ['start', parts[0]] : ['end', parts[1]];
      issues.push({ file: name, line, reason: `the ${which[0]} "${which[1].trim().slice(0, 40)}" is not a number of seconds.` });
      previous = null;
      continue;
    }
    const label = parts.slice(2).join('\t');
    const row: TableRow = { line, recordingRefs: [], startSeconds: start, endSeconds: end, extras: [] };
    if (label.trim() !== '') row.soundType = label.trim();
    rows.push(row);
    previous = row;
  }
  return { rows, issues };
}

/** Reads `\<TAB>low<TAB>high` into the row; returns the reason when it cannot. */
function applyFrequencies(row: TableRow, text: string): string | null {
  const parts = text.slice(1).split('\t').filter((p, i) => i > 0 || p.trim() !== '');
  if (parts.length < 2) return 'expected "\\<TAB>low<TAB>high" (an Audacity frequency line).';
  const low = parseDecimal(parts[0], true);
  const high = parseDecimal(parts[1], true);
  if (low === undefined || high === undefined) return `the frequency range "${parts.slice(0, 2).join(' – ').slice(0, 60)}" is not a pair of numbers in Hz.`;
  // -1 (any negative) is Audacity's "undefined": the missing bound becomes 0 or the Nyquist frequency.
  if (low >= 0) row.lowHz = low;
  if (high >= 0) row.highHz = high;
  return null;
}
