/**
 * Silence/sound regions from window probabilities, in exact native samples.
 *
 * The original (ORIGINAL_PIPELINE.md §3) mapped window i to [i·4096,
 * (i+1)·4096), skipped each file's last partial minute, merged with a fixed
 * gap and silently dropped single-window regions. Here every step is a
 * parameter stored with the result, and the regions always tile the whole
 * file: first start 0, last end nativeFrames, contiguous, alternating kinds.
 *
 * How a sample gets its probability (windows overlap when stride < length):
 * 1. Optional smoothing: a centred moving average of `smoothingWindows`
 *    (odd) consecutive windows' pSilence, truncated at the file ends (the
 *    average is over the windows that exist).
 * 2. The sample's pSilence is the mean of the (smoothed) pSilence of every
 *    window whose native span [startNativeSample, endNativeSample) contains
 *    it. Samples no window covers (only if the caller passes a gappy list)
 *    count as silence (pSilence 1): there is no evidence of sound there.
 * 3. A sample is silence when its pSilence ≥ threshold (the original called
 *    a window non-silent when p < 0.5).
 *
 * Then, on the runs of equal kind:
 * - merge: a silence run lying between two sound runs and shorter than
 *   `mergeGapSeconds` becomes sound (the original's merge joined non-silent
 *   regions across short gaps). Silence at the very start/end is never merged.
 * - minimum length: afterwards, a sound run shorter than `minSoundSeconds`
 *   becomes silence (it is absorbed by the silence around it). Merging first
 *   means syllables separated by tiny gaps survive as one region.
 * A region's pSilence is the sample-weighted mean of its samples' pSilence.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { WindowSpan } from '../../../src-shared/feature-types';

export type RegionKind = 'silence' | 'sound';

/** Everything that decides window-level regions; serialisable, stored with them. */
export interface RegionParams {
  version: 1;
  /** A sample is silence when its pSilence ≥ threshold. */
  threshold: number;
  /** Centred moving average over this many windows (odd; 1 = no smoothing). */
  smoothingWindows: number;
  /** Silence between two sound regions shorter than this (s) is merged into sound. */
  mergeGapSeconds: number;
  /** Sound regions shorter than this (s) after merging become silence (0 = keep all). */
  minSoundSeconds: number;
}

export const DEFAULT_REGION_PARAMS: Readonly<RegionParams> = Object.freeze({
  version: 1,
  threshold: 0.5,
  smoothingWindows: 1,
  mergeGapSeconds: 0.1,
  minSoundSeconds: 0,
});

/** One window's silence probability; only the native sample span is used. */
export interface WindowProbability {
  span: Pick<WindowSpan, 'startNativeSample' | 'endNativeSample'>;
  pSilence: number;
}

export interface Region {
  kind: RegionKind;
  /** [startSample, endSample) in the recording's native rate. */
  startSample: number;
  endSample: number;
  startSeconds: number;
  endSeconds: number;
  /** Mean pSilence over the region's samples. */
  pSilence: number;
}

/** INVALID_CONFIG for a region setting or input that cannot be used. */
export function invalidRegionSettings(message: string): never {
  throw new SonotypeError('INVALID_CONFIG', `Invalid region settings: ${message}`);
}

/**
 * Checks the settings window-level and frame-level regions share (threshold,
 * smoothing length, merge gap, minimum sound); INVALID_CONFIG names the field.
 */
export function checkRegionSettings(
  p: { threshold: number; mergeGapSeconds: number; minSoundSeconds: number },
  smoothing: { field: string; value: number },
): void {
  if (!(p.threshold >= 0 && p.threshold <= 1)) invalidRegionSettings(`threshold must be between 0 and 1 (got ${p.threshold}).`);
  if (!Number.isInteger(smoothing.value) || smoothing.value < 1 || smoothing.value % 2 === 0) {
    invalidRegionSettings(`${smoothing.field} must be an odd whole number ≥ 1 so the mean is centred (got ${smoothing.value}).`);
  }
  if (!(p.mergeGapSeconds >= 0 && Number.isFinite(p.mergeGapSeconds))) invalidRegionSettings(`mergeGapSeconds must be a number ≥ 0 (got ${p.mergeGapSeconds}).`);
  if (!(p.minSoundSeconds >= 0 && Number.isFinite(p.minSoundSeconds))) invalidRegionSettings(`minSoundSeconds must be a number ≥ 0 (got ${p.minSoundSeconds}).`);
}

/**
 * Fills in defaults and checks a (possibly stored, untrusted) params object.
 * Throws INVALID_CONFIG naming the field.
 */
export function resolveRegionParams(overrides: Partial<RegionParams> = {}): RegionParams {
  const p: RegionParams = { ...DEFAULT_REGION_PARAMS, ...overrides, version: 1 };
  checkRegionSettings(p, { field: 'smoothingWindows', value: p.smoothingWindows });
  return p;
}

