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
 *    In tonal mode (analysis.tonal) the last column, tonalRidge, marks the
 *    frames of faint contours found by the ridge tracker (tonal-ridge.ts),
 *    which follows paths over many frames instead; it stays out of the
 *    classifier's inputs. Without tonal mode it is 0.
 * The band never contains DC (frame-analysis.ts), so a DC offset changes nothing.
 *
 * Both passes run over a frame range, so a long recording can be cut into
 * shards (distributed detect) with results bit-identical to the whole file:
 * ranges start on segment boundaries; pass 1 of each range gives its
 * segments' quantiles and the histogram of its frames, which together give
 * every segment's floor (segmentFloorsOf); pass 2 of a range starts one frame
 * early for the spectral flux, and the ridge tracker starts afresh at every
 * segment. extractFrameFeatures is one range: the whole file.
 */
import { SonotypeError } from '../../../../src-shared/errors';
import type { FeatureConfig } from '../../../../src-shared/feature-types';
import { DB_FLOOR, frameCount, keptBins, streamSpectrogram, type OpenBlocks, type OpenRange } from '../../features';
import { BinHistograms, quantileToMeanDb } from '../noise-floor';
import { frameSpectrogramConfig, type FrameAnalysis } from './frame-analysis';
import { BASE_DIMS, DB_TO_LN, FrameFeatureWriter, LN_TO_DB, TONAL_RIDGE } from './frame-feature-writer';
import { ridgeMask, TonalRidgeTracker } from './tonal-ridge';

export { BAND, BASE_DIMS, BASE_FEATURE_NAMES, HEAD_BASE_DIMS, HEAD_BASE_FEATURE_NAMES, PEAK, TONAL_RIDGE, sumOfLargest } from './frame-feature-writer';

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

/**
 * Frames [firstFrame, endFrame) of a recording; endFrame null: to the end of
 * the file. firstFrame and endFrame lie on segment boundaries, and the last
 * range holds at least one whole segment (frameRanges plans them so).
 */
export interface FrameRange {
  firstFrame: number;
  endFrame: number | null;
}

/** Pass 1 over a range: the noise-floor quantiles of its segments and the histogram of all its frames. */
export interface FloorStatistics {
  firstSegment: number;
  /** Per segment: per-bin quantile (dB), or null when it has too few non-zero frames. */
  perSegment: (Float64Array | null)[];
  histogram: BinHistograms;
}

/** The noise floor of each segment of a recording: dB noise mean per bin (NaN = ignored bin), null = none. */
export type SegmentFloors = (Float64Array | null)[];

/** Pass 2 over a range: its frames' features. */
export interface FeatureRange {
  firstFrame: number;
  frames: number;
  /** frames × BASE_DIMS. */
  data: Float32Array;
  /** Native samples of the whole file, known to the last range only (null for the others). */
  nativeFrames: number | null;
  zeroFrames: number;
}

interface Geometry {
  spec: FeatureConfig;
  bins: number;
  frequenciesHz: Float64Array;
  segFrames: number;
}

function geometryOf(analysis: FrameAnalysis): Geometry {
  const spec = frameSpectrogramConfig(analysis);
  const { binCount: bins, frequenciesHz } = keptBins(spec);
  if (bins < 3) throw new SonotypeError('INVALID_CONFIG', `The detection band ${analysis.lowHz}–${analysis.highHz} Hz holds fewer than 3 frequency bins.`);
  return { spec, bins, frequenciesHz, segFrames: segmentFrames(analysis) };
}

/** Frames per noise-floor segment. */
export function segmentFrames(analysis: FrameAnalysis): number {
  return Math.max(1, Math.round((analysis.floorSegmentSeconds * analysis.sampleRate) / analysis.hopSize));
}

/** Frequency bins of the detection band (the length of each floor). */
export function floorBinCount(analysis: FrameAnalysis): number {
  return geometryOf(analysis).bins;
}

/**
 * How a recording of `nativeFrames` samples is cut into ranges of about
 * `seconds`: whole floor segments, the last range taking the rest (so it is
 * at least one range long). A single range is the whole file.
 */
export function frameRanges(analysis: FrameAnalysis, nativeFrames: number, seconds: number): FrameRange[] {
  const segFrames = segmentFrames(analysis);
  const total = frameCount(nativeFrames, analysis);
  const segSeconds = (segFrames * analysis.hopSize) / analysis.sampleRate;
  let perRange = Math.max(1, Math.round(seconds / segSeconds)) * segFrames;
  // The last range must hold a complete frame before the zero-padded ones at the end.
  const padded = Math.ceil(analysis.fftSize / analysis.hopSize) + 1;
  while (perRange < padded) perRange += segFrames;
  const count = Math.max(1, Math.floor(total / perRange));
  return Array.from({ length: count }, (_, k) => ({ firstFrame: k * perRange, endFrame: k === count - 1 ? null : (k + 1) * perRange }));
}

