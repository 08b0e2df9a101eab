/**
 * Per-frame detection features of one recording, streamed from its audio in
 * two passes (memory: the features, two histograms and one frame; never the
 * whole spectrogram):
 * 1. Noise floor. Per frequency bin, the `floorQuantile` of its dB values
 *    over each `floorSegmentSeconds` segment (histograms, noise-floor.ts),
 *    the minimum over the segment and its two neighbours (minimum
 *    statistics: a segment full of song does not lift the floor), bias-
 *    corrected to the mean noise power. A stationary hum or tone is part of
 *    its bin's floor, so it reads 0 dB "above floor" — the PCEN-like
 *    normalisation of the field, made robust to long sounds. Frames of exact
 *    digital zeros are left out. Bins with no signal at all (above a codec's
 *    band limit) are ignored.
 * 2. Features. With r_b = dB above floor in bin b (clamped at −30 dB):
 *    peak (max over bins of the 3-bin power mean), band (mean power ratio),
 *    share of bins 6 and 12 dB up, top-5 % mean, spectral entropy of the
 *    ratios, positive spectral flux, centroid and peak position of the excess
 *    power, and the excess power in 8 log-spaced sub-bands (which lets a
 *    classifier learn *which* sounds matter from corrections). (A tonal-ridge
 *    feature — the level a bin keeps over three frames — was measured and
 *    dropped: noise ridges reached 14 dB like noise peaks, and as a classifier
 *    input it made koumura's correction curve worse, 0.967 → 0.940 at k = 10.)
 * The band never contains DC (frame-analysis.ts), so a DC offset changes nothing.
 */
import { SonotypeError } from '../../../../src-shared/errors';
import { DB_FLOOR, keptBins, streamSpectrogram, type OpenBlocks } from '../../features';
import { BinHistograms, quantileToMeanDb } from '../noise-floor';
import { frameSpectrogramConfig, type FrameAnalysis } from './frame-analysis';
import { partitionAt } from '../../util/quickselect';

export const BASE_FEATURE_NAMES = [
  'peakDb', 'bandDb', 'share6', 'share12', 'top5Db', 'entropy', 'fluxDb', 'centroid', 'peakPosition',
  'sub1Db', 'sub2Db', 'sub3Db', 'sub4Db', 'sub5Db', 'sub6Db', 'sub7Db', 'sub8Db',
] as const;
export const BASE_DIMS = BASE_FEATURE_NAMES.length;
export const PEAK = 0;
export const BAND = 1;
const SUB_BANDS = 8;
/** Excess below this (dB) is clamped: it only says "quieter than usual". */
const MIN_EXCESS_DB = -30;
const DB_TO_LN = Math.LN10 / 10;
const LN_TO_DB = 10 / Math.LN10;
/** Segments with fewer non-zero frames borrow the floor of their neighbours. */
const MIN_SEGMENT_FRAMES = 20;

/** The features of one recording: frames × BASE_DIMS values, row-major. */
export interface FrameFeatures {
  analysis: FrameAnalysis;
  frames: number;
  /** Native samples the decoder delivered (the frames' cells tile [0, nativeFrames)). */
  nativeFrames: number;
  dims: number;
  data: Float32Array;
  /** Median over segments of the noise level in the band (dB re full scale); null when the file is all zeros. */
  noiseFloorDb: number | null;
  /** Frames of exact digital silence. */
  zeroFrames: number;
}

function isZeroFrame(data: Float32Array, offset: number, bins: number): boolean {
  for (let b = 0; b < bins; b++) if (data[offset + b] > DB_FLOOR) return false;
  return true;
}

/** Per-segment floors (dB noise mean per bin, NaN = ignored bin) from per-segment quantiles. */
function segmentFloors(perSegment: (Float64Array | null)[], global: Float64Array, bins: number, quantile: number): (Float64Array | null)[] {
  const bias = quantileToMeanDb(quantile);
  return perSegment.map((_, s) => {
    const near = [perSegment[s - 1], perSegment[s], perSegment[s + 1]].filter((q): q is Float64Array => !!q);
    if (near.length === 0 && Number.isNaN(global[0])) return null;
    const floor = new Float64Array(bins);
    for (let b = 0; b < bins; b++) {
      let q = Infinity;
      for (const n of near) q = Math.min(q, n[b]);
      if (near.length === 0) q = global[b];
      floor[b] = q <= DB_FLOOR + 1 || Number.isNaN(q) ? NaN : q + bias;
    }
    return floor;
  });
}

/** Sub-band edges (bin indices) on a log-frequency axis. */
function subBandEdges(frequencies: Float64Array): Int32Array {
  const bins = frequencies.length;
  const lo = Math.max(1, frequencies[0]);
  const hi = frequencies[bins - 1];
  const edges = new Int32Array(SUB_BANDS + 1);
  for (let k = 0; k <= SUB_BANDS; k++) {
    const hz = lo * (hi / lo) ** (k / SUB_BANDS);
    let b = 0;
    while (b < bins && frequencies[b] < hz) b++;
    edges[k] = k === SUB_BANDS ? bins : b;
  }
  // Every sub-band gets at least one bin (low bands are narrow on a log axis).
  for (let k = 1; k <= SUB_BANDS; k++) edges[k] = Math.max(edges[k], Math.min(bins, edges[k - 1] + 1));
  return edges;
}

