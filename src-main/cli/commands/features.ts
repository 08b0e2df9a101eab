import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import type { CliCommand } from '../main';
import { UsageError, EXIT_OK } from '../exit-codes';
import { formatDuration } from '../output';
import { findProjectFor, openProject } from '../../engine/project/open-project';
import { analyseRecordingFeatures, type FeatureAnalysis } from '../../engine/project/recording-features';
import { applyFeatureFlags, featureFlagOptions, FEATURE_FLAGS_HELP } from '../feature-flags';
import { probeAudio } from '../../engine/audio';

/**
 * `sonotype features <recording> [--project <dir>] [--json]`
 *
 * Runs the feature pipeline over one recording and prints the feature
 * configuration and how many frames and windows it yields. Inside a project the
 * configuration of the file's rate group is used (so the numbers are what the models see);
 * otherwise the defaults at the file's own sample rate. Flags override single
 * settings for this run (e.g. --fft 1024 --band 2000-20000) without changing the project.
 */
export const featuresCommand: CliCommand = {
  name: 'features',
  synopsis: `features <recording> [--project <dir>] [--json] ${FEATURE_FLAGS_HELP}   feature config and window count of one file`,
  options: {
    ...featureFlagOptions,
    project: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ positionals, values, io }) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one <recording>');
    const file = resolve(positionals[0]);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new UsageError(`not a file: ${positionals[0]}`);

    const projectDir = values.project ? resolve(values.project as string) : await findProjectFor(file);
    const project = projectDir ? await openProject(projectDir) : null;
    try {
      const audio = await probeAudio(file);
      const config = applyFeatureFlags(values, project?.featureConfigFor(audio.sampleRate) ?? null, audio.sampleRate);
      const analysis = await analyseRecordingFeatures(file, config);
      const result = { path: file, project: project?.dir ?? null, ...analysis };
      io.out(values.json ? JSON.stringify(result) : formatAnalysis(result));
      return EXIT_OK;
    } finally {
      project?.close();
    }
  },
};

function formatAnalysis(a: FeatureAnalysis & { path: string; project: string | null }): string {
  const c = a.config;
  return [
    `file:        ${a.path}`,
    `project:     ${a.project ?? '(none: defaults at the native rate)'}`,
    `audio:       ${a.nativeSampleRate} Hz, ${a.channels} ch, ${formatDuration(a.durationSeconds)} (${a.codec})`,
    `analysis:    ${c.analysisSampleRate} Hz${a.resampled ? ' (resampled)' : ''}, channel ${a.channelUsed}`,
    `stft:        Hann ${c.fftSize}, hop ${c.hopSize}, ${c.magnitude === 'db' ? 'log magnitude (dB)' : 'linear magnitude'}`,
    `band:        ${a.binCount} bins, ${a.bandHz[0].toFixed(1)}–${a.bandHz[1].toFixed(1)} Hz`,
    `windows:     ${c.windowFrames} frames, stride ${c.windowStride}, normalisation ${c.normalisation}`,
    `frames:      ${a.frameCount}`,
    `windows:     ${a.windowCount} (${a.paddedWindows} padded at the end)`,
    `config:      ${JSON.stringify(c)}`,
  ].join('\n');
}
