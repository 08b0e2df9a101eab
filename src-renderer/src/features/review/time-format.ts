/**
 * Times and frequencies as researchers read them: `1:02:03.25` for positions
 * in long recordings, with as many decimals as the zoom makes meaningful,
 * and kHz on the frequency axis.
 */

/** Decimals needed to tell apart times `stepSeconds` apart (0 … 4). */
export function decimalsForStep(stepSeconds: number): number {
  if (!(stepSeconds > 0) || stepSeconds >= 1) return 0;
  return Math.min(4, Math.ceil(-Math.log10(stepSeconds) - 1e-9));
}

/**
 * `h:mm:ss.d…` when `withHours` (or the time is past an hour), else `m:ss.d…`;
 * never rounds 59.9996 s up to "0:60".
 */
export function formatTime(seconds: number, decimals = 0, withHours = false): string {
  const scale = 10 ** decimals;
  const total = Math.round(Math.max(0, seconds) * scale) / scale;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total - h * 3600) / 60);
  const s = total - h * 3600 - m * 60;
  const secondsText = s.toFixed(decimals).padStart(decimals > 0 ? decimals + 3 : 2, '0');
  if (h > 0 || withHours) return `${h}:${String(m).padStart(2, '0')}:${secondsText}`;
  return `${m}:${secondsText}`;
}

/** '12.5 kHz', '800 Hz' below 1 kHz. */
export function formatFrequency(hz: number): string {
  if (Math.abs(hz) < 1000) return `${Math.round(hz)} Hz`;
  const khz = hz / 1000;
  return `${Number.isInteger(khz) ? khz : khz.toFixed(khz < 10 ? 2 : 1).replace(/0+$/, '').replace(/\.$/, '')} kHz`;
}

/** A time span as shown in messages: '0:06.00–0:08.00'. */
export function formatSpan(startSeconds: number, endSeconds: number): string {
  const withHours = endSeconds >= 3600;
  return `${formatTime(startSeconds, 2, withHours)}–${formatTime(endSeconds, 2, withHours)}`;
}
