/**
 * Model windows: windowFrames consecutive STFT frames every windowStride
 * frames, mapped back to exact sample ranges of the recording.
 *
 * Window w holds frames [w·S, w·S + W). Windows continue until one contains
 * the last frame, so the end of every file is covered (the original skipped
 * each file's final partial minute, ORIGINAL_PIPELINE.md §3); frames past the
 * last real frame are padding (DB_FLOOR or 0) and the window is flagged
 * `padded`. Frame f covers analysis samples [f·hop, f·hop + fftSize), so
 * window w covers [w·S·hop, (w·S + W − 1)·hop + fftSize), clipped to the signal.
 */
import type { FeatureConfig, WindowSpan } from '../../../src-shared/feature-types';
import { frameCount } from './stft';

/** Number of windows over nFrames frames: 0 for none, else 1 + ceil(max(0, nFrames − W) / S). */
export function windowCount(nFrames: number, config: Pick<FeatureConfig, 'windowFrames' | 'windowStride'>): number {
  if (!(nFrames > 0)) return 0;
  return 1 + Math.ceil(Math.max(0, nFrames - config.windowFrames) / config.windowStride);
}

/**
 * The span of window `index` of a signal with nAnalysisSamples samples at the
 * analysis rate and nativeFrames samples at nativeRate. Native indices are
 * the analysis range scaled by nativeRate/analysisRate, widened outwards
 * (floor/ceil) and clipped; seconds are native indices / nativeRate.
 */
export function windowSpan(
  index: number,
  nAnalysisSamples: number,
  nativeRate: number,
  nativeFrames: number,
  config: FeatureConfig,
): WindowSpan {
  const { windowFrames, windowStride, hopSize, fftSize, analysisSampleRate } = config;
  const startFrame = index * windowStride;
  const startSample = Math.min(startFrame * hopSize, nAnalysisSamples);
  const endSample = Math.min((startFrame + windowFrames - 1) * hopSize + fftSize, nAnalysisSamples);
  const startNativeSample = Math.min(Math.floor((startSample * nativeRate) / analysisSampleRate), nativeFrames);
  const endNativeSample =
    endSample >= nAnalysisSamples
      ? nativeFrames
      : Math.min(Math.ceil((endSample * nativeRate) / analysisSampleRate), nativeFrames);
  return {
    index,
    startFrame,
    startSample,
    endSample,
    startNativeSample,
    endNativeSample,
    startSeconds: startNativeSample / nativeRate,
    endSeconds: endNativeSample / nativeRate,
    padded: startFrame + windowFrames > frameCount(nAnalysisSamples, config),
  };
}

/** All window spans of a recording, in order (see windowSpan). */
export function windowSpans(
  nAnalysisSamples: number,
  nativeRate: number,
  nativeFrames: number,
  config: FeatureConfig,
): WindowSpan[] {
  const count = windowCount(frameCount(nAnalysisSamples, config), config);
  const spans: WindowSpan[] = new Array(count);
  for (let i = 0; i < count; i++) spans[i] = windowSpan(i, nAnalysisSamples, nativeRate, nativeFrames, config);
  return spans;
}
