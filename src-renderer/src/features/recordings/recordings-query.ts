/**
 * Sorting and filtering of the recordings table, as pure functions so they are
 * tested without a DOM and stay cheap for thousands of rows.
 */
import type { RecordingRow } from '../../../../src-shared/review-types';

export type RecordingSortKey = 'path' | 'duration' | 'rate' | 'channels' | 'status' | 'silence' | 'progress';
export type SortDirection = 'asc' | 'desc';
/** Which rows to show: everything, readable ones, broken ones, or those with regions left to review. */
export type RecordingStatusFilter = 'all' | 'ok' | 'error' | 'unreviewed';

export interface RecordingQuery {
  text: string;
  status: RecordingStatusFilter;
  sortKey: RecordingSortKey;
  direction: SortDirection;
}

/** Whether a recording can be opened for review (readable and still on disk). */
export function isReviewable(row: RecordingRow): boolean {
  return row.status === 'ok' && !row.missing;
}

/** Fraction of regions confirmed by a person, or null when there are no regions yet. */
export function reviewFraction(row: RecordingRow): number | null {
  return row.regionCount > 0 ? row.reviewedCount / row.regionCount : null;
}

/** A short status word; broken files show their readable error message. */
export function statusText(row: RecordingRow): string {
  if (row.missing) return 'missing';
  if (row.status === 'error') return row.error?.message ?? 'unreadable';
  return 'ok';
}

function sortValue(row: RecordingRow, key: RecordingSortKey): string | number | null {
  switch (key) {
    case 'path': return row.path.toLowerCase();
    case 'duration': return row.durationSeconds;
    case 'rate': return row.sampleRate;
    case 'channels': return row.channels;
    case 'status': return statusText(row).toLowerCase();
    case 'silence': return row.silenceFraction;
    case 'progress': return reviewFraction(row);
  }
}

function matches(row: RecordingRow, query: RecordingQuery): boolean {
  if (query.status === 'ok' && !isReviewable(row)) return false;
  if (query.status === 'error' && isReviewable(row)) return false;
  if (query.status === 'unreviewed' && !(isReviewable(row) && row.reviewedCount < row.regionCount)) return false;
  const text = query.text.trim().toLowerCase();
  if (!text) return true;
  return row.path.toLowerCase().includes(text) || statusText(row).toLowerCase().includes(text);
}

/**
 * Rows that match the query, sorted. Unknown values (null) always sort last
 * whatever the direction, so "longest first" never starts with broken files;
 * ties keep path order so the table does not jump around.
 */
export function queryRecordings(rows: readonly RecordingRow[], query: RecordingQuery): RecordingRow[] {
  const sign = query.direction === 'asc' ? 1 : -1;
  return rows
    .filter((row) => matches(row, query))
    .sort((a, b) => {
      const va = sortValue(a, query.sortKey);
      const vb = sortValue(b, query.sortKey);
      if (va === null && vb !== null) return 1;
      if (vb === null && va !== null) return -1;
      if (va !== null && vb !== null && va !== vb) return (va < vb ? -1 : 1) * sign;
      return a.path.localeCompare(b.path);
    });
}
