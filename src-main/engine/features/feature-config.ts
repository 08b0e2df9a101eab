/**
 * The versioned feature configuration: defaults, validation, a canonical key
 * and the kept frequency bins. Everything computed from audio (spectrogram
 * tiles, windows, embeddings, models) stores this object, so training,
 * inference and display always agree on one frequency axis.
 *
 * Deliberate fixes of the original pipeline (ORIGINAL_PIPELINE.md §1):
 * - no hard-coded sample rate: the analysis rate is a field, chosen from the
 *   folder's native rates (`chooseAnalysisRate`) and audio is resampled to it;
 * - the band is given in Hz, not as array slices, and the kept bins are derived
 *   by one function (`keptBins`) used everywhere — the original sliced
 *   [256:512] in training and 26..281 in notebook inference, so the two saw
 *   different frequency axes, and it once "high-passed" 25 *time frames*.
 */
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';

/** Smallest and largest accepted analysis rates (Hz). */
export const MIN_ANALYSIS_RATE = 1000;
export const MAX_ANALYSIS_RATE = 1_536_000;
const MIN_RATE = MIN_ANALYSIS_RATE;
const MAX_RATE = MAX_ANALYSIS_RATE;

/**
 * The analysis rate for a project: the most common native rate among its
 * recordings, ties broken towards the higher rate (resampling down loses
 * less than inventing an empty top band by resampling up).
 */
export function chooseAnalysisRate(nativeRates: number[]): number {
  const counts = new Map<number, number>();
  for (const r of nativeRates) {
    if (!Number.isInteger(r) || r <= 0) {
      throw new SonotypeError('INVALID_ARGUMENT', `Sample rate ${r} Hz is not a positive whole number.`);
    }
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [rate, count] of counts) {
    if (count > bestCount || (count === bestCount && rate > best)) {
      best = rate;
      bestCount = count;
    }
  }
  if (bestCount === 0) {
    throw new SonotypeError('INVALID_ARGUMENT', 'Cannot choose an analysis sample rate: the folder has no recordings.');
  }
  return best;
}

/** Everything but `version` may be overridden; `band` may be given partially. */
export type FeatureConfigOverrides = Partial<Omit<FeatureConfig, 'version' | 'analysisSampleRate' | 'band'>> & {
  band?: Partial<FeatureConfig['band']>;
};

/**
 * The seeds' configuration at the given analysis rate: Hann 512 / hop 256,
 * dB magnitude, bins 0 … 255 (Nyquist dropped), 32-frame windows with a
 * 16-frame stride, per-window z-score. The result is validated.
 */
export function defaultFeatureConfig(analysisSampleRate: number, overrides: FeatureConfigOverrides = {}): FeatureConfig {
  const config: FeatureConfig = {
    version: 1,
    analysisSampleRate,
    channel: overrides.channel ?? 0,
    fftSize: overrides.fftSize ?? 512,
    hopSize: overrides.hopSize ?? 256,
    magnitude: overrides.magnitude ?? 'db',
    band: {
      lowHz: overrides.band?.lowHz ?? 0,
      highHz: overrides.band?.highHz ?? analysisSampleRate / 2,
    },
    windowFrames: overrides.windowFrames ?? 32,
    windowStride: overrides.windowStride ?? 16,
    normalisation: overrides.normalisation ?? 'window',
  };
  return validateFeatureConfig(config);
}

function fail(message: string): never {
  throw new SonotypeError('INVALID_CONFIG', `Invalid feature configuration: ${message}`);
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail(`${name} must be a whole number of at least 1 (got ${JSON.stringify(value)}).`);
  }
  return value;
}

function finiteNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${name} must be a number (got ${JSON.stringify(value)}).`);
  return value;
}

/**
 * Checks an untrusted value (a stored config, a settings form) and returns a
 * clean FeatureConfig with only the known fields. Throws INVALID_CONFIG with a
 * message naming the field and the reason.
 */
export function validateFeatureConfig(value: unknown): FeatureConfig {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('expected an object.');
  const v = value as Record<string, unknown>;
  if (v.version !== 1) fail(`unsupported version ${JSON.stringify(v.version)} (this build understands version 1).`);

  const rate = positiveInteger(v.analysisSampleRate, 'analysisSampleRate');
  if (rate < MIN_RATE || rate > MAX_RATE) fail(`analysisSampleRate ${rate} Hz is outside ${MIN_RATE}…${MAX_RATE} Hz.`);
  const channel = v.channel === undefined ? 0 : v.channel;
  if (typeof channel !== 'number' || !Number.isInteger(channel) || channel < 0) {
    fail(`channel must be a whole number ≥ 0 (got ${JSON.stringify(v.channel)}).`);
  }

  const fftSize = positiveInteger(v.fftSize, 'fftSize');
  if (fftSize < 16 || fftSize > 65536 || (fftSize & (fftSize - 1)) !== 0) {
    fail(`fftSize ${fftSize} must be a power of two between 16 and 65536.`);
  }
  const hopSize = positiveInteger(v.hopSize, 'hopSize');
  if (hopSize > fftSize) fail(`hopSize ${hopSize} is larger than fftSize ${fftSize}; samples between frames would be skipped.`);

  if (v.magnitude !== 'db' && v.magnitude !== 'linear') fail(`magnitude must be "db" or "linear" (got ${JSON.stringify(v.magnitude)}).`);

  if (!v.band || typeof v.band !== 'object') fail('band must be an object { lowHz, highHz }.');
  const band = v.band as Record<string, unknown>;
  const lowHz = finiteNumber(band.lowHz, 'band.lowHz');
  const highHz = finiteNumber(band.highHz, 'band.highHz');
  const nyquist = rate / 2;
  if (lowHz < 0 || highHz > nyquist) fail(`band ${lowHz}–${highHz} Hz is outside 0–${nyquist} Hz (Nyquist at ${rate} Hz).`);
  if (lowHz >= highHz) fail(`band lowHz ${lowHz} must be below highHz ${highHz}.`);

  const windowFrames = positiveInteger(v.windowFrames, 'windowFrames');
  const windowStride = positiveInteger(v.windowStride, 'windowStride');
  // A stride longer than the window would skip frames (and audio) between windows.
  if (windowStride > windowFrames) {
    fail(`windowStride ${windowStride} is larger than windowFrames ${windowFrames}; frames between windows would be skipped.`);
  }
  const n = v.normalisation;
  if (n !== 'window' && n !== 'recording' && n !== 'none') {
    fail(`normalisation must be "window", "recording" or "none" (got ${JSON.stringify(n)}).`);
  }

  const config: FeatureConfig = {
    version: 1,
    analysisSampleRate: rate,
    channel,
    fftSize,
    hopSize,
    magnitude: v.magnitude,
    band: { lowHz, highHz },
    windowFrames,
    windowStride,
    normalisation: n,
  };
  const { binCount } = keptBins(config);
  if (binCount < 1) {
    fail(`band ${lowHz}–${highHz} Hz is too narrow: it contains no FFT bin (bins are ${rate / fftSize} Hz apart).`);
  }
  return config;
}

/** Bins and their centre frequencies kept by the band of a config. */
export interface KeptBins {
  /** Index of the first kept FFT bin. */
  firstBin: number;
  binCount: number;
  /** Centre frequency of each kept bin, lowest first (row 0 = lowest frequency). */
  frequenciesHz: Float64Array;
}

/**
 * The FFT bins k with lowHz ≤ k·rate/fftSize < highHz. The Nyquist bin is
 * therefore never kept (highHz ≤ Nyquist); with the default band a 512 FFT
 * keeps bins 0 … 255.
 */
export function keptBins(config: FeatureConfig): KeptBins {
  const binHz = config.analysisSampleRate / config.fftSize;
  // Compare k·rate with lowHz·fftSize to avoid rounding error in k·binHz.
  let firstBin = Math.ceil((config.band.lowHz * config.fftSize) / config.analysisSampleRate);
  while (firstBin > 0 && (firstBin - 1) * config.analysisSampleRate >= config.band.lowHz * config.fftSize) firstBin--;
  while (firstBin * config.analysisSampleRate < config.band.lowHz * config.fftSize) firstBin++;
  let endBin = firstBin;
  while (endBin <= config.fftSize / 2 && endBin * config.analysisSampleRate < config.band.highHz * config.fftSize) endBin++;
  const binCount = Math.max(0, endBin - firstBin);
  const frequenciesHz = new Float64Array(binCount);
  for (let i = 0; i < binCount; i++) frequenciesHz[i] = (firstBin + i) * binHz;
  return { firstBin, binCount, frequenciesHz };
}

/** JSON with object keys sorted at every level, so equal configs give equal strings. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/**
 * A canonical, stable string for a config (sorted-key JSON of the validated
 * config), independent of property order; use it as a cache/database key.
 */
export function featureConfigKey(config: FeatureConfig): string {
  return canonicalJson(validateFeatureConfig(config));
}
