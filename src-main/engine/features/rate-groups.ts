/**
 * Rate groups: which analysis rate each recording of a mixed-rate folder is
 * analysed at.
 *
 * Why groups and not one project rate: a folder of 2 kHz whale recordings,
 * 24 kHz humpback and 48 kHz dolphins analysed at one rate either throws away
 * the dolphins' top band (everything at 2 kHz) or upsamples the 2 kHz file 24×
 * (24× the frames, the windows and the compute, and a spectrogram whose calls
 * sit in its bottom pixels). Instead native rates close to each other share
 * one analysis rate (44.1 and 48 kHz, 22.05 and 24 kHz: resampling by ≤ 25 %
 * changes little), and rates further apart get their own. No recording is
 * ever resampled by more than RATE_GROUP_MAX_RATIO in either direction.
 *
 * Groups are decided at the first scan and stored; later scans add rates to a
 * group or add a group but never change an existing recording's rate —
 * windows, embeddings and heads computed at a rate must keep their meaning.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { RateGroup } from '../../../src-shared/feature-types';
import { chooseAnalysisRate, MAX_ANALYSIS_RATE, MIN_ANALYSIS_RATE } from './feature-config';

/** A native rate shares a group's analysis rate when neither is more than this factor above the other. */
export const RATE_GROUP_MAX_RATIO = 1.25;

export type { RateGroup };

function checkRate(rate: number): void {
  if (!Number.isInteger(rate) || rate <= 0) {
    throw new SonotypeError('INVALID_ARGUMENT', `Sample rate ${rate} Hz is not a positive whole number.`);
  }
}

/**
 * The rate a native rate is grouped by: itself, clamped to the analysable
 * range (a 500 Hz file is analysed at 1 kHz, the lowest rate the pipeline takes).
 */
function groupingRate(nativeRate: number): number {
  return Math.min(MAX_ANALYSIS_RATE, Math.max(MIN_ANALYSIS_RATE, nativeRate));
}

/** max(a/b, b/a): how many times one rate is above the other. */
export function rateRatio(a: number, b: number): number {
  return a > b ? a / b : b / a;
}

/** The group whose analysis rate is closest to `nativeRate` within RATE_GROUP_MAX_RATIO, or null. */
function nearestGroup(nativeRate: number, groups: readonly RateGroup[]): RateGroup | null {
  let best: RateGroup | null = null;
  for (const g of groups) {
    const ratio = rateRatio(groupingRate(nativeRate), g.analysisSampleRate);
    if (ratio > RATE_GROUP_MAX_RATIO) continue;
    if (!best || ratio < rateRatio(groupingRate(nativeRate), best.analysisSampleRate)) best = g;
  }
  return best;
}

/**
 * Adds the native rates of a folder (one entry per recording, repeats count)
 * to `existing` groups and returns the new list, sorted by analysis rate.
 * A rate already in a group stays there; a new rate joins the group whose
 * analysis rate is nearest within the ratio; the rest form new groups: the
 * most common remaining rate (ties → higher) becomes a group's analysis rate
 * and takes every remaining rate within the ratio of it, until none is left.
 */
export function assignRateGroups(nativeRates: readonly number[], existing: readonly RateGroup[] = []): RateGroup[] {
  const groups = existing.map((g) => ({ analysisSampleRate: g.analysisSampleRate, nativeRates: [...g.nativeRates] }));
  const known = new Set(groups.flatMap((g) => g.nativeRates));
  const remaining: number[] = [];
  for (const rate of nativeRates) {
    checkRate(rate);
    if (known.has(rate)) continue;
    const joined = nearestGroup(rate, groups);
    if (joined) {
      joined.nativeRates.push(rate);
      known.add(rate);
    } else {
      remaining.push(rate);
    }
  }
  let left = remaining;
  while (left.length > 0) {
    const centre = groupingRate(chooseAnalysisRate(left));
    const members = new Set(left.filter((r) => rateRatio(groupingRate(r), centre) <= RATE_GROUP_MAX_RATIO));
    groups.push({ analysisSampleRate: centre, nativeRates: [...members] });
    left = left.filter((r) => !members.has(r));
  }
  for (const g of groups) g.nativeRates.sort((a, b) => a - b);
  return groups.sort((a, b) => a.analysisSampleRate - b.analysisSampleRate);
}

/**
 * The analysis rate of a recording at `nativeRate`: its group's rate; a rate
 * no stored group holds yet (a file added since the last scan) gets the rate
 * the next scan would give it, as far as it can be known now (the nearest
 * group within the ratio, else its own rate).
 */
export function analysisRateFor(nativeRate: number, groups: readonly RateGroup[]): number {
  checkRate(nativeRate);
  const holder = groups.find((g) => g.nativeRates.includes(nativeRate));
  if (holder) return holder.analysisSampleRate;
  return nearestGroup(nativeRate, groups)?.analysisSampleRate ?? groupingRate(nativeRate);
}
