/**
 * Display formatting shared by the panels. Everything a researcher reads goes
 * through here so durations, rates and ETAs look the same everywhere.
 */

/** Durations, ETAs and percentages follow the CLI's rules (src-shared/format.ts). */
import { formatEta } from '../../../src-shared/format';

export { formatDuration, formatEta, formatPercent } from '../../../src-shared/format';

/** A sample rate in Hz as "48 kHz" / "22.05 kHz" / "500 Hz"; '–' when unknown. */
export function formatRate(hz: number | null | undefined): string {
  if (hz == null || !Number.isFinite(hz)) return '–';
  if (hz < 1000) return `${hz} Hz`;
  return `${Number((hz / 1000).toFixed(3))} kHz`;
}

/** The last path segment, for compact display of a recording or project folder. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : path;
}

/** Any thrown value as a sentence for the UI (ApiError and Error carry readable messages from main). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}

/** A processing rate a person can check against the clock: "3.2 windows/s", or "40 s per batch" when slower than one a second. */
export function formatRatePerItem(itemsPerSecond: number | null | undefined, itemsLabel = 'items'): string {
  if (itemsPerSecond == null || !Number.isFinite(itemsPerSecond) || itemsPerSecond <= 0) return '';
  const singular = itemsLabel.endsWith('es') && itemsLabel.endsWith('ches') ? itemsLabel.slice(0, -2) : itemsLabel.replace(/s$/, '');
  if (itemsPerSecond < 1) return `${formatEta(1 / itemsPerSecond)} per ${singular}`;
  return `${itemsPerSecond.toFixed(1)} ${itemsLabel}/s`;
}

/** A clock time of the day for job start times ("14:03:27"), with the date when it is not today. */
export function formatClock(epochMs: number | null | undefined, now = Date.now()): string {
  if (epochMs == null || !Number.isFinite(epochMs)) return '–';
  const d = new Date(epochMs);
  const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? time : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${time}`;
}