function checkRange(g: Geometry, range: FrameRange): void {
  const { firstFrame, endFrame } = range;
  const onBoundary = (f: number) => Number.isSafeInteger(f) && f >= 0 && f % g.segFrames === 0;
  if (!onBoundary(firstFrame) || (endFrame !== null && (!onBoundary(endFrame) || endFrame <= firstFrame))) {
    throw new SonotypeError('INVALID_ARGUMENT', `Frame range ${firstFrame}–${endFrame ?? 'end'} does not lie on noise-floor segments of ${g.segFrames} frames.`);
  }
}

/** Native samples to read for frames [from, endFrame) (Infinity: to the end of the file). */
function sampleSpan(analysis: FrameAnalysis, from: number, endFrame: number | null): [number, number] {
  return [from * analysis.hopSize, endFrame === null ? Infinity : (endFrame - 1) * analysis.hopSize + analysis.fftSize];
}

function isZeroFrame(data: Float32Array, offset: number, bins: number): boolean {
  for (let b = 0; b < bins; b++) if (data[offset + b] > DB_FLOOR) return false;
  return true;
}

function endedEarly(frame: number, endFrame: number): never {
  throw new SonotypeError('INVALID_ARGUMENT', `The audio ends at frame ${frame}, before frame ${endFrame} it should reach: the file is shorter than when it was scanned.`);
}

/**
 * Pass 1 over `range`: per-segment floor quantiles (minimum statistics need
 * each segment's own), and the histogram of all its non-zero frames.
 */
export async function floorStatistics(
  openRange: OpenRange,
  analysis: FrameAnalysis,
  range: FrameRange,
  options: { signal?: AbortSignal } = {},
): Promise<FloorStatistics> {
  const g = geometryOf(analysis);
  checkRange(g, range);
  const { bins, segFrames } = g;
  const { firstFrame, endFrame } = range;
  const [start, end] = sampleSpan(analysis, firstFrame, endFrame);
  // A short last segment of the file joins the one before it (its quantiles would be noisy), so the previous histogram is kept.
  let segHist = new BinHistograms(bins);
  let previousHist = new BinHistograms(bins);
  const histogram = new BinHistograms(bins);
  const perSegment: (Float64Array | null)[] = [];
  const quantilesOf = (h: BinHistograms) => (h.frames >= MIN_SEGMENT_FRAMES ? h.quantiles(analysis.floorQuantile) : null);
  const closeSegment = (): void => {
    perSegment.push(quantilesOf(segHist));
    histogram.addAll(segHist);
    [previousHist, segHist] = [segHist, previousHist];
    segHist.reset();
  };
  let frame = firstFrame;
  chunks: for await (const chunk of streamSpectrogram(() => openRange(start, end), analysis.sampleRate, g.spec, options)) {
    for (let i = 0; i < chunk.frames; i++, frame++) {
      if (endFrame !== null && frame >= endFrame) break chunks;
      if (frame > firstFrame && frame % segFrames === 0) closeSegment();
      if (!isZeroFrame(chunk.data, i * bins, bins)) segHist.addFrame(chunk.data, i * bins);
    }
  }
  if (endFrame !== null) {
    if (frame < endFrame) endedEarly(frame, endFrame);
    closeSegment();
  } else if (perSegment.length > 0 && frame % segFrames !== 0 && frame % segFrames < segFrames / 2) {
    previousHist.addAll(segHist);
    histogram.addAll(segHist);
    perSegment[perSegment.length - 1] = quantilesOf(previousHist);
  } else if (frame > firstFrame) closeSegment();
  return { firstSegment: firstFrame / segFrames, perSegment, histogram };
}

/**
 * Every segment's floor from the pass-1 statistics of all ranges of a
 * recording: the minimum of the quantiles of the segment and its two
 * neighbours, bias-corrected; where none of the three has enough frames, the
 * quantile of the whole file.
 */
