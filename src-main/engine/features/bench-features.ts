/**
 * Throughput of resample + STFT (decode excluded) on synthetic 10-minute
 * signals, reported as × real time. Not a unit test (timings depend on the
 * machine); run with:  npx tsx src-main/engine/features/bench-features.ts
 *
 * Targets (2-core dev box): ≥ 300× real time at 48 kHz without resampling,
 * ≥ 100× with 96 → 48 kHz resampling.
 */
import { loadavg } from 'node:os';
import { createRng } from '../testing/synth';
import { defaultFeatureConfig } from './feature-config';
import { createResampler } from './resample';
import { createStreamingStft } from './stft';
import { streamFeatureWindows } from './pipeline';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 600);
const BLOCK = 65536; // a typical decoder block

/** Noise plus a sweep, generated block by block so memory stays small. */
function* signalBlocks(rate: number): Generator<Float32Array> {
  const rng = createRng(42);
  const total = SECONDS * rate;
  let phase = 0;
  for (let o = 0; o < total; o += BLOCK) {
    const n = Math.min(BLOCK, total - o);
    const b = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const hz = 2000 + ((o + i) % rate) * (10000 / rate);
      phase += (2 * Math.PI * hz) / rate;
      b[i] = 0.3 * Math.sin(phase) + 0.05 * (rng() - 0.5);
    }
    yield b;
  }
}

function bench(nativeRate: number, analysisRate: number): void {
  const blocks = [...signalBlocks(nativeRate)]; // generated up front: not timed
  const config = defaultFeatureConfig(analysisRate);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const resampler = nativeRate === analysisRate ? null : createResampler(nativeRate, analysisRate);
  const stft = createStreamingStft(config);
  let frames = 0;
  let resampleMs = 0;
  for (const b of blocks) {
    const r0 = performance.now();
    const a = resampler ? resampler.process(b) : b;
    resampleMs += performance.now() - r0;
    frames += stft.push(a).frames;
  }
  if (resampler) frames += stft.push(resampler.flush()).frames;
  frames += stft.finish().frames;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${SECONDS} s at ${nativeRate} Hz → ${analysisRate} Hz: ${seconds.toFixed(2)} s total ` +
      `(resample ${(resampleMs / 1000).toFixed(2)} s, STFT ${(seconds - resampleMs / 1000).toFixed(2)} s), ` +
      `${frames} frames, ${(SECONDS / seconds).toFixed(0)}× real time ` +
      `(CPU ${cpuSeconds.toFixed(2)} s → ${(SECONDS / cpuSeconds).toFixed(0)}×; load average ${loadavg()[0].toFixed(1)})`,
  );
}

/** The whole pipeline as training/inference use it: + windows and per-window z-score. */
async function benchWindows(nativeRate: number, analysisRate: number): Promise<void> {
  const blocks = [...signalBlocks(nativeRate)];
  const config = defaultFeatureConfig(analysisRate);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let windows = 0;
  const open = async function* () {
    yield* blocks;
  };
  for await (const _ of streamFeatureWindows(open, nativeRate, SECONDS * nativeRate, config)) windows++;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `streamFeatureWindows ${nativeRate} → ${analysisRate} Hz: ${seconds.toFixed(2)} s, ${windows} windows, ` +
      `${(SECONDS / seconds).toFixed(0)}× real time (CPU ${cpuSeconds.toFixed(2)} s → ${(SECONDS / cpuSeconds).toFixed(0)}×)`,
  );
}

bench(48000, 48000);
bench(96000, 48000);
bench(44100, 48000);
await benchWindows(48000, 48000);
await benchWindows(96000, 48000);
