/**
 * What every exporter shares: which labels are exported (by source), grouped
 * per recording in time order; how times and frequencies are written so that
 * reading them back gives the same sample positions; file names per
 * recording; the cluster and the kept columns of a label.
 */
import type { ProjectDb } from '../store/database';
import { listLabels, type StoredLabel } from '../store/labels';
import { listRecordings } from '../store/recordings';
import { currentMembersOfRecording, listSoundClusters, type StoredClusterMember } from '../store/sound-clusters';
import { normaliseHeader } from './column-roles';
import type { ExportSource } from '../../../src-shared/exchange-types';
import { bestMatchByIoU, type SampleSpan } from '../util/sample-spans';

export { EXPORT_SOURCES, type ExportSource } from '../../../src-shared/exchange-types';

export interface ExportRecording {
  id: number;
  /** Relative to the audio root, forward slashes. */
  path: string;
  sampleRate: number;
  frames: number | null;
  labels: StoredLabel[];
  /** Cluster name of each label that matches a member of the current clustering run (label id → name). */
  clusters: Map<number, string>;
}

/** A member of the current clustering run, with its cluster's name. */
export interface NamedClusterMember extends StoredClusterMember {
  clusterName: string;
}

/** Members of the current clustering run in a recording that belong to a cluster, with the cluster names. */
export function clusteredMembers(db: ProjectDb, recordingId: number, names = clusterNameMap(db)): NamedClusterMember[] {
  return currentMembersOfRecording(db, recordingId)
    .filter((m) => m.clusterId !== null && names.has(m.clusterId))
    .map((m) => ({ ...m, clusterName: names.get(m.clusterId!)! }));
}

export function clusterNameMap(db: ProjectDb): Map<number, string> {
  return new Map(listSoundClusters(db, { includeRetired: true }).map((c) => [c.id, c.name]));
}

/** Share of overlap (IoU) a label and a cluster member need to be the same sound (as the sound-type features use). */
const MIN_IOU = 0.5;

/** The member that is the same sound as the span (best IoU ≥ 0.5), if any. */
export function matchingMember<M extends SampleSpan>(members: readonly M[], span: SampleSpan): M | null {
  return bestMatchByIoU(members, span, MIN_IOU);
}

/** Whether a label belongs to an export of `source`. */
export function isExported(label: StoredLabel, source: ExportSource): boolean {
  if (source === 'reference') return label.reference;
  if (label.reference) return false;
  return source === 'all' || label.source === 'human' || label.source === 'imported';
}

/** Recordings with at least one exported label, in path order; labels in time order. */
export function collectExportLabels(db: ProjectDb, source: ExportSource): ExportRecording[] {
  const out: ExportRecording[] = [];
  const names = clusterNameMap(db);
  for (const r of listRecordings(db)) {
    if (!r.sampleRate) continue;
    const labels = listLabels(db, r.id).filter((l) => isExported(l, source));
    if (labels.length === 0) continue;
    const members = clusteredMembers(db, r.id, names);
    const clusters = new Map<number, string>();
    for (const l of labels) {
      const member = matchingMember(members, l);
      if (member) clusters.set(l.id, member.clusterName);
    }
    out.push({ id: r.id, path: r.path, sampleRate: r.sampleRate, frames: r.frames, labels, clusters });
  }
  return out;
}

/**
 * Seconds of a sample position with enough decimals that reading them back
 * and rounding to the nearest sample gives the same position (error ≤ 0.05
 * sample): at least `minDecimals`, more for high sample rates.
 */
export function formatSeconds(sample: number, sampleRate: number, minDecimals = 6): string {
  const decimals = Math.max(minDecimals, Math.ceil(Math.log10(sampleRate)) + 1);
  return (sample / sampleRate).toFixed(decimals);
}

/** A frequency as its shortest exact decimal ("1326.3", "22050"). */
export function formatHz(hz: number): string {
  return String(hz);
}

/** The value of a kept column whose header means `name` (compared as normalised headers), or null. */
export function keptValue(label: StoredLabel, name: string): string | null {
  const key = normaliseHeader(name);
  const pair = label.extras?.find(([header]) => normaliseHeader(header) === key);
  return pair ? pair[1] : null;
}

/**
 * The cluster a label belongs to: the cluster of the current clustering run's
 * member that is the same sound; else the cluster a table carried in (kept
 * column "Cluster"), so a round trip keeps it.
 */
export function clusterOf(label: StoredLabel, recording?: Pick<ExportRecording, 'clusters'>): string | null {
  const current = recording?.clusters.get(label.id);
  if (current) return current;
  const kept = keptValue(label, 'Cluster');
  return kept === null || kept.trim() === '' ? null : kept;
}

/** What a one-text format (Audacity, Raven's Sound Type) writes: the sound type, else the value. */
export function typeOrValue(label: StoredLabel): string {
  return label.soundType ?? label.value;
}

/**
 * Kept columns to write beside `standard` ones: the union over `labels`, in
 * first-seen order, leaving out any whose header means a standard column.
 */
export function extraColumns(labels: readonly StoredLabel[], standard: readonly string[]): string[] {
  const taken = new Set(standard.map(normaliseHeader));
  const names: string[] = [];
  const seen = new Set<string>();
  for (const l of labels) {
    for (const [header] of l.extras ?? []) {
      if (seen.has(header) || taken.has(normaliseHeader(header))) continue;
      seen.add(header);
      names.push(header);
    }
  }
  return names;
}

/** The kept value of column `header` for this label ('' when it has none). */
export function extraCell(label: StoredLabel, header: string): string {
  return label.extras?.find(([h]) => h === header)?.[1] ?? '';
}

/**
 * One output file per recording (relative path, forward slashes), mirroring
 * the recording's folders under the output folder: `<name without
 * extension><suffix>`; when two recordings of a folder share a name without
 * extension, the extension is kept for both.
 */
export function perRecordingFileNames(recordings: readonly { path: string }[], suffix: string): Map<string, string> {
  const stem = (p: string) => p.replace(/\.[^./]*$/, '');
  const counts = new Map<string, number>();
  for (const r of recordings) counts.set(stem(r.path).toLowerCase(), (counts.get(stem(r.path).toLowerCase()) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const r of recordings) {
    const base = (counts.get(stem(r.path).toLowerCase()) ?? 0) > 1 ? r.path : stem(r.path);
    names.set(r.path, base + suffix);
  }
  return names;
}
