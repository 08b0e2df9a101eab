/**
 * Sonotype's feature pipeline: one path from native-rate audio to
 * spectrograms and normalised model windows, for training, inference and
 * display alike. See pipeline.ts for the flow and stft.ts for the layout.
 */
export {
  chooseAnalysisRate,
  defaultFeatureConfig,
  validateFeatureConfig,
  featureConfigKey,
  keptBins,
  type FeatureConfigOverrides,
  type KeptBins,
} from './feature-config';
export { assignRateGroups, analysisRateFor, rateRatio, RATE_GROUP_MAX_RATIO, type RateGroup } from './rate-groups';
export { createResampler, resampleBlocks, resampledLength, resamplerRangePlan, type Resampler, type ResamplerOptions } from './resample';
export {
  computeSpectrogram,
  createStreamingStft,
  frameCount,
  paddingValue,
  DB_FLOOR,
  WINDOW_KINDS,
  windowFunction,
  type WindowKind,
  type Spectrogram,
  type StftChunk,
  type StreamingStft,
} from './stft';
export { windowCount, windowSpan, windowSpans } from './windows';
export {
  normaliseWindow,
  applyZScore,
  computeStats,
  RecordingStatsAccumulator,
  ZSCORE_STD_OFFSET,
  type ZScoreStats,
} from './normalise';
export {
  streamSpectrogram,
  streamFeatureWindows,
  analyseSignal,
  type OpenBlocks,
  type StreamOptions,
  type SpectrogramChunk,
  type FeatureWindow,
  type SignalAnalysis,
} from './pipeline';
export { streamFeatureWindowRange, recordingWindowCount, type OpenRange, type WindowRange } from './window-range';
export type { FeatureConfig, WindowSpan } from '../../../src-shared/feature-types';
