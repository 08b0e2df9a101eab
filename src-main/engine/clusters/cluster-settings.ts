/**
 * What a clustering run is asked for (request: CLI flags, job parameters)
 * and what it actually does (settings: every choice resolved, stored with
 * the run). "auto" choices are made from the regions themselves, never from
 * labels, with the rule written into the settings (`why`).
 *
 * The defaults are what measured best on the dev sets (`npm run bench --
 * cluster`; the figures are in the README's sound-types section).
 */
import { CLUSTER_CHOICES, type ClusterRequestInput } from '../../../src-shared/cluster-types';
import { SonotypeError } from '../../../src-shared/errors';
import { DEFAULT_ACOUSTIC_OPTIONS, type AcousticFrameOptions } from './acoustic-frames';
import { CLUSTER_PRESETS, type CutSpec } from './cut';
import { FRAME_COSTS, type FrameCost } from './dtw';
import { LINKAGES, type Linkage } from './linkage';

export const REPRESENTATIONS = CLUSTER_CHOICES.representation;
export type RepresentationRequest = (typeof REPRESENTATIONS)[number];
export type Representation = Exclude<RepresentationRequest, 'auto'>;

/**
 * What a clustering run is asked for: the contract's request (src-shared/cluster-types.ts). k cuts into k
 * clusters, cutPercentile at a percentile (0–100) of the pairwise distances, cutDistance at a distance; band
 * is the Sakoe–Chiba band as a fraction of the longer region (1 = none); useLabels (default true) lets the
 * project's hand-set types shape the distances (metric learning).
 */
export type ClusterRequest = ClusterRequestInput;

/** The automatic cut: see auto-cut.ts. */
export type CutChoice = CutSpec | { kind: 'auto' };

export interface ClusterSettings {
  representation: Representation;
  acoustic: AcousticFrameOptions;
  distance: { kind: 'dtw'; cost: FrameCost; band: number } | { kind: 'euclidean' };
  linkage: Linkage;
  cut: CutChoice;
  minClusterSize: number;
  useLabels: boolean;
  seed: number;
  /** Detected pieces of one recording closer than this (s) are clustered as one sound (cluster-units.ts); 0 = never. */
  mergeGapSeconds: number;
  /** Under hand-set types: the tree's distances as measured, or joined by the summary-vector distances (constraints.ts). */
  typedDistances: TypedDistances;
  /** Why each automatic choice was made, in words. */
  why: string[];
}

/** What a person's types constrain: the run's distances as measured, or those plus the summary vectors' distances. */
export type TypedDistances = 'as-measured' | 'with-summary';

/** Regions at least this long (median) are normalised per region: long calls differ by contour, not level. */
export const NORMALISE_ABOVE_SECONDS = 0.25;

/** The automatic merge gap is at most this long (s): longer silences separate sounds, whatever their length. */
export const MERGE_GAP_MAX_SECONDS = 0.5;

export const DEFAULT_REQUEST = {
  representation: 'auto',
  linkage: 'complete',
  band: 0.1,
  cost: 'euclidean',
} as const satisfies ClusterRequest;

function fail(message: string): never {
  throw new SonotypeError('INVALID_ARGUMENT', message);
}

/**
 * Checks a request and resolves every choice for regions of these durations
 * (seconds); `handSetTypes` is how many distinct types people gave regions.
 */