/** Sum of the k largest of values[0, n), by quickselect (values is scratch: reordered). O(n) on average. */
export function sumOfLargest(values: Float64Array, n: number, k: number): number {
  const target = n - k; // values[target …] end up the k largest
  partitionAt(values, target, n);
  let s = 0;
  for (let i = target; i < n; i++) s += values[i];
  return s;
}

/** Computes the features of one frame into out[at …]; scratch buffers are the caller's. */
class FrameFeatureWriter {
  private readonly ratio: Float64Array;
  private readonly excess: Float64Array;
  private readonly sorted: Float64Array;
  private readonly previous: Float32Array;
  private hasPrevious = false;
  private readonly edges: Int32Array;
  /** Excess dB per bin of the frame being written. */
  private readonly level: Float64Array;

  constructor(private readonly bins: number, frequencies: Float64Array) {
    this.ratio = new Float64Array(bins);
    this.excess = new Float64Array(bins);
    this.sorted = new Float64Array(bins);
    this.previous = new Float32Array(bins);
    this.edges = subBandEdges(frequencies);
    this.level = new Float64Array(bins);
  }

  write(x: Float32Array, offset: number, floor: Float64Array | null, out: Float32Array, at: number): void {
    const bins = this.bins;
    const ratio = this.ratio;
    let live = 0;
    let sum = 0;
    let share6 = 0;
    let share12 = 0;
    let flux = 0;
    const level = this.level;
    for (let b = 0; b < bins; b++) {
      const n = floor ? floor[b] : NaN;
      const v = x[offset + b];
      if (this.hasPrevious) flux += Math.max(0, Math.max(v, DB_FLOOR) - this.previous[b]);
      this.previous[b] = v;
      if (Number.isNaN(n)) {
        ratio[b] = NaN;
        level[b] = MIN_EXCESS_DB;
        continue;
      }
      const r = Math.max(MIN_EXCESS_DB, v - n);
      level[b] = r;
      ratio[b] = Math.exp(r * DB_TO_LN);
      this.sorted[live++] = r;
      sum += ratio[b];
      if (r > 6) share6++;
      if (r > 12) share12++;
    }
    this.hasPrevious = true;
    if (live === 0) {
      out.fill(0, at, at + BASE_DIMS);
      out[at + PEAK] = MIN_EXCESS_DB;
      out[at + BAND] = MIN_EXCESS_DB;
      return;
    }
    // Peak: 3-bin power mean (one noisy bin alone is not a peak), and where it is.
    let peak = 0;
    let peakAt = 0;
    let excessSum = 0;
    let centroid = 0;
    for (let b = 0; b < bins; b++) {
      const r = ratio[b];
      if (Number.isNaN(r)) {
        this.excess[b] = 0;
        continue;
      }
      let s = r;
      let c = 1;
      if (b > 0 && !Number.isNaN(ratio[b - 1])) (s += ratio[b - 1]), c++;
      if (b + 1 < bins && !Number.isNaN(ratio[b + 1])) (s += ratio[b + 1]), c++;
      if (s / c > peak) {
        peak = s / c;
        peakAt = b;
      }
      const e = Math.max(0, r - 1);
      this.excess[b] = e;
      excessSum += e;
      centroid += e * b;
    }
    // Entropy of q_b = r_b / Σr without a log per bin: H = ln Σr − Σ r_b ln r_b / Σr, and ln r_b is the dB value we have.
    let rLnR = 0;
    for (let b = 0; b < bins; b++) {
      const r = ratio[b];
      if (!Number.isNaN(r)) rLnR += r * level[b] * DB_TO_LN;
    }
    const entropy = Math.log(sum) - rLnR / sum;
    const topCount = Math.max(1, Math.round(live * 0.05));
    const top = sumOfLargest(this.sorted, live, topCount);
    out[at + PEAK] = LN_TO_DB * Math.log(peak);
    out[at + BAND] = LN_TO_DB * Math.log(sum / live);
    out[at + 2] = share6 / live;
    out[at + 3] = share12 / live;
    out[at + 4] = top / topCount;
    out[at + 5] = live > 1 ? entropy / Math.log(live) : 0;
    out[at + 6] = flux / bins;
    out[at + 7] = excessSum > 0 ? centroid / excessSum / Math.max(1, bins - 1) : 0.5;
    out[at + 8] = peakAt / Math.max(1, bins - 1);
    for (let k = 0; k < SUB_BANDS; k++) {
      let s = 0;
      let c = 0;
      for (let b = this.edges[k]; b < this.edges[k + 1]; b++) {
        if (Number.isNaN(ratio[b])) continue;
        s += ratio[b];
        c++;
      }
      out[at + 9 + k] = c ? LN_TO_DB * Math.log(Math.max(s / c, 1e-3)) : MIN_EXCESS_DB;
    }
  }
}

