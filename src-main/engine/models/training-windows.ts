/**
 * Training data for the encoders: a uniform random sample of the project's
 * feature windows, taken with reservoir sampling while streaming every
 * recording once, so memory is bounded by the sample size, not the corpus.
 *
 * For next-frame prediction (LSTM V3) each window is read `extraFrames` longer
 * and z-scored as a whole, then split into the 32-frame input and the frames
 * that follow — the target is "normalised together with the window" as in the
 * original (ORIGINAL_PIPELINE.md §2).
 */
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { readAudioBlocks } from '../audio';
import { keptBins, streamFeatureWindows } from '../features';
import { createRng } from '../util/random';

export interface TrainingSource {
  absPath: string;
  sampleRate: number;
  frames: number;
  channels: number;
}

export interface TrainingWindows {
  /** count × frames × bins values, window-major. */
  data: Float32Array;
  count: number;
  /** Frames per stored window (windowFrames + extraFrames). */
  frames: number;
  bins: number;
  /** Windows seen in the whole corpus (the sample is drawn from these). */
  seen: number;
}

export interface CollectOptions {
  maxWindows: number;
  /** Frames read past each window for prediction targets (0 for auto-encoders). */
  extraFrames?: number;
  seed?: number;
  signal?: AbortSignal;
  /** Called after each recording with (recordings done, windows seen). */
  onProgress?: (recordingsDone: number, windowsSeen: number) => void;
}

/** Samples up to `maxWindows` normalised windows uniformly from all sources. */
export async function collectTrainingWindows(
  sources: readonly TrainingSource[],
  config: FeatureConfig,
  options: CollectOptions,
): Promise<TrainingWindows> {
  const extra = options.extraFrames ?? 0;
  const readConfig: FeatureConfig = { ...config, windowFrames: config.windowFrames + extra };
  const frames = readConfig.windowFrames;
  const bins = keptBins(config).binCount;
  const size = frames * bins;
  if (!(options.maxWindows >= 1)) throw new SonotypeError('INVALID_ARGUMENT', 'maxWindows must be at least 1.');
  const reservoir = new Float32Array(options.maxWindows * size);
  const rng = createRng(options.seed ?? 1);
  let seen = 0;
  for (const [i, source] of sources.entries()) {
    const channel = Math.min(config.channel, source.channels - 1);
    const openBlocks = () => readAudioBlocks(source.absPath, { channel, signal: options.signal });
    for await (const w of streamFeatureWindows(openBlocks, source.sampleRate, source.frames, readConfig, { signal: options.signal })) {
      // Padded tail windows hold no real prediction target: train on real frames only.
      if (w.span.padded && extra > 0) continue;
      const slot = seen < options.maxWindows ? seen : Math.floor(rng() * (seen + 1));
      if (slot < options.maxWindows) reservoir.set(w.data, slot * size);
      seen++;
    }
    options.onProgress?.(i + 1, seen);
  }
  const count = Math.min(seen, options.maxWindows);
  if (count === 0) throw new SonotypeError('INVALID_ARGUMENT', 'No windows to train on: the project has no readable recordings.');
  return { data: reservoir.subarray(0, count * size), count, frames, bins, seen };
}