export function resolveClusterSettings(request: ClusterRequest, durationsSeconds: readonly number[], handSetTypes = 0): ClusterSettings {
  const why: string[] = [];
  const cuts = [request.k !== undefined, request.cutPercentile !== undefined, request.cutDistance !== undefined, request.preset !== undefined].filter(Boolean).length;
  if (cuts > 1) fail('Choose one way to cut: a number of clusters, a percentile, a distance or a preset.');
  const representationRequest = request.representation ?? DEFAULT_REQUEST.representation;
  if (!REPRESENTATIONS.includes(representationRequest)) fail(`Unknown representation "${representationRequest}" (use ${REPRESENTATIONS.join(', ')}).`);
  const representation: Representation = representationRequest === 'auto' ? 'mfcc' : representationRequest;
  if (representationRequest === 'auto') why.push('representation: MFCC frames with DTW (best or tied-best on every dev set; summary vectors lose the contour of long calls)');

  const preset = request.preset ? CLUSTER_PRESETS[request.preset] : null;
  if (request.preset && !preset) fail(`Unknown preset "${request.preset}" (use tight or loose).`);
  const median = medianOf(durationsSeconds);
  let normalise: boolean;
  if (request.normalise === 'on' || request.normalise === 'off') {
    normalise = request.normalise === 'on';
  } else {
    normalise = median >= NORMALISE_ABOVE_SECONDS;
    why.push(`per-region normalisation ${normalise ? 'on' : 'off'}: median region ${median.toFixed(3)} s ${normalise ? '≥' : '<'} ${NORMALISE_ABOVE_SECONDS} s`);
  }
  const constrained = (request.useLabels ?? true) && handSetTypes >= 2;
  // Under a person's types, syllable-length MFCC regions (not normalised, so their summary keeps spectrum and
  // level) are compared by DTW and summary together (constraints.ts, typedTreeDistances).
  const typedDistances: TypedDistances = constrained && representation === 'mfcc' && !normalise ? 'with-summary' : 'as-measured';
  if (typedDistances === 'with-summary') {
    why.push('hand-set types: the tree is built on DTW plus summary-vector distances (each over its median): per-region normalisation is off, so the summaries keep what DTW of the frames misses');
  }
  let linkage: Linkage;
  if (request.linkage ?? preset?.linkage) {
    linkage = (request.linkage ?? preset?.linkage)!;
  } else if (representation === 'mfcc-summary') {
    linkage = 'ward';
  } else if (constrained && typedDistances === 'with-summary') {
    linkage = 'average';
    why.push('linkage: average (hand-set types constrain the tree on DTW plus summary distances; one example per type on the dev sets, finch ARI 0.989 and koumura 0.980, where weighted linkage gives 0.940 on the finch)');
  } else if (constrained) {
    linkage = 'weighted';
    why.push('linkage: weighted average (hand-set types constrain the tree; it follows them better than complete linkage on the dev sets)');
  } else {
    linkage = DEFAULT_REQUEST.linkage;
  }
  if (!LINKAGES.includes(linkage)) fail(`Unknown linkage "${linkage}" (use ${LINKAGES.join(', ')}).`);
  if (linkage === 'ward' && representation !== 'mfcc-summary') fail('Ward linkage needs Euclidean distances: use it with the mfcc-summary representation.');

  let cut: CutChoice = { kind: 'auto' };
  if (request.k !== undefined) {
    if (!Number.isInteger(request.k) || request.k < 1) fail(`--k must be a whole number ≥ 1 (got ${request.k}).`);
    cut = { kind: 'count', k: request.k };
  } else if (request.cutPercentile !== undefined) {
    if (!(request.cutPercentile >= 0 && request.cutPercentile <= 100)) fail(`The cut percentile must lie in 0…100 (got ${request.cutPercentile}).`);
    cut = { kind: 'percentile', percentile: request.cutPercentile };
  } else if (request.cutDistance !== undefined) {
    if (!(request.cutDistance >= 0)) fail(`The cut distance must be ≥ 0 (got ${request.cutDistance}).`);
    cut = { kind: 'distance', distance: request.cutDistance };
  } else if (preset) {
    cut = preset.cut;
  }
  const minClusterSize = request.minClusterSize ?? preset?.minClusterSize ?? 1;
  if (!Number.isInteger(minClusterSize) || minClusterSize < 1) fail(`The minimum cluster size must be a whole number ≥ 1 (got ${minClusterSize}).`);

  const band = request.band ?? DEFAULT_REQUEST.band;
  if (!(band > 0 && band <= 1)) fail(`The band must be a fraction in (0, 1] (got ${band}).`);
  const cost = request.cost ?? DEFAULT_REQUEST.cost;
  if (!FRAME_COSTS.includes(cost)) fail(`Unknown frame cost "${cost}" (use ${FRAME_COSTS.join(', ')}).`);

  const mergeGapSeconds = resolveMergeGap(request, median, why);
  const acoustic: AcousticFrameOptions = { ...DEFAULT_ACOUSTIC_OPTIONS, kind: representation === 'logmel' ? 'logmel' : 'mfcc', normalise };
  return {
    representation, acoustic, linkage, cut, minClusterSize, useLabels: request.useLabels ?? true, seed: request.seed ?? 1, why, mergeGapSeconds, typedDistances,
    distance: representation === 'mfcc-summary' ? { kind: 'euclidean' } : { kind: 'dtw', cost, band },
  };
}

/**
 * How close two detected pieces must be to count as one sound. Asked for: as asked. Automatic, from the
 * regions' median length (the same criterion as normalisation): calls (median ≥ NORMALISE_ABOVE_SECONDS) are
 * split by the detector wherever their level dips — on the SRKW dev clips 12 calls came out as 21 pieces, with
 * dips of 0.01–0.36 s — so pieces closer than a typical region (at most MERGE_GAP_MAX_SECONDS) are joined;
 * syllables (shorter median) are kept apart, because the silent gaps between them are the boundaries people
 * annotate (10–50 ms in the finch dev sets, shorter than the syllables themselves).
 */
function resolveMergeGap(request: ClusterRequest, median: number, why: string[]): number {
  if (request.mergeGapSeconds !== undefined) {
    if (!(request.mergeGapSeconds >= 0 && Number.isFinite(request.mergeGapSeconds))) fail(`The merge gap must be a number of seconds ≥ 0 (got ${request.mergeGapSeconds}).`);
    return request.mergeGapSeconds;
  }
  if (median < NORMALISE_ABOVE_SECONDS) {
    why.push(`detected pieces kept apart: median region ${median.toFixed(3)} s < ${NORMALISE_ABOVE_SECONDS} s (syllables: the gaps between them are boundaries)`);
    return 0;
  }
  const gap = Math.min(median, MERGE_GAP_MAX_SECONDS);
  why.push(`detected pieces closer than ${gap.toFixed(3)} s joined into one sound: median region ${median.toFixed(3)} s ≥ ${NORMALISE_ABOVE_SECONDS} s (calls: the detector splits a call where its level dips; the gap is the median region, at most ${MERGE_GAP_MAX_SECONDS} s)`);
  return gap;
}

function medianOf(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
