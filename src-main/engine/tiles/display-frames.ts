/**
 * Display spectrogram frames of any part of a recording, read directly at the
 * native rate (no resampling, so nothing to restart and no imaging): frame f
 * needs only native samples [f·hop − lead, f·hop − lead + fft), zeros outside
 * the file (see tile-geometry.ts).
 */
import type { AudioRangeReader } from '../audio/read-range';
import { computeSpectrogram } from '../features';
import { displayStftConfig, type TileGeometry } from './tile-geometry';

/**
 * Native samples [start, start + count) of the shown channel with zeros for
 * positions before 0 or past the end of the file.
 */
export async function readPadded(reader: AudioRangeReader, g: TileGeometry, start: number, count: number, signal?: AbortSignal): Promise<Float32Array> {
  const out = new Float32Array(count);
  const from = Math.max(0, start);
  const to = Math.min(g.nativeFrames, start + count);
  if (to > from) out.set(await reader.read(from, to - from, g.channel, signal), from - start);
  return out;
}

/**
 * Display frames [f0, f1): (f1 − f0) × binCount dB values, identical to those
 * frames of one STFT over the whole (lead-padded) recording.
 */
export async function computeDisplayFrames(reader: AudioRangeReader, g: TileGeometry, f0: number, f1: number, signal?: AbortSignal): Promise<Float32Array> {
  const frames = f1 - f0;
  if (frames <= 0) return new Float32Array(0);
  const samples = await readPadded(reader, g, f0 * g.hopSize - g.leadSamples, (frames - 1) * g.hopSize + g.fftSize, signal);
  const spec = computeSpectrogram(samples, displayStftConfig(g), g.window);
  return spec.data.subarray(0, frames * g.binCount);
}

/**
 * Single display frames at arbitrary positions (for sampled previews), each
 * identical to that frame of the whole STFT. Returns frames.length × binCount
 * values and, per frame, the native samples its column owns ([f·hop, f·hop + hop)
 * clipped to the file), for approximate waveform peaks.
 */
export async function computeDisplayFramesAt(
  reader: AudioRangeReader,
  g: TileGeometry,
  frames: readonly number[],
  signal?: AbortSignal,
): Promise<{ values: Float32Array; owned: Float32Array[] }> {
  const fft = g.fftSize;
  // Each frame's samples clipped to the file; readMany batches the reads of a sampled tile.
  const ranges = frames.map((f) => {
    const start = f * g.hopSize - g.leadSamples;
    const from = Math.max(0, start);
    const to = Math.min(g.nativeFrames, start + fft);
    return { start, startFrame: from, frames: Math.max(0, to - from) };
  });
  const reads = await reader.readMany(ranges.map(({ startFrame, frames: n }) => ({ startFrame, frames: n })), g.channel, signal);
  // Lay the frames end to end (zero-padded to fft each) and run one STFT with hop = fft:
  // the frame analysis does not depend on the hop, so each output frame is one requested frame.
  const joined = new Float32Array(frames.length * fft);
  const owned: Float32Array[] = [];
  reads.forEach((samples, i) => {
    const offset = ranges[i].startFrame - ranges[i].start;
    joined.set(samples, i * fft + offset);
    const own0 = Math.min(fft, g.leadSamples);
    const own1 = Math.min(fft, g.leadSamples + g.hopSize, g.leadSamples + (g.nativeFrames - frames[i] * g.hopSize));
    owned.push(joined.slice(i * fft + own0, i * fft + Math.max(own0, own1)));
  });
  const spec = computeSpectrogram(joined, { ...displayStftConfig(g), hopSize: fft }, g.window);
  return { values: spec.data.subarray(0, frames.length * g.binCount), owned };
}
