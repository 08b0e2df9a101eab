/**
 * Settings of the heuristic silence detector: options with defaults, and the
 * resolved, serialisable parameters stored with the heuristic labels.
 */
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { keptBins, validateFeatureConfig } from '../features';
import { frameThresholds } from './noise-floor';

export interface HeuristicSilenceOptions {
  /** Lowest analysed frequency (Hz); default max(feature band low edge, 3 FFT bins). */
  lowHz?: number;
  /** Highest analysed frequency (Hz, exclusive); default the feature band's high edge. */
  highHz?: number;
  /** Quantile of each bin's dB values taken as its floor (default 0.2). */
  floorQuantile?: number;
  /** Length of the floor-tracking segments in seconds (default 30). */
  segmentSeconds?: number;
  /** Energy test: standard deviations above the noise mean (default 5). */
  energyZ?: number;
  /** Energy test: never below this margin over the noise mean, dB (default 6). */
  minEnergyMarginDb?: number;
  /** Peak test: target chance per frame that noise alone passes (default 1e-3). */
  peakFalseAlarm?: number;
  /** Peak test: never below this margin over the noise mean, dB (default 20). */
  minPeakMarginDb?: number;
  /** Sound frames a window needs to be sound (default 2). */
  minSoundFrames?: number;
  signal?: AbortSignal;
}

/** The resolved settings, stored with the labels. */
export interface HeuristicSilenceParams {
  version: 1;
  method: 'energy-peak-over-adaptive-floor';
  lowHz: number;
  highHz: number;
  binCount: number;
  floorQuantile: number;
  segmentSeconds: number;
  energyZ: number;
  minEnergyMarginDb: number;
  peakFalseAlarm: number;
  minPeakMarginDb: number;
  minSoundFrames: number;
  /** Thresholds in dB over the noise floor with all bins live (informative). */
  energyThresholdDb: number;
  peakThresholdDb: number;
}

export const HEURISTIC_DEFAULTS = {
  floorQuantile: 0.2,
  segmentSeconds: 30,
  energyZ: 5,
  minEnergyMarginDb: 6,
  peakFalseAlarm: 1e-3,
  minPeakMarginDb: 20,
  minSoundFrames: 2,
};

/**
 * Fills in defaults, checks the settings (INVALID_CONFIG naming the field) and
 * derives the spectrogram configuration: the project's frames, dB, analysed band.
 */
export function resolveHeuristicParams(config: FeatureConfig, o: HeuristicSilenceOptions): { params: HeuristicSilenceParams; specConfig: FeatureConfig } {
  const bad = (msg: string): never => {
    throw new SonotypeError('INVALID_CONFIG', `Invalid silence-detector settings: ${msg}`);
  };
  const binHz = config.analysisSampleRate / config.fftSize;
  const lowHz = o.lowHz ?? Math.max(config.band.lowHz, 3 * binHz);
  const highHz = o.highHz ?? config.band.highHz;
  const specConfig = validateFeatureConfig({ ...config, magnitude: 'db', normalisation: 'none', band: { lowHz, highHz } });
  const r = { ...HEURISTIC_DEFAULTS, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) };
  if (!(r.floorQuantile > 0 && r.floorQuantile <= 0.5)) bad(`floorQuantile must be in (0, 0.5] (got ${r.floorQuantile}).`);
  if (!(r.segmentSeconds > 0)) bad(`segmentSeconds must be positive (got ${r.segmentSeconds}).`);
  if (!(r.peakFalseAlarm > 0 && r.peakFalseAlarm < 1)) bad(`peakFalseAlarm must be in (0, 1) (got ${r.peakFalseAlarm}).`);
  if (!(r.energyZ >= 0) || !Number.isFinite(r.minEnergyMarginDb) || !Number.isFinite(r.minPeakMarginDb)) bad('margins must be finite numbers.');
  if (!Number.isInteger(r.minSoundFrames) || r.minSoundFrames < 1) bad(`minSoundFrames must be a whole number ≥ 1 (got ${r.minSoundFrames}).`);
  const binCount = keptBins(specConfig).binCount;
  const t = frameThresholds(binCount, r);
  const params: HeuristicSilenceParams = {
    version: 1,
    method: 'energy-peak-over-adaptive-floor',
    lowHz,
    highHz,
    binCount,
    floorQuantile: r.floorQuantile,
    segmentSeconds: r.segmentSeconds,
    energyZ: r.energyZ,
    minEnergyMarginDb: r.minEnergyMarginDb,
    peakFalseAlarm: r.peakFalseAlarm,
    minPeakMarginDb: r.minPeakMarginDb,
    minSoundFrames: r.minSoundFrames,
    energyThresholdDb: 10 * Math.log10(t.energyRatio),
    peakThresholdDb: 10 * Math.log10(t.peakRatio),
  };
  return { params, specConfig };
}

