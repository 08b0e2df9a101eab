/**
 * Runs the feature pipeline end to end over one recording: decode (streamed),
 * resample to the analysis rate, STFT, windows, normalisation. Used by the
 * `features` command, the app and the benchmarks — the same code path the
 * models use, so the counts printed are the counts trained on.
 */
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import type { RecordingFeatures } from '../../../src-shared/contract';
import { probeAudio, readAudioBlocks } from '../audio';
import { frameCount, keptBins, streamFeatureWindows } from '../features';
import { getRecording } from '../store';
import type { Project } from './open-project';

export interface FeatureAnalysis {
  config: FeatureConfig;
  nativeSampleRate: number;
  channels: number;
  channelUsed: number;
  durationSeconds: number;
  codec: string;
  resampled: boolean;
  binCount: number;
  bandHz: [number, number];
  frameCount: number;
  windowCount: number;
  paddedWindows: number;
  /** Wall-clock seconds the pipeline took. */
  seconds: number;
}

/** Streams the whole file through the pipeline and counts what comes out. Memory stays bounded. */
export async function analyseRecordingFeatures(
  absPath: string,
  config: FeatureConfig,
  opts: { signal?: AbortSignal; onWindow?: (data: Float32Array) => void } = {},
): Promise<FeatureAnalysis> {
  const started = performance.now();
  const info = await probeAudio(absPath);
  // A project-wide channel may not exist in every file: fall back to the last one, and say so.
  const channelUsed = Math.min(config.channel, info.channels - 1);
  const openBlocks = () => readAudioBlocks(absPath, { channel: channelUsed, signal: opts.signal });
  let windowCount = 0;
  let paddedWindows = 0;
  for await (const w of streamFeatureWindows(openBlocks, info.sampleRate, info.frames, config, { signal: opts.signal })) {
    windowCount++;
    if (w.span.padded) paddedWindows++;
    opts.onWindow?.(w.data);
  }
  const bins = keptBins(config);
  const freqs = bins.frequenciesHz;
  return {
    config,
    nativeSampleRate: info.sampleRate,
    channels: info.channels,
    channelUsed,
    durationSeconds: info.durationSeconds,
    codec: info.codec,
    resampled: info.sampleRate !== config.analysisSampleRate,
    binCount: bins.binCount,
    bandHz: [freqs[0] ?? 0, freqs[freqs.length - 1] ?? 0],
    frameCount: frameCount(Math.round((info.frames * config.analysisSampleRate) / info.sampleRate), config),
    windowCount,
    paddedWindows,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The contract's `features:describe`: the pipeline over one recording of the open project. */
export async function describeRecordingFeatures(
  project: Pick<Project, 'db' | 'featureConfigFor' | 'resolveRecordingPath'>, recordingId: number, signal?: AbortSignal,
): Promise<RecordingFeatures> {
  const recording = getRecording(project.db, recordingId);
  if (!recording) throw new SonotypeError('NOT_FOUND', `No recording with id ${recordingId} in this project.`);
  if (recording.status !== 'ok') {
    throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} cannot be analysed: ${recording.error?.message ?? 'it failed to scan'}.`);
  }
  if (!recording.sampleRate) throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} has no known sample rate: scan it again.`);
  const config = project.featureConfigFor(recording.sampleRate);
  const a = await analyseRecordingFeatures(project.resolveRecordingPath(recording.path), config, { signal });
  return { recordingId, config, frameCount: a.frameCount, windowCount: a.windowCount, resampled: a.resampled };
}
