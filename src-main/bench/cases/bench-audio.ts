/**
 * Generates the long synthetic recordings the benchmarks need, streamed to
 * disk so a 3-hour file never sits in memory: low-level noise with a whistle,
 * a click train and a burst pulse every 10 s (all cheap, deterministic).
 */
import { writeWavStreaming } from '../../engine/testing/wav-writer';
import { clickTrain, fmWhistle, whiteNoise } from '../../engine/testing/synth';

export async function writeBenchRecording(path: string, sampleRate: number, seconds: number): Promise<void> {
  const period = 10 * sampleRate;
  const noise = whiteNoise(sampleRate, 10, 0.003, 5);
  const whistle = fmWhistle({ sampleRate, durationSeconds: 1.2, startHz: 6000, endHz: 14000, amplitude: 0.3 });
  const clicks = clickTrain({ sampleRate, durationSeconds: 1.5, centreHz: Math.min(30000, sampleRate * 0.35), amplitude: 0.5 });
  const cycle = noise.slice();
  for (let i = 0; i < whistle.length; i++) cycle[sampleRate * 2 + i] += whistle[i];
  for (let i = 0; i < clicks.length; i++) cycle[sampleRate * 5 + i] += clicks[i];
  const frames = Math.round(seconds * sampleRate);
  await writeWavStreaming(path, { sampleRate, channels: 1, format: 'pcm16' }, frames, (start, count) => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = cycle[(start + i) % period];
    return out;
  });
}
