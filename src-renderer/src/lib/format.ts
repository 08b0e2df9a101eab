/**
 * Display formatting shared by the panels. Everything a researcher reads goes
 * through here so durations, rates and ETAs look the same everywhere.
 */

/** Seconds as `m:ss.s` (`h:mm:ss` from one hour on, `N ms` under a second); '–' when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '–';
  // Bat and click snippets are fractions of a second: "0:00.0" would hide them.
  if (seconds < 0.95) return `${Math.round(seconds * 1000)} ms`;
  if (seconds >= 3600) {
    const whole = Math.round(seconds);
    const h = Math.floor(whole / 3600);
    const m = Math.floor((whole % 3600) / 60);
    const s = whole % 60;
    return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  }
  // Round first so 59.96 s reads 1:00.0, not 0:60.0.
  const tenths = Math.round(seconds * 10);
  const m = Math.floor(tenths / 600);
  const rest = (tenths - m * 600) / 10;
  return `${m}:${rest.toFixed(1).padStart(4, '0')}`;
}

/** A remaining time in words a person reads at a glance ("45 s", "3 min 20 s", "2 h 05 min"). */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return 'estimating…';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A fraction 0…1 as a percentage with one decimal; '–' when unknown. */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction == null || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(1)}%`;
}

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
