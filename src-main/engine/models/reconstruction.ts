/**
 * Convnet V1 reconstructions for the figures view: one normalised feature
 * window of a recording, as the encoders see it, and what the trained
 * auto-encoder (encoder + decoder) makes of it. Runs in a 'reconstruction'
 * job (jobs/tasks/reconstruction-task.ts), off the main process.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ReconstructionFigure } from '../../../src-shared/contract';
import { SonotypeError } from '../../../src-shared/errors';
import { readAudioBlocks } from '../audio';
import { keptBins, streamFeatureWindows } from '../features';
import type { Project } from '../project/open-project';
import { AUTOENCODER_SUBFOLDER, reconstructionModel } from './autoencoder-files';
import { requireRecording } from '../store/recordings';
import { assertModelInput } from './encoder-registry';
import { loadLayersModel } from './model-io';

type ReconstructionProject = Pick<Project, 'dir' | 'db' | 'featureConfigFor' | 'resolveRecordingPath'>;

/** The normalised feature window `windowIndex` of a recording, as the encoders see it. */
export async function featureWindow(
  project: ReconstructionProject, recordingId: number, windowIndex: number, signal?: AbortSignal,
): Promise<{ data: Float32Array; frames: number; bins: number }> {
  const recording = requireRecording(project.db, recordingId);
  if (recording.status !== 'ok' || !recording.sampleRate || !recording.channels) {
    throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} cannot be analysed: ${recording.error?.message ?? 'it failed to scan'}.`);
  }
  const config = project.featureConfigFor(recording.sampleRate);
  const absPath = project.resolveRecordingPath(recording.path);
  const channel = Math.min(config.channel, recording.channels - 1);
  const windows = streamFeatureWindows(() => readAudioBlocks(absPath, { channel, signal }), recording.sampleRate, recording.frames ?? 0, config, { signal });
  let count = 0;
  for await (const w of windows) {
    if (w.span.index === windowIndex) return { data: w.data, frames: config.windowFrames, bins: keptBins(config).binCount };
    count++;
  }
  throw new SonotypeError('NOT_FOUND', `${recording.path} has ${count} windows; there is no window ${windowIndex}.`);
}

/** Window `windowIndex` of a recording and its reconstruction by the newest Convnet V1 (null when none is trained). */
export async function reconstructWindow(
  project: ReconstructionProject, recordingId: number, windowIndex: number,
  options: { signal?: AbortSignal; onPhase?: (phase: 'reading window' | 'reconstructing') => void } = {},
): Promise<ReconstructionFigure | null> {
  const recording = requireRecording(project.db, recordingId);
  const v1 = reconstructionModel(project);
  if (!v1) return null; // no Convnet V1 trained (or trained before its decoder was saved)
  // The model takes 32 × 256 windows: say so readably when the project's differ.
  if (recording.sampleRate) assertModelInput(project.featureConfigFor(recording.sampleRate));
  options.onPhase?.('reading window');
  const window = await featureWindow(project, recordingId, windowIndex, options.signal);
  options.onPhase?.('reconstructing');
  const { model } = await loadLayersModel(join(project.dir, v1.filesPath!, AUTOENCODER_SUBFOLDER));
  try {
    const output = tf.tidy(() => model.predict(tf.tensor4d(window.data, [1, window.frames, window.bins, 1])) as tf.Tensor);
    const values = await output.data();
    output.dispose();
    return { frames: window.frames, bins: window.bins, input: Array.from(window.data), output: Array.from(values) };
  } finally {
    model.dispose();
  }
}