/** Growable Float32Array for the streamed features. */
class FeatureBuffer {
  data = new Float32Array(BASE_DIMS * 4096);
  frames = 0;
  reserve(frames: number): void {
    const need = (this.frames + frames) * BASE_DIMS;
    if (need <= this.data.length) return;
    const bigger = new Float32Array(Math.max(need, this.data.length * 2));
    bigger.set(this.data.subarray(0, this.frames * BASE_DIMS));
    this.data = bigger;
  }
}

/**
 * Streams the recording twice (`openBlocks` is called twice) and returns its
 * per-frame features (see the file header).
 */
export async function extractFrameFeatures(
  openBlocks: OpenBlocks,
  analysis: FrameAnalysis,
  options: { signal?: AbortSignal } = {},
): Promise<FrameFeatures> {
  const spec = frameSpectrogramConfig(analysis);
  const { binCount: bins, frequenciesHz } = keptBins(spec);
  if (bins < 3) throw new SonotypeError('INVALID_CONFIG', `The detection band ${analysis.lowHz}–${analysis.highHz} Hz holds fewer than 3 frequency bins.`);
  const segFrames = Math.max(1, Math.round((analysis.floorSegmentSeconds * analysis.sampleRate) / analysis.hopSize));
  const stream = { signal: options.signal };

  // Pass 1: per-segment floor quantiles. A short last segment joins the one
  // before it (its quantiles would be noisy), so the previous histogram is kept.
  let segHist = new BinHistograms(bins);
  let previousHist = new BinHistograms(bins);
  const globalHist = new BinHistograms(bins);
  const perSegment: (Float64Array | null)[] = [];
  const quantilesOf = (h: BinHistograms) => (h.frames >= MIN_SEGMENT_FRAMES ? h.quantiles(analysis.floorQuantile) : null);
  const closeSegment = (): void => {
    perSegment.push(quantilesOf(segHist));
    globalHist.addAll(segHist);
    [previousHist, segHist] = [segHist, previousHist];
    segHist.reset();
  };
  let frame = 0;
  for await (const chunk of streamSpectrogram(openBlocks, analysis.sampleRate, spec, stream)) {
    for (let i = 0; i < chunk.frames; i++, frame++) {
      if (frame > 0 && frame % segFrames === 0) closeSegment();
      if (!isZeroFrame(chunk.data, i * bins, bins)) segHist.addFrame(chunk.data, i * bins);
    }
  }
  if (perSegment.length > 0 && frame % segFrames !== 0 && frame % segFrames < segFrames / 2) {
    previousHist.addAll(segHist);
    globalHist.addAll(segHist);
    perSegment[perSegment.length - 1] = quantilesOf(previousHist);
  } else if (frame > 0) closeSegment();
  const floors = segmentFloors(perSegment, globalHist.quantiles(analysis.floorQuantile), bins, analysis.floorQuantile);
  const floorOf = (f: number) => (floors.length ? floors[Math.min(floors.length - 1, Math.floor(f / segFrames))] : null);

  // Pass 2: features.
  const writer = new FrameFeatureWriter(bins, frequenciesHz);
  const out = new FeatureBuffer();
  let delivered = 0;
  let zeroFrames = 0;
  const counting: OpenBlocks = async function* () {
    for await (const block of openBlocks()) {
      delivered += block.length;
      yield block;
    }
  };
  for await (const chunk of streamSpectrogram(counting, analysis.sampleRate, spec, stream)) {
    out.reserve(chunk.frames);
    for (let i = 0; i < chunk.frames; i++) {
      const f = out.frames++;
      const zero = isZeroFrame(chunk.data, i * bins, bins);
      if (zero) zeroFrames++;
      writer.write(chunk.data, i * bins, zero ? null : floorOf(f), out.data, f * BASE_DIMS);
    }
  }
  // Frames whose window runs past the end hold a cut-off (zero-padded) signal: the step splatters over
  // every bin and would read as a click. They take the features of the last complete frame instead.
  const complete = delivered >= analysis.fftSize ? Math.floor((delivered - analysis.fftSize) / analysis.hopSize) + 1 : 0;
  if (complete > 0) {
    const last = out.data.subarray((complete - 1) * BASE_DIMS, complete * BASE_DIMS);
    for (let f = complete; f < out.frames; f++) out.data.set(last, f * BASE_DIMS);
  }
  const levels = floors
    .filter((f): f is Float64Array => !!f)
    .map((f) => {
      let p = 0;
      for (const v of f) if (!Number.isNaN(v)) p += Math.exp(v * DB_TO_LN);
      return LN_TO_DB * Math.log(p / 3);
    })
    .sort((a, b) => a - b);
  return {
    analysis,
    frames: out.frames,
    nativeFrames: delivered,
    dims: BASE_DIMS,
    data: out.data.slice(0, out.frames * BASE_DIMS),
    noiseFloorDb: levels.length ? levels[Math.floor((levels.length - 1) / 2)] : null,
    zeroFrames,
  };
}
