/**
 * Heuristic silence labels: the first labels of a project, before anyone has
 * labelled anything (the original took them from file names, ORIGINAL_PIPELINE.md §3).
 * They are stored as `heuristic` labels; human labels always override them.
 *
 * Algorithm (on the models' own STFT frames: same analysis rate, FFT size
 * and hop as the project's FeatureConfig, dB magnitude):
 * 1. Band. Only bins in [lowHz, highHz) are used. The default drops the
 *    lowest three bins (DC and its Hann leakage into bin 1, slow DC drift
 *    in bin 2), so a DC offset changes nothing; the default keeps the
 *    project's band otherwise, so 1-kHz whale files still work. Set lowHz
 *    (e.g. 1000) to ignore low-frequency wind or flow noise.
 * 2. Digital zeros. A frame whose every analysed bin reads DB_FLOOR (exact
 *    zeros, or a constant DC level) is silence and is left out of the floor
 *    estimate, so recorder lead-ins of zeros neither count as sound nor drag
 *    the floor down.
 * 3. Adaptive per-bin noise floor (pass 1). For each segment of
 *    `segmentSeconds`, a histogram per bin gives the `floorQuantile` (0.2) of
 *    its dB values; the floor of a segment is the per-bin minimum over it and
 *    its two neighbours (minimum statistics: a segment full of song does not
 *    lift the floor), bias-corrected to the mean noise power (noise-floor.ts).
 *    Memory is bins × 400 counters plus bins per segment, whatever the length.
 *    Bins whose floor is DB_FLOOR (empty above a codec or resampler band
 *    limit) are ignored. Everything is relative to the floor, so a −80 dBFS
 *    recording is treated like a loud one.
 * 4. Frame decision (pass 2), with r_b = power / noise floor per bin:
 *    sound when mean_b r_b exceeds the energy threshold (broadband: clicks,
 *    bursts, song) OR max_b r_b exceeds the peak threshold (a spectral-peakiness
 *    test: a whistle 10 dB below the noise in the whole band still stands far
 *    above the floor in its own bin). Each threshold is the larger of a
 *    Gaussian-noise false-alarm bound (frameThresholds) and a fixed margin:
 *    6 dB for energy (band power 4× the noise), 20 dB for the peak. Real
 *    noise is not Gaussian: in the annotated field recordings the loudest of
 *    ~250 bins of sound-free frames reaches 12–17 dB above its floor and the
 *    band energy swings by ±4 dB, so the bare Gaussian bounds (≈11 dB and
 *    ≈1.4 dB) flagged half of all quiet frames. With the margins a tonal
 *    whistle at 0 dB broadband SNR (≈ +20 dB in its own bin) is still found
 *    by the peak test although the energy test misses it.
 * 5. Windows. Window w (frames [w·S, w·S+W), spans from windowSpans) holds k
 *    sound frames; pSilence = 0.5^(k / (minSoundFrames − 0.5)), so a window is
 *    silent (pSilence ≥ 0.5) exactly when k < minSoundFrames (default 2: one
 *    stray frame does not make a window sound).
 * Cost: the audio is decoded and transformed twice (floor, then decisions).
 */
import type { FeatureConfig, WindowSpan } from '../../../src-shared/feature-types';
import {
  DB_FLOOR,
  frameCount,
  resampledLength,
  streamSpectrogram,
  validateFeatureConfig,
  windowCount,
  windowSpan,
  type OpenBlocks,
} from '../features';
import { resolveHeuristicParams, type HeuristicSilenceOptions, type HeuristicSilenceParams } from './heuristic-params';
import { BinHistograms, frameThresholds, quantileToMeanDb } from './noise-floor';

export type { HeuristicSilenceOptions, HeuristicSilenceParams } from './heuristic-params';

export interface HeuristicWindow {
  span: WindowSpan;
  pSilence: number;
  silent: boolean;
  /** Frames judged sound, and real non-zero frames, inside the window. */
  soundFrames: number;
  realFrames: number;
}

export interface HeuristicSilenceResult {
  source: 'heuristic';
  windows: HeuristicWindow[];
  /** Median over segments of the noise RMS in the analysed band, dB re full scale; null if all zeros. */
  noiseFloorDb: number | null;
  frameCount: number;
  zeroFrames: number;
  soundFrames: number;
  params: HeuristicSilenceParams;
}

/** Segments with fewer non-zero frames borrow the floor of their neighbours. */
const MIN_SEGMENT_FRAMES = 20;
const DB_TO_LN = Math.LN10 / 10;

/** True when every value of the frame is the digital-silence floor. */
function isZeroFrame(data: Float32Array, offset: number, binCount: number): boolean {
  for (let b = 0; b < binCount; b++) if (data[offset + b] > DB_FLOOR) return false;
  return true;
}

/** Noise mean per bin (dB, NaN = ignored bin) and thresholds for one segment. */
interface SegmentFloor {
  noiseDb: Float64Array;
  energyRatio: number;
  peakRatio: number;
  bandNoiseDb: number;
}

function segmentFloors(perSegment: (Float64Array | null)[], global: Float64Array, params: HeuristicSilenceParams): (SegmentFloor | null)[] {
  const bias = quantileToMeanDb(params.floorQuantile);
  return perSegment.map((_, s) => {
    const near = [perSegment[s - 1], perSegment[s], perSegment[s + 1]].filter((q): q is Float64Array => !!q);
    if (near.length === 0 && Number.isNaN(global[0])) return null;
    const noiseDb = new Float64Array(params.binCount);
    let live = 0;
    let bandPower = 0;
    for (let b = 0; b < params.binCount; b++) {
      const q = near.length ? Math.min(...near.map((n) => n[b])) : global[b];
      if (q <= DB_FLOOR + 1) noiseDb[b] = NaN;
      else {
        noiseDb[b] = q + bias;
        live++;
        bandPower += 10 ** (noiseDb[b] / 10);
      }
    }
    const t = frameThresholds(live, params);
    // Σ bin powers / 3 = band mean square for the Hann scaling of stft.ts.
    return { noiseDb, ...t, bandNoiseDb: live ? 10 * Math.log10(bandPower / 3) : DB_FLOOR };
  });
}