export function segmentFloorsOf(analysis: FrameAnalysis, parts: readonly FloorStatistics[]): SegmentFloors {
  const bins = geometryOf(analysis).bins;
  const perSegment: (Float64Array | null)[] = [];
  const histogram = new BinHistograms(bins);
  for (const part of [...parts].sort((a, b) => a.firstSegment - b.firstSegment)) {
    if (part.firstSegment !== perSegment.length || part.histogram.binCount !== bins || part.perSegment.some((q) => q && q.length !== bins)) {
      throw new SonotypeError('INVALID_ARGUMENT', `Noise-floor statistics do not fit together (segment ${part.firstSegment} where ${perSegment.length} was expected).`);
    }
    perSegment.push(...part.perSegment);
    histogram.addAll(part.histogram);
  }
  const quantile = analysis.floorQuantile;
  const global = histogram.quantiles(quantile);
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

/** Median over segments of the noise level in the band (dB re full scale); null without any floor. */
export function noiseFloorLevelDb(floors: SegmentFloors): number | null {
  const levels = floors
    .filter((f): f is Float64Array => !!f)
    .map((f) => {
      let p = 0;
      for (const v of f) if (!Number.isNaN(v)) p += Math.exp(v * DB_TO_LN);
      return LN_TO_DB * Math.log(p / 3);
    })
    .sort((a, b) => a - b);
  return levels.length ? levels[Math.floor((levels.length - 1) / 2)] : null;
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
 * Pass 2 over `range`: the features of its frames against the recording's
 * floors (segmentFloorsOf). It reads one frame before the range, whose
 * spectrum the first frame's flux needs.
 */
export async function frameFeaturesOfRange(
  openRange: OpenRange,
  analysis: FrameAnalysis,
  floors: SegmentFloors,
  range: FrameRange,
  options: { signal?: AbortSignal } = {},
): Promise<FeatureRange> {
  const g = geometryOf(analysis);
  checkRange(g, range);
  const { bins, segFrames } = g;
  const { firstFrame, endFrame } = range;
  const primeFrame = Math.max(0, firstFrame - 1);
  const [start, end] = sampleSpan(analysis, primeFrame, endFrame);
  const floorOf = (f: number) => (floors.length ? floors[Math.min(floors.length - 1, Math.floor(f / segFrames))] : null);
  const writer = new FrameFeatureWriter(bins, g.frequenciesHz);
  const ridge = analysis.tonal ? new TonalRidgeTracker(bins) : null;
  const out = new FeatureBuffer();
  let delivered = 0;
  let zeroFrames = 0;
  const counting: OpenBlocks = async function* () {
    for await (const block of openRange(start, end)) {
      delivered += block.length;
      yield block;
    }
  };
  let frame = primeFrame;
  chunks: for await (const chunk of streamSpectrogram(counting, analysis.sampleRate, g.spec, options)) {
    out.reserve(chunk.frames);
    for (let i = 0; i < chunk.frames; i++, frame++) {
      if (endFrame !== null && frame >= endFrame) break chunks;
      if (frame < firstFrame) {
        writer.prime(chunk.data, i * bins);
        continue;
      }
      const at = out.frames++;
      const zero = isZeroFrame(chunk.data, i * bins, bins);
      if (zero) zeroFrames++;
      writer.write(chunk.data, i * bins, zero ? null : floorOf(frame), out.data, at * BASE_DIMS);
      if (ridge) {
        if (frame % segFrames === 0) ridge.restart();
        ridge.push(frame, writer.levels);
      }
    }
  }
  if (ridge) {
    const mask = ridgeMask(ridge.spans, firstFrame, out.frames);
    for (let f = 0; f < out.frames; f++) out.data[f * BASE_DIMS + TONAL_RIDGE] = mask[f];
  }
  let nativeFrames: number | null = null;
  if (endFrame !== null) {
    if (frame < endFrame) endedEarly(frame, endFrame);
  } else {
    nativeFrames = start + delivered;
    // Frames whose window runs past the end hold a cut-off (zero-padded) signal: the step splatters over
    // every bin and would read as a click. They take the features of the last complete frame instead.
    const fft = analysis.fftSize;
    const complete = nativeFrames >= fft ? Math.floor((nativeFrames - fft) / analysis.hopSize) + 1 : 0;
    if (complete > 0 && firstFrame + out.frames > complete) {
      if (complete - 1 < firstFrame) throw new SonotypeError('INTERNAL', `The last frame range starts at ${firstFrame}, after the last complete frame ${complete - 1}.`);
      const last = out.data.slice((complete - 1 - firstFrame) * BASE_DIMS, (complete - firstFrame) * BASE_DIMS);
      for (let f = complete - firstFrame; f < out.frames; f++) out.data.set(last, f * BASE_DIMS);
    }
  }
  return { firstFrame, frames: out.frames, data: out.data.slice(0, out.frames * BASE_DIMS), nativeFrames, zeroFrames };
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
  const whole: OpenRange = (start, end) => {
    if (start !== 0 || end !== Infinity) throw new SonotypeError('INTERNAL', `A whole-file pass asked for samples ${start}–${end}.`);
    return openBlocks();
  };
  const all: FrameRange = { firstFrame: 0, endFrame: null };
  const floors = segmentFloorsOf(analysis, [await floorStatistics(whole, analysis, all, options)]);
  const f = await frameFeaturesOfRange(whole, analysis, floors, all, options);
  return {
    analysis, frames: f.frames, nativeFrames: f.nativeFrames!, dims: BASE_DIMS, data: f.data,
    noiseFloorDb: noiseFloorLevelDb(floors), zeroFrames: f.zeroFrames,
  };
}
