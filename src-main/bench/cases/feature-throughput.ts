/**
 * Decode + resample + STFT + windows throughput, as × real time, for a
 * generated 10-minute 48 kHz file (no resampling) and a 10-minute 96 kHz file
 * analysed at 48 kHz (resampling). The decode-only rate of the same files is
 * printed too, as the in-run baseline the pipeline figures can be read against.
 */
import { join } from 'node:path';
import type { BenchSuite } from '../types';
import { writeBenchRecording } from './bench-audio';
import { readAudioBlocks } from '../../engine/audio';
import { defaultFeatureConfig } from '../../engine/features';
import { analyseRecordingFeatures } from '../../engine/project/recording-features';

const SECONDS = 600;

async function decodeOnlySeconds(path: string): Promise<number> {
  const t = performance.now();
  let n = 0;
  for await (const block of readAudioBlocks(path)) n += block.length;
  if (n === 0) throw new Error('decoded nothing');
  return (performance.now() - t) / 1000;
}

export const featureThroughputSuite: BenchSuite = {
  names: [
    'decode_wav_48k_x_realtime',
    'features_48k_no_resample_x_realtime',
    'decode_wav_96k_x_realtime',
    'features_96k_resample_to_48k_x_realtime',
  ],
  async run(ctx, emit) {
    for (const { rate, name, target } of [
      { rate: 48_000, name: 'features_48k_no_resample_x_realtime', target: 300 },
      { rate: 96_000, name: 'features_96k_resample_to_48k_x_realtime', target: 100 },
    ]) {
      const path = join(ctx.tmpDir, `bench-${rate}.wav`);
      ctx.log(`writing ${SECONDS} s at ${rate} Hz`);
      await writeBenchRecording(path, rate, SECONDS);
      const decode = await decodeOnlySeconds(path);
      emit({ name: `decode_wav_${rate / 1000}k_x_realtime`, value: round(SECONDS / decode), unit: 'x realtime', better: 'higher' });
      const config = defaultFeatureConfig(48_000);
      // Warm-up on the first minute's worth is not needed: the file is long enough that JIT warm-up is noise.
      const analysis = await analyseRecordingFeatures(path, config);
      emit({
        name,
        value: round(SECONDS / analysis.seconds),
        unit: 'x realtime',
        better: 'higher',
        target,
        detail: { seconds: round(analysis.seconds), windows: analysis.windowCount, resampled: analysis.resampled },
      });
    }
  },
};

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
