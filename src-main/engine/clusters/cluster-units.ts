/**
 * The regions to cluster: the sound regions of the newest detection after
 * human corrections — parts under a person's label follow the label (a
 * silence label removes them, a sound label replaces them) — plus every
 * human-labelled sound region. Regions shorter than `minSeconds` (a click of
 * the detector's edge) are left out. With `mergeGapSeconds`, detected pieces
 * of one recording closer than that are one unit spanning them (a call the
 * detector split where its level dipped) — never across a person's label.
 */
import type { ProjectDb } from '../store/database';
import { newestSoundRegions } from '../store/cluster-sources';
import { listLabels } from '../store/labels';
import { labelTier } from '../store/machine-labels';
import { listRecordings, type RecordingRecord } from '../store/recordings';
import type { Span } from './identities';

export interface ClusterUnit extends Span {
  /** Relative path of the recording (as `detect --json` prints it). */
  path: string;
  sampleRate: number;
  /** p(silence) of the detected region, when known; 0 for a person's sound label. */
  pSilence: number | null;
  /** Where the region comes from. */
  origin: 'detected' | 'labelled';
  /** How many detected pieces the unit joins (1 unless pieces were merged across short gaps). */
  pieces: number;
}

export interface UnitOptions {
  minSeconds?: number;
  /** Only these recordings (default: every readable one present on disk). */
  recordingIds?: readonly number[];
  /** Join detected pieces separated by less than this (s); 0 or absent = keep them apart. */
  mergeGapSeconds?: number;
}

/** Every region to cluster, by recording and time. */
export function collectClusterUnits(db: ProjectDb, options: UnitOptions = {}): ClusterUnit[] {
  const minSeconds = options.minSeconds ?? 0.01;
  const wanted = options.recordingIds ? new Set(options.recordingIds) : null;
  const recordings = listRecordings(db).filter((r) => r.status === 'ok' && !r.missing && r.sampleRate && (!wanted || wanted.has(r.id)));
  const detected = new Map<number, { startSample: number; endSample: number; p: number | null }[]>();
  for (const row of newestSoundRegions(db)) detected.set(row.recordingId, [...(detected.get(row.recordingId) ?? []), row]);
  const units: ClusterUnit[] = [];
  for (const recording of recordings) {
    const rate = recording.sampleRate!;
    const minSamples = Math.max(1, Math.round(minSeconds * rate));
    const human = listLabels(db, recording.id).filter((l) => labelTier(l) === 'human');
    const covered = mergeRanges(human.map((l) => [l.startSample, l.endSample]));
    let own: ClusterUnit[] = [];
    for (const l of human) {
      if (l.value === 'silence' || l.endSample - l.startSample < minSamples) continue;
      own.push(unit(recording, l.startSample, l.endSample, 0, 'labelled'));
    }
    for (const region of detected.get(recording.id) ?? []) {
      for (const [s, e] of subtract(region.startSample, region.endSample, covered)) {
        if (e - s >= minSamples) own.push(unit(recording, s, e, region.p, 'detected'));
      }
    }
    own.sort((a, b) => a.startSample - b.startSample || a.endSample - b.endSample);
    if (options.mergeGapSeconds) own = joinNearbyPieces(own, options.mergeGapSeconds * rate, covered);
    units.push(...own);
  }
  return units;
}

function unit(recording: RecordingRecord, startSample: number, endSample: number, pSilence: number | null, origin: ClusterUnit['origin']): ClusterUnit {
  return { recordingId: recording.id, path: recording.path, sampleRate: recording.sampleRate!, startSample, endSample, pSilence, origin, pieces: 1 };
}

/**
 * One recording's units (sorted) with consecutive detected pieces joined when the gap between them is shorter
 * than `gapSamples` and no person's label lies in it (a labelled sound is its own unit; a silence label is a
 * boundary someone drew). A joined unit's p(silence) is the length-weighted mean of its pieces'.
 */
export function joinNearbyPieces(units: readonly ClusterUnit[], gapSamples: number, labelled: readonly [number, number][]): ClusterUnit[] {
  const out: ClusterUnit[] = [];
  for (const u of units) {
    const last = out[out.length - 1];
    const gap = last ? u.startSample - last.endSample : Infinity;
    const joinable = last && last.origin === 'detected' && u.origin === 'detected' && gap < gapSamples
      && !labelled.some(([s, e]) => s < u.startSample && e > last.endSample);
    if (!joinable) {
      out.push({ ...u });
      continue;
    }
    const [a, b] = [last.endSample - last.startSample, u.endSample - u.startSample];
    last.pSilence = last.pSilence === null || u.pSilence === null ? null : (last.pSilence * a + u.pSilence * b) / (a + b);
    last.endSample = Math.max(last.endSample, u.endSample);
    last.pieces += u.pieces;
  }
  return out;
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function subtract(start: number, end: number, covers: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let at = start;
  for (const [s, e] of covers) {
    if (e <= at) continue;
    if (s >= end) break;
    if (s > at) out.push([at, s]);
    at = Math.max(at, e);
  }
  if (at < end) out.push([at, end]);
  return out;
}