/** Centred moving average, truncated at the ends. */
function smooth(values: number[], length: number): number[] {
  if (length <= 1) return values.slice();
  const half = (length - 1) / 2;
  const prefix = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) prefix[i + 1] = prefix[i] + values[i];
  return values.map((_, i) => {
    const lo = Math.max(0, i - half);
    const hi = Math.min(values.length, i + half + 1);
    return (prefix[hi] - prefix[lo]) / (hi - lo);
  });
}

/** A run of samples [start, end) with Σ pSilence over its samples. */
interface Run {
  kind: RegionKind;
  start: number;
  end: number;
  pSum: number;
}

/** Per-sample pSilence as constant cells between window boundaries. */
function cellRuns(windows: readonly WindowProbability[], smoothed: number[], nativeFrames: number, threshold: number): Run[] {
  const events: { at: number; dp: number; dn: number }[] = [];
  windows.forEach((w, i) => {
    const s = Math.max(0, Math.min(nativeFrames, w.span.startNativeSample));
    const e = Math.max(0, Math.min(nativeFrames, w.span.endNativeSample));
    if (e <= s) return;
    events.push({ at: s, dp: smoothed[i], dn: 1 }, { at: e, dp: -smoothed[i], dn: -1 });
  });
  events.push({ at: 0, dp: 0, dn: 0 }, { at: nativeFrames, dp: 0, dn: 0 });
  events.sort((a, b) => a.at - b.at);
  const runs: Run[] = [];
  let sum = 0;
  let count = 0;
  for (let i = 0; i < events.length; i++) {
    sum += events[i].dp;
    count += events[i].dn;
    if (count === 0) sum = 0; // no drift when nothing covers the cell
    const start = events[i].at;
    const end = i + 1 < events.length ? events[i + 1].at : start;
    if (end <= start) continue;
    const p = count > 0 ? Math.min(1, Math.max(0, sum / count)) : 1;
    pushRun(runs, { kind: p >= threshold ? 'silence' : 'sound', start, end, pSum: p * (end - start) });
  }
  return runs;
}

/** Appends a run, joining it to the previous one when the kinds agree. */
function pushRun(runs: Run[], run: Run): void {
  const last = runs[runs.length - 1];
  if (last && last.kind === run.kind && last.end === run.start) {
    last.end = run.end;
    last.pSum += run.pSum;
  } else {
    runs.push({ ...run });
  }
}

/** Rebuilds runs after some changed kind, joining neighbours of equal kind. */
function coalesce(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) pushRun(out, r);
  return out;
}

/**
 * Turns window silence probabilities into regions that tile [0, nativeFrames)
 * exactly (see the file header for the rules). Windows may be in any order and
 * may overlap; spans are clipped to the file.
 */
export function deriveRegions(
  windows: readonly WindowProbability[],
  nativeFrames: number,
  nativeRate: number,
  params: Partial<RegionParams> = {},
): Region[] {
  const p = resolveRegionParams(params);
  if (!Number.isInteger(nativeFrames) || nativeFrames < 0) {
    throw new SonotypeError('INVALID_ARGUMENT', `Recording length must be a whole number of samples ≥ 0 (got ${nativeFrames}).`);
  }
  if (!(nativeRate > 0)) throw new SonotypeError('INVALID_ARGUMENT', `Sample rate must be positive (got ${nativeRate}).`);
  for (const w of windows) {
    if (!(w.pSilence >= 0 && w.pSilence <= 1)) {
      throw new SonotypeError('INVALID_ARGUMENT', `Window silence probability must be between 0 and 1 (got ${w.pSilence}).`);
    }
  }
  if (nativeFrames === 0) return [];

  // Smoothing follows time order, whatever order the caller used.
  const ordered = windows.slice().sort((a, b) => a.span.startNativeSample - b.span.startNativeSample);
  const smoothed = smooth(ordered.map((w) => w.pSilence), p.smoothingWindows);
  let runs = cellRuns(ordered, smoothed, nativeFrames, p.threshold);

  const mergeGap = p.mergeGapSeconds * nativeRate;
  runs = coalesce(
    runs.map((r, i) =>
      r.kind === 'silence' && i > 0 && i < runs.length - 1 && r.end - r.start < mergeGap ? { ...r, kind: 'sound' as const } : r,
    ),
  );
  const minSound = p.minSoundSeconds * nativeRate;
  runs = coalesce(runs.map((r) => (r.kind === 'sound' && r.end - r.start < minSound ? { ...r, kind: 'silence' as const } : r)));

  return runs.map((r) => ({
    kind: r.kind,
    startSample: r.start,
    endSample: r.end,
    startSeconds: r.start / nativeRate,
    endSeconds: r.end / nativeRate,
    pSilence: r.pSum / (r.end - r.start),
  }));
}
