/**
 * How Sonotype writes durations, remaining times and percentages, the same in
 * the CLI and the UI (one rule each, so a number reads the same everywhere).
 * Unknown values print as '–'.
 */

const UNKNOWN = '–';

/**
 * Seconds as `m:ss.d` (`h:mm:ss` from one hour on, `N ms` under a second).
 * `decimals` is the precision of the seconds (the UI shows 1, the CLI's
 * tables 3, which they keep from one hour on).
 */
export function formatDuration(seconds: number | null | undefined, decimals = 1): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return UNKNOWN;
  // Bat and click snippets are fractions of a second: "0:00.0" would hide them.
  if (seconds < 0.95) return `${Math.round(seconds * 1000)} ms`;
  const digits = seconds >= 3600 && decimals <= 1 ? 0 : decimals;
  const scale = 10 ** digits;
  // Round first so 59.96 s reads 1:00.0, not 0:60.0.
  const units = Math.round(seconds * scale);
  const whole = Math.floor(units / scale);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const ss = String(whole % 60).padStart(2, '0') + (digits > 0 ? `.${String(units - whole * scale).padStart(digits, '0')}` : '');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A remaining time in words a person reads at a glance ("45 s", "3 min 20 s", "2 h 05 min"). */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return 'estimating…';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A fraction 0…1 as a percentage with one decimal. */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction == null || !Number.isFinite(fraction)) return UNKNOWN;
  return `${(fraction * 100).toFixed(1)}%`;
}
