/**
 * How the review view's spectrogram is computed: FFT size, window and overlap,
 * chosen by the researcher for display only. It is independent of the model's
 * feature configuration (which stays Hann 512/256 at the rate group's rate):
 * display tiles are always computed at the recording's native rate, so the
 * frequency axis runs to its own Nyquist and nothing is resampled (no imaging).
 *
 * Shared by main (tiles) and the renderer (settings panel, media URLs); plain
 * data, pure functions and a valibot schema only.
 */
import * as v from 'valibot';

export type DisplayWindow = 'hann' | 'hamming' | 'blackman' | 'rectangular';
export const DISPLAY_WINDOWS: readonly DisplayWindow[] = ['hann', 'hamming', 'blackman', 'rectangular'];
/** FFT sizes offered: 128 (fine time) … 4096 (fine frequency; a tile is then 1 MiB). */
export const DISPLAY_FFT_SIZES: readonly number[] = [128, 256, 512, 1024, 2048, 4096];
/** Overlap between successive frames, in percent (hop = fft · (1 − overlap)). */
export const DISPLAY_OVERLAPS: readonly number[] = [0, 50, 75, 87.5];

export interface DisplaySpectrogramSettings {
  fftSize: number;
  window: DisplayWindow;
  /** Percent, one of DISPLAY_OVERLAPS. */
  overlapPercent: number;
}

/** The settings as the contract checks them (job params, calls). */
export const displaySpectrogramSchema = v.strictObject({
  fftSize: v.picklist(DISPLAY_FFT_SIZES as readonly number[] as [number, ...number[]]),
  window: v.picklist(DISPLAY_WINDOWS as readonly DisplayWindow[] as [DisplayWindow, ...DisplayWindow[]]),
  overlapPercent: v.picklist(DISPLAY_OVERLAPS as readonly number[] as [number, ...number[]]),
});

/** Raven's defaults: Hann 512, 50 % overlap. */
export const DEFAULT_DISPLAY_SPECTROGRAM: DisplaySpectrogramSettings = { fftSize: 512, window: 'hann', overlapPercent: 50 };

/** Hop in samples for the settings: fft · (1 − overlap), at least 1. */
export function displayHop(settings: DisplaySpectrogramSettings): number {
  return Math.max(1, Math.round(settings.fftSize * (1 - settings.overlapPercent / 100)));
}

/** A readable reason the value is not valid display settings, or null when it is. */
export function displaySettingsProblem(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'Spectrogram settings must be an object { fftSize, window, overlapPercent }.';
  const v = value as Record<string, unknown>;
  if (!DISPLAY_FFT_SIZES.includes(v.fftSize as number)) return `FFT size must be one of ${DISPLAY_FFT_SIZES.join(', ')} (got ${JSON.stringify(v.fftSize)}).`;
  if (!DISPLAY_WINDOWS.includes(v.window as DisplayWindow)) return `Window must be one of ${DISPLAY_WINDOWS.join(', ')} (got ${JSON.stringify(v.window)}).`;
  if (!DISPLAY_OVERLAPS.includes(v.overlapPercent as number)) {
    return `Overlap must be one of ${DISPLAY_OVERLAPS.join(', ')} % (got ${JSON.stringify(v.overlapPercent)}).`;
  }
  return null;
}

/** The URL query form, `fft=512&window=hann&overlap=50`, used by the tile routes. */
export function displaySettingsQuery(settings: DisplaySpectrogramSettings): string {
  return `fft=${settings.fftSize}&window=${settings.window}&overlap=${settings.overlapPercent}`;
}

/**
 * Reads settings from a tile route's query. Absent parameters take the defaults;
 * returns a problem string for present but invalid ones.
 */
export function parseDisplaySettingsQuery(query: URLSearchParams): DisplaySpectrogramSettings | string {
  const fft = query.get('fft');
  const window = query.get('window');
  const overlap = query.get('overlap');
  const settings = {
    fftSize: fft === null ? DEFAULT_DISPLAY_SPECTROGRAM.fftSize : Number(fft),
    window: window ?? DEFAULT_DISPLAY_SPECTROGRAM.window,
    overlapPercent: overlap === null ? DEFAULT_DISPLAY_SPECTROGRAM.overlapPercent : Number(overlap),
  };
  return displaySettingsProblem(settings) ?? (settings as DisplaySpectrogramSettings);
}

/** A stable short key: equal settings give equal keys. */
export function displaySettingsKey(settings: DisplaySpectrogramSettings): string {
  return `${settings.window}-${settings.fftSize}-${settings.overlapPercent}`;
}

/** Listening gain limits in dB (the audio route's `gain`): OSmOSE hydrophone files sit at −80 dBFS. */
export const MIN_PLAYBACK_GAIN_DB = -40;
export const MAX_PLAYBACK_GAIN_DB = 80;

/** What the researcher chose for viewing and listening, stored per project. */
export interface DisplayPreferences {
  spectrogram: DisplaySpectrogramSettings;
  /** Gain applied to what is played, in dB (the recording itself is never changed). */
  playbackGainDb: number;
  /** Remove the DC offset from what is played (it is always removed from the waveform). */
  removeDc: boolean;
}

export const DEFAULT_DISPLAY_PREFERENCES: DisplayPreferences = {
  spectrogram: DEFAULT_DISPLAY_SPECTROGRAM,
  playbackGainDb: 0,
  removeDc: true,
};

const playbackGain = v.pipe(v.number(), v.finite(), v.minValue(MIN_PLAYBACK_GAIN_DB), v.maxValue(MAX_PLAYBACK_GAIN_DB));

/** A change to the preferences ('display:set'): any subset of the fields. */
export const displayPreferencesPatchSchema = v.strictObject({
  spectrogram: v.optional(displaySpectrogramSchema),
  playbackGainDb: v.optional(playbackGain),
  removeDc: v.optional(v.boolean()),
});

/** The stored preferences, checked (a damaged value reads as null). */
export function parseDisplayPreferences(value: unknown): DisplayPreferences | null {
  const parsed = v.safeParse(v.strictObject({ spectrogram: displaySpectrogramSchema, playbackGainDb: playbackGain, removeDc: v.boolean() }), value);
  return parsed.success ? parsed.output : null;
}

/** The audio route's listening parameters for the preferences: `dc=remove&gain=12` ('' when there is nothing to do). */
export function listeningQuery(prefs: Pick<DisplayPreferences, 'playbackGainDb' | 'removeDc'>): string {
  const parts: string[] = [];
  if (prefs.removeDc) parts.push('dc=remove');
  if (prefs.playbackGainDb !== 0) parts.push(`gain=${Math.round(prefs.playbackGainDb * 10) / 10}`);
  return parts.join('&');
}
