/**
 * Silence/sound regions from per-frame silence probabilities, in exact native
 * samples, tiling [0, nativeFrames) with alternating kinds.
 *
 * 1. Optional smoothing: a centred moving mean of `smoothingFrames` (odd)
 *    frames' pSilence.
 * 2. A frame is silence when its pSilence ≥ threshold; its cell (frameCell)
 *    takes that kind.
 * 3. Merge: silence between two sound runs shorter than `mergeGapSeconds`
 *    becomes sound. The default (8 ms) is below the 20 ms that separates two
 *    syllables, so they stay two regions.
 * 4. Minimum length: sound shorter than `minSoundSeconds` becomes silence.
 * Steps 3 and 4 never touch a run holding a frame a person labelled (`fixed`):
 * a one-frame split between two syllables that someone marked stays a split.
 * The edges of a person's sound label are the edges of a sound: the model's
 * sound right outside it is another sound, so the frame just outside becomes
 * silence, and silence touching a sound label is never merged away. Without
 * this, a label that starts a few ms before the model's onset shrank the
 * model's gap below the merge gap and glued the labelled syllable to its
 * neighbour (koumura's correction curve fell 0.965 → 0.956 with no retrain
 * adopted); what is left outside the label then meets the minimum length.
 * A region's pSilence is the mean of its frames' (unsmoothed) pSilence (1 for
 * the frames just outside a sound label).
 * O(frames): cheap enough to redraw a one-hour file's regions while a slider moves.
 */
import { checkRegionSettings, invalidRegionSettings, type Region } from '../regions';
import { frameCell, type FrameAnalysis } from './frame-analysis';

export type { FrameRegionParams } from '../../../../src-shared/job-results';
import type { FrameRegionParams } from '../../../../src-shared/job-results';

export const DEFAULT_FRAME_REGION_PARAMS: Readonly<FrameRegionParams> = Object.freeze({
  version: 2,
  threshold: 0.5,
  smoothingFrames: 1,
  mergeGapSeconds: 0.008,
  minSoundSeconds: 0.012,
});

/** Fills in defaults and checks a (possibly stored, untrusted) params object; INVALID_CONFIG names the field. */
export function resolveFrameRegionParams(overrides: Partial<FrameRegionParams> = {}): FrameRegionParams {
  const p: FrameRegionParams = { ...DEFAULT_FRAME_REGION_PARAMS, ...overrides, version: 2 };
  checkRegionSettings(p, { field: 'smoothingFrames', value: p.smoothingFrames });
  return p;
}

interface Run {
  sound: boolean;
  /** Frames [from, to). */
  from: number;
  to: number;
}

/** Regions of one recording from its frames' pSilence (see the file header). */
export function deriveFrameRegions(
  pSilence: Float32Array,
  analysis: Pick<FrameAnalysis, 'fftSize' | 'hopSize' | 'sampleRate'>,
  nativeFrames: number,
  params: Partial<FrameRegionParams> = {},
  fixed?: Int8Array,
): Region[] {
  const p = resolveFrameRegionParams(params);
  const n = pSilence.length;
  if (!Number.isInteger(nativeFrames) || nativeFrames < 0) invalidRegionSettings(`recording length must be a whole number of samples ≥ 0 (got ${nativeFrames}).`);
  if (nativeFrames === 0) return [];
  if (n === 0) return [{ kind: 'silence', startSample: 0, endSample: nativeFrames, startSeconds: 0, endSeconds: nativeFrames / analysis.sampleRate, pSilence: 1 }];
  const half = (p.smoothingFrames - 1) / 2;
  const humanSoundAt = (i: number): boolean => !!fixed && i >= 0 && i < n && fixed[i] === 1;
  // Model frames (no label) right outside a person's sound label: silence, as sure as the label itself.
  const labelEdge = (i: number): boolean => !!fixed && fixed[i] < 0 && (humanSoundAt(i - 1) || humanSoundAt(i + 1));
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + (labelEdge(i) ? 1 : pSilence[i]);
  const silentAt = (i: number): boolean => {
    if (half === 0) return pSilence[i] >= p.threshold;
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half + 1);
    return (prefix[hi] - prefix[lo]) / (hi - lo) >= p.threshold;
  };
  let runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    const sound = !silentAt(i) && !labelEdge(i);
    const last = runs[runs.length - 1];
    if (last && last.sound === sound) last.to = i + 1;
    else runs.push({ sound, from: i, to: i + 1 });
  }
  const rate = analysis.sampleRate;
  const samplesOf = (r: Run) => frameCell(analysis, r.to - 1, n, nativeFrames)[1] - frameCell(analysis, r.from, n, nativeFrames)[0];
  const humanIn = (r: Run): boolean => {
    if (!fixed) return false;
    for (let f = r.from; f < r.to; f++) if (fixed[f] >= 0) return true;
    return false;
  };
  const relabel = (test: (r: Run, i: number) => boolean, sound: boolean): void => {
    const out: Run[] = [];
    runs.forEach((r, i) => {
      const kind = test(r, i) && !humanIn(r) ? sound : r.sound;
      const last = out[out.length - 1];
      if (last && last.sound === kind) last.to = r.to;
      else out.push({ sound: kind, from: r.from, to: r.to });
    });
    runs = out;
  };
  const mergeGap = p.mergeGapSeconds * rate;
  const touchesLabel = (r: Run): boolean => humanSoundAt(r.from - 1) || humanSoundAt(r.to);
  relabel((r, i) => !r.sound && i > 0 && i < runs.length - 1 && samplesOf(r) < mergeGap && !touchesLabel(r), true);
  const minSound = p.minSoundSeconds * rate;
  relabel((r) => r.sound && samplesOf(r) < minSound, false);
  return runs
    .map((r) => {
      const startSample = frameCell(analysis, r.from, n, nativeFrames)[0];
      const endSample = frameCell(analysis, r.to - 1, n, nativeFrames)[1];
      return {
        kind: r.sound ? ('sound' as const) : ('silence' as const),
        startSample, endSample, startSeconds: startSample / rate, endSeconds: endSample / rate,
        pSilence: (prefix[r.to] - prefix[r.from]) / (r.to - r.from),
      };
    })
    .filter((r) => r.endSample > r.startSample);
}
