/**
 * Command-line flags that override parts of the feature configuration, shared
 * by every command that runs the pipeline. Values are checked by
 * validateFeatureConfig, so a bad flag gets the same readable message as a bad
 * config file.
 */
import type { ParseArgsConfig } from 'node:util';
import type { FeatureConfig } from '../../src-shared/feature-types';
import { defaultFeatureConfig, type FeatureConfigOverrides } from '../engine/features';
import { UsageError } from './exit-codes';
import { choiceFlag, integerFlag } from './flag-values';

export const featureFlagOptions: NonNullable<ParseArgsConfig['options']> = {
  'analysis-rate': { type: 'string' },
  channel: { type: 'string' },
  fft: { type: 'string' },
  hop: { type: 'string' },
  magnitude: { type: 'string' },
  band: { type: 'string' },
  'window-frames': { type: 'string' },
  'window-stride': { type: 'string' },
  normalisation: { type: 'string' },
};

export const FEATURE_FLAGS_HELP =
  '[--analysis-rate <Hz>] [--channel <n>] [--fft <n>] [--hop <n>] [--magnitude db|linear] [--band <lowHz>-<highHz>] [--window-frames <n>] [--window-stride <n>] [--normalisation window|recording|none]';


/** Applies the flags in `values` on top of `base` (or the defaults at `nativeRate`). */
export function applyFeatureFlags(values: Record<string, unknown>, base: FeatureConfig | null, nativeRate: number): FeatureConfig {
  const rate = integerFlag(values, 'analysis-rate') ?? base?.analysisSampleRate ?? nativeRate;
  const overrides: FeatureConfigOverrides = {};
  const set = <K extends keyof FeatureConfigOverrides>(key: K, v: FeatureConfigOverrides[K] | undefined) => {
    if (v !== undefined) overrides[key] = v;
  };
  set('channel', integerFlag(values, 'channel'));
  set('fftSize', integerFlag(values, 'fft'));
  set('hopSize', integerFlag(values, 'hop'));
  set('magnitude', choiceFlag(values, 'magnitude', ['db', 'linear'] as const));
  set('windowFrames', integerFlag(values, 'window-frames'));
  set('windowStride', integerFlag(values, 'window-stride'));
  set('normalisation', choiceFlag(values, 'normalisation', ['window', 'recording', 'none'] as const));
  if (values.band !== undefined) {
    const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(String(values.band));
    if (!m) throw new UsageError(`--band must look like 2000-20000 (Hz), got '${String(values.band)}'`);
    overrides.band = { lowHz: Number(m[1]), highHz: Number(m[2]) };
  }
  const start = base ?? defaultFeatureConfig(rate);
  // A band chosen for another analysis rate may not fit this one: a changed rate gets its full band back.
  const keepBand = start.analysisSampleRate === rate;
  const { version: _version, analysisSampleRate: _rate, band, ...rest } = start;
  return defaultFeatureConfig(rate, { ...rest, ...overrides, band: overrides.band ?? (keepBand ? band : undefined) });
}
