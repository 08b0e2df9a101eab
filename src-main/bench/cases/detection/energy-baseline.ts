/**
 * The baseline the issue asks day-one detection to beat: a plain energy
 * detector whose band, threshold, merge gap and minimum length are tuned on
 * the very truth it is scored against (so it is an optimistic baseline).
 *
 * Per frame (same 5-ms hop as Sonotype's frames), the energy in a band in dB;
 * a frame is sound when its energy exceeds the file's 10th-percentile energy
 * by `thresholdDb`; runs closer than `mergeGapSeconds` merge; runs shorter
 * than `minSoundSeconds` are dropped. The grid search maximises onset-F1 +
 * balanced accuracy pooled over the set.
 */
import { readAudioBlocks } from '../../../engine/audio';
import { streamSpectrogram, validateFeatureConfig } from '../../../engine/features';
import type { TimeInterval } from '../../../engine/detection/confusion';
import { frameAnalysisFor, frameCell, type FrameAnalysis } from '../../../engine/detection/frames/frame-analysis';
import { addDetectionCounts, detectionCounts, scoresFromCounts, type DetectionScores } from '../../../engine/detection/scoring/detection-metrics';

let MIN_SOUND_GRID = [0];
export function setMinSoundGrid(g: number[]) { MIN_SOUND_GRID = g; }
export interface EnergyFile {
  path: string;
  events: TimeInterval[];
}

export interface EnergyParams {
  lowHz: number;
  highHz: number;
  thresholdDb: number;
  mergeGapSeconds: number;
  minSoundSeconds: number;
}

interface PowerSpectrogram {
  analysis: FrameAnalysis;
  frames: number;
  bins: number;
  binHz: number;
  nativeFrames: number;
  /** Linear power, frames × bins. */
  power: Float32Array;
}

async function powerSpectrogram(path: string, sampleRate: number): Promise<PowerSpectrogram> {
  const analysis = frameAnalysisFor(sampleRate);
  const config = validateFeatureConfig({
    version: 1, analysisSampleRate: sampleRate, channel: 0, fftSize: analysis.fftSize, hopSize: analysis.hopSize,
    magnitude: 'db', band: { lowHz: 0, highHz: sampleRate / 2 }, windowFrames: 1, windowStride: 1, normalisation: 'none',
  });
  const chunks: Float32Array[] = [];
  let delivered = 0;
  const open = async function* () {
    for await (const block of readAudioBlocks(path, { channel: 0 })) {
      delivered += block.length;
      yield block;
    }
  };
  let frames = 0;
  for await (const c of streamSpectrogram(open, sampleRate, config)) {
    chunks.push(c.data);
    frames += c.frames;
  }
  const bins = analysis.fftSize / 2;
  const power = new Float32Array(frames * bins);
  let at = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++) power[at + i] = 10 ** (c[i] / 10);
    at += c.length;
  }
  return { analysis, frames, bins, binHz: sampleRate / analysis.fftSize, nativeFrames: delivered, power };
}

function bandEnergyDb(s: PowerSpectrogram, lowHz: number, highHz: number): Float32Array {
  const lo = Math.max(1, Math.ceil(lowHz / s.binHz));
  const hi = Math.min(s.bins, Math.ceil(highHz / s.binHz));
  const out = new Float32Array(s.frames);
  for (let f = 0; f < s.frames; f++) {
    let p = 1e-20;
    for (let b = lo; b < hi; b++) p += s.power[f * s.bins + b];
    out[f] = 10 * Math.log10(p);
  }
  return out;
}

function percentile(x: Float32Array, q: number): number {
  const s = Float32Array.from(x).sort();
  return s[Math.floor(q * (s.length - 1))];
}

/** Sound regions of one file's band energy under the given threshold and run rules. */
function energyRegions(s: PowerSpectrogram, energy: Float32Array, noise: number, p: EnergyParams): TimeInterval[] {
  const rate = s.analysis.sampleRate;
  const runs: [number, number][] = [];
  for (let f = 0; f < s.frames; f++) {
    if (energy[f] <= noise + p.thresholdDb) continue;
    const [a, b] = frameCell(s.analysis, f, s.frames, s.nativeFrames);
    const last = runs[runs.length - 1];
    if (last && a - last[1] <= p.mergeGapSeconds * rate) last[1] = b;
    else runs.push([a, b]);
  }
  return runs.filter(([a, b]) => b - a >= p.minSoundSeconds * rate).map(([a, b]) => ({ startSeconds: a / rate, endSeconds: b / rate }));
}

export interface TunedBaseline {
  params: EnergyParams;
  scores: DetectionScores;
  combinations: number;
}

/** Tunes the energy detector on `files` (all at `sampleRate`) against their own events. */
export async function tuneEnergyBaseline(files: EnergyFile[], sampleRate: number): Promise<TunedBaseline> {
  const specs = await Promise.all(files.map((f) => powerSpectrogram(f.path, sampleRate)));
  const nyquist = sampleRate / 2;
  const lows = [0, 300, 1000, 2000, 4000].filter((x) => x < nyquist / 2);
  const highs = [nyquist, 12000, 8000, 6000].filter((x) => x <= nyquist);
  let best: TunedBaseline | null = null;
  let combinations = 0;
  for (const lowHz of lows) {
    for (const highHz of highs) {
      if (highHz <= lowHz * 1.5) continue;
      const energies = specs.map((s) => bandEnergyDb(s, lowHz, highHz));
      const noises = energies.map((e) => percentile(e, 0.1));
      for (let thresholdDb = 2; thresholdDb <= 40; thresholdDb += 1) {
        for (const mergeGapSeconds of [0, 0.01, 0.02, 0.05, 0.1]) {
          for (const minSoundSeconds of MIN_SOUND_GRID) {
            const params = { lowHz, highHz, thresholdDb, mergeGapSeconds, minSoundSeconds };
            combinations++;
            const counts = specs.map((s, i) =>
              detectionCounts(energyRegions(s, energies[i], noises[i], params), files[i].events, s.nativeFrames / sampleRate),
            );
            const scores = scoresFromCounts(addDetectionCounts(counts));
            const objective = (scores.onsetF1 ?? 0) + (scores.balancedAccuracy ?? 0);
            if (!best || objective > (best.scores.onsetF1 ?? 0) + (best.scores.balancedAccuracy ?? 0)) best = { params, scores, combinations: 0 };
          }
        }
      }
    }
  }
  return { ...best!, combinations };
}
