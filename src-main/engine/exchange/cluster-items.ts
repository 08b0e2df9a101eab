/**
 * Which sounds the cluster-wav export writes, and into which group. With a
 * clustering run, every clustered member of the current run goes into its
 * cluster — unless a person's label on the same sound (IoU ≥ 0.5) gives it a
 * sound type, which wins (as everywhere in the sound-type features) — and
 * typed labels that no member matches are added. Without a run, labels go
 * into their sound type (else a cluster a table carried in, else a type name
 * stored as the value).
 */
import type { ProjectDb } from '../store/database';
import type { StoredLabel } from '../store/labels';
import { listRecordings } from '../store/recordings';
import { currentClusterRun } from '../store/sound-clusters';
import type { ClusterItem } from './export-cluster-wav';
import { clusteredMembers, clusterNameMap, clusterOf, matchingMember, type ExportRecording } from './export-labels';

/** The group a label is listened to in: its sound type, else its cluster, else a type name stored as its value. */
export function labelGroup(label: StoredLabel, recording?: ExportRecording): string | null {
  if (label.soundType) return label.soundType;
  const cluster = clusterOf(label, recording);
  if (cluster) return cluster;
  return label.value !== 'silence' && label.value !== 'sound' ? label.value : null;
}

const fromLabel = (r: ExportRecording, l: StoredLabel, group: string): ClusterItem => ({
  recordingPath: r.path, sampleRate: r.sampleRate, startSample: l.startSample, endSample: l.endSample, group, lowHz: l.lowHz, highHz: l.highHz, labelId: l.id,
});

/** The sounds to write; `skipped` counts exported labels that belong to no group. */
export function clusterItems(db: ProjectDb, recordings: readonly ExportRecording[]): { items: ClusterItem[]; skipped: number; byCluster: boolean } {
  const items: ClusterItem[] = [];
  let skipped = 0;
  if (!currentClusterRun(db)) {
    for (const r of recordings) {
      for (const l of r.labels) {
        const group = labelGroup(l, r);
        if (group === null) skipped++;
        else items.push(fromLabel(r, l, group));
      }
    }
    return { items, skipped, byCluster: false };
  }
  const names = clusterNameMap(db);
  const labelsOf = new Map(recordings.map((r) => [r.id, r]));
  for (const rec of listRecordings(db)) {
    if (!rec.sampleRate) continue;
    const exported = labelsOf.get(rec.id);
    const typed = (exported?.labels ?? []).filter((l) => l.soundType !== null && l.value !== 'silence');
    const used = new Set<number>();
    for (const m of clusteredMembers(db, rec.id, names)) {
      const label = matchingMember(typed, m);
      if (label) used.add(label.id);
      items.push({
        recordingPath: rec.path, sampleRate: rec.sampleRate, startSample: m.startSample, endSample: m.endSample,
        group: label?.soundType ?? m.clusterName, lowHz: label?.lowHz ?? null, highHz: label?.highHz ?? null, labelId: label?.id ?? null,
      });
    }
    if (exported) for (const l of typed) if (!used.has(l.id)) items.push(fromLabel(exported, l, l.soundType!));
  }
  return { items, skipped, byCluster: true };
}
