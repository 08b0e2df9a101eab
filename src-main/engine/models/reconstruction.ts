/**
 * What an encoder's whole network makes of a window, for the figures view:
 * one normalised feature window of a recording, as the encoders see it, and
 * Convnet V1's reconstruction of it or LSTM V3's prediction of the next frame. Runs in a 'reconstruction'
 * job (jobs/tasks/reconstruction-task.ts), off the main process.
 */
import * as tf from '@tensorflow/tfjs';
import type { ReconstructionFigure } from '../../../src-shared/contract';
import { SonotypeError } from '../../../src-shared/errors';
import { readAudioBlocks } from '../audio';
import { keptBins, streamFeatureWindows } from '../features';
import type { Project } from '../project/open-project';
import { reconstructionModel } from './autoencoder-files';
import { requireRecording } from '../store/recordings';
import { assertModelInput } from './encoder-registry';
import { loadLayersModel } from './model-io';

type ReconstructionProject = Pick<Project, 'dir' | 'db' | 'featureConfigFor' | 'resolveRecordingPath'>;

/**
 * The normalised feature window `windowIndex` of a recording, as the encoders see it. With `extraFrames`, the
 * window is read that much longer and normalised as a whole, as LSTM V3's training windows are (the frames after
 * the window are its prediction target).
 */
export async function featureWindow(
  project: ReconstructionProject, recordingId: number, windowIndex: number, signal?: AbortSignal, extraFrames = 0,
): Promise<{ data: Float32Array; frames: number; bins: number }> {
  const recording = requireRecording(project.db, recordingId);
  if (recording.status !== 'ok' || !recording.sampleRate || !recording.channels) {
    throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} cannot be analysed: ${recording.error?.message ?? 'it failed to scan'}.`);
  }
  const base = project.featureConfigFor(recording.sampleRate);
  const config = { ...base, windowFrames: base.windowFrames + extraFrames };
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

/**
 * Window `windowIndex` of a recording and what the project's network makes of it (autoencoder-files.ts
 * reconstructionModel: the newest fully kept encoder, else the default model's predictor): Convnet V1's
 * reconstruction, or LSTM V3's prediction of the frame(s) after the window next to the real ones. Null when there
 * is no such network.
 */
export async function reconstructWindow(
  project: ReconstructionProject, recordingId: number, windowIndex: number,
  options: { signal?: AbortSignal; onPhase?: (phase: 'reading window' | 'reconstructing') => void } = {},
): Promise<ReconstructionFigure | null> {
  const recording = requireRecording(project.db, recordingId);
  const figure = reconstructionModel(project);
  if (!figure) return null;
  // The models take 32 × 256 windows: say so readably when the project's differ.
  if (recording.sampleRate) assertModelInput(project.featureConfigFor(recording.sampleRate));
  options.onPhase?.('reading window');
  const { model, metadata } = await loadLayersModel(figure.folder);
  try {
    const modelLabel = figure.label;
    if (figure.kind === 'reconstruction') {
      const window = await featureWindow(project, recordingId, windowIndex, options.signal);
      options.onPhase?.('reconstructing');
      const values = await predict(model, window.data, window.frames, window.bins);
      return { kind: 'reconstruction', modelLabel, frames: window.frames, bins: window.bins, input: Array.from(window.data), output: values };
    }
    const ahead = predictedFrames(metadata);
    const long = await featureWindow(project, recordingId, windowIndex, options.signal, ahead);
    const inputFrames = long.frames - ahead;
    options.onPhase?.('reconstructing');
    const values = await predict(model, long.data.subarray(0, inputFrames * long.bins), inputFrames, long.bins);
    return {
      kind: 'next-frame', modelLabel, frames: ahead, bins: long.bins,
      input: Array.from(long.data.subarray(inputFrames * long.bins)), output: values,
      lastFrame: Array.from(long.data.subarray((inputFrames - 1) * long.bins, inputFrames * long.bins)),
    };
  } finally {
    model.dispose();
  }
}

/** Frames the V3 predictor was trained to predict (1 or 10), from the metadata saved with it. */
function predictedFrames(metadata: unknown): number {
  const n = (metadata as { predictFrames?: unknown } | null)?.predictFrames;
  return n === 10 ? 10 : 1;
}

async function predict(model: tf.LayersModel, data: Float32Array, frames: number, bins: number): Promise<number[]> {
  const output = tf.tidy(() => model.predict(tf.tensor4d(data, [1, frames, bins, 1])) as tf.Tensor);
  try {
    return Array.from(await output.data());
  } finally {
    output.dispose();
  }
}