/**
 * Labels every model window of a recording as silent or not with the
 * adaptive energy/peak detector described in the file header. `openBlocks`
 * is called twice. Spans are exactly those of windowSpans for the samples
 * the decoder delivers (normally nativeFrames).
 */
export async function detectHeuristicSilence(
  openBlocks: OpenBlocks,
  nativeRate: number,
  nativeFrames: number,
  config: FeatureConfig,
  options: HeuristicSilenceOptions = {},
): Promise<HeuristicSilenceResult> {
  const { params, specConfig } = resolveHeuristicParams(validateFeatureConfig(config), options);
  const { binCount } = params;
  const rate = specConfig.analysisSampleRate;
  const segFrames = Math.max(1, Math.round((params.segmentSeconds * rate) / specConfig.hopSize));
  const estimatedFrames = frameCount(resampledLength(nativeFrames, nativeRate, rate), specConfig);
  const segmentCount = Math.max(1, Math.round(estimatedFrames / segFrames));
  const segmentOf = (frame: number): number => Math.min(Math.floor(frame / segFrames), segmentCount - 1);
  const stream = { signal: options.signal };

  // Pass 1: per-segment floor quantiles (memory: two histograms).
  const segHist = new BinHistograms(binCount);
  const globalHist = new BinHistograms(binCount);
  const perSegment: (Float64Array | null)[] = new Array(segmentCount).fill(null);
  let current = 0;
  const closeSegment = (): void => {
    perSegment[current] = segHist.frames >= MIN_SEGMENT_FRAMES ? segHist.quantiles(params.floorQuantile) : null;
    globalHist.addAll(segHist);
    segHist.reset();
  };
  for await (const chunk of streamSpectrogram(openBlocks, nativeRate, specConfig, stream)) {
    for (let i = 0; i < chunk.frames; i++) {
      const s = segmentOf(chunk.startFrame + i);
      if (s !== current) {
        closeSegment();
        current = s;
      }
      if (!isZeroFrame(chunk.data, i * binCount, binCount)) segHist.addFrame(chunk.data, i * binCount);
    }
  }
  closeSegment();
  const floors = segmentFloors(perSegment, globalHist.quantiles(params.floorQuantile), params);

  // Pass 2: frame decisions, counted into windows as soon as each is complete.
  const W = specConfig.windowFrames;
  const S = specConfig.windowStride;
  let flags: number[] = []; // per retained frame: 0 silence, 1 sound, 2 digital zero
  let base = 0;
  let framesSeen = 0;
  let delivered = 0;
  let zeroFrames = 0;
  let soundTotal = 0;
  const counts: { sound: number; real: number }[] = [];
  const countWindow = (w: number, endFrame: number): void => {
    let sound = 0;
    let real = 0;
    for (let f = w * S; f < Math.min(w * S + W, endFrame); f++) {
      const v = flags[f - base];
      if (v !== 2) real++;
      if (v === 1) sound++;
    }
    counts.push({ sound, real });
  };
  const counting: OpenBlocks = async function* () {
    for await (const block of openBlocks()) {
      delivered += block.length;
      yield block;
    }
  };
  for await (const chunk of streamSpectrogram(counting, nativeRate, specConfig, stream)) {
    for (let i = 0; i < chunk.frames; i++) {
      const off = i * binCount;
      const floor = floors[segmentOf(chunk.startFrame + i)];
      let flag = 2;
      if (floor && !isZeroFrame(chunk.data, off, binCount)) {
        let sum = 0;
        let max = 0;
        let live = 0;
        for (let b = 0; b < binCount; b++) {
          const n = floor.noiseDb[b];
          if (Number.isNaN(n)) continue;
          const r = Math.exp((chunk.data[off + b] - n) * DB_TO_LN);
          sum += r;
          if (r > max) max = r;
          live++;
        }
        flag = live > 0 && (sum / live > floor.energyRatio || max > floor.peakRatio) ? 1 : 0;
      }
      if (flag === 2) zeroFrames++;
      if (flag === 1) soundTotal++;
      flags.push(flag);
      framesSeen++;
    }
    while (counts.length * S + W <= framesSeen) countWindow(counts.length, framesSeen);
    const keepFrom = counts.length * S;
    if (keepFrom - base > 4096) {
      flags = flags.slice(keepFrom - base);
      base = keepFrom;
    }
  }
  const total = windowCount(framesSeen, specConfig);
  while (counts.length < total) countWindow(counts.length, framesSeen);

  const analysisSamples = resampledLength(delivered, nativeRate, rate);
  const halfPoint = params.minSoundFrames - 0.5;
  const windows: HeuristicWindow[] = counts.map((c, i) => {
    const pSilence = 0.5 ** (c.sound / halfPoint);
    return {
      span: windowSpan(i, analysisSamples, nativeRate, delivered, specConfig),
      pSilence,
      silent: pSilence >= 0.5,
      soundFrames: c.sound,
      realFrames: c.real,
    };
  });
  const levels = floors.filter((f): f is SegmentFloor => !!f).map((f) => f.bandNoiseDb).sort((a, b) => a - b);
  return {
    source: 'heuristic',
    windows,
    noiseFloorDb: levels.length ? levels[Math.floor((levels.length - 1) / 2)] : null,
    frameCount: framesSeen,
    zeroFrames,
    soundFrames: soundTotal,
    params,
  };
}
