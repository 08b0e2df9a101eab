/**
 * End-to-end clustering quality on a dev set: its audio is copied into a
 * scratch folder (removed after the bench), scanned, detected with the
 * project's detector (no labels: what a researcher gets on day one), and the
 * detected regions clustered with the defaults at k = the true number of
 * types (detected pieces joined into sounds as the defaults choose: the
 * line gives both counts and the gap). Each region takes the label of the truth event it overlaps most;
 * regions overlapping none are left out of the ARI and counted.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchLine } from '../types';
import type { DevSet } from './cluster-dev-sets';
import { clusterProject } from '../../engine/clusters/cluster-project';
import { collectClusterUnits } from '../../engine/clusters/cluster-units';
import { currentClusteringView } from '../../engine/clusters/clustering-view';
import { adjustedRandIndex } from '../../engine/clusters/quality';
import { detectProject } from '../../engine/detection/detect-project';
import { openProject } from '../../engine/project/open-project';
import { scanProject } from '../../engine/project/scan-project';

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The truth event a region overlaps most (same file), or null. */
function truthOf(set: DevSet, path: string, start: number, end: number): { label: string; index: number } | null {
  let best: { label: string; index: number } | null = null;
  let bestOverlap = 0;
  set.items.forEach((t, index) => {
    if (t.file !== path) return;
    const overlap = Math.min(t.endSample, end) - Math.max(t.startSample, start);
    if (overlap > bestOverlap) [bestOverlap, best] = [overlap, { label: t.label, index }];
  });
  return best;
}

export async function clusterEndToEnd(set: DevSet, dir: string, log: (m: string) => void): Promise<BenchLine> {
  const audio = join(dir, 'audio');
  await mkdir(audio, { recursive: true });
  for (const file of set.files) await copyFile(join(set.dir, file), join(audio, file));
  const project = await openProject(join(dir, 'project'), { audioRoot: audio });
  try {
    await scanProject(project);
    const detected = await detectProject(project, {});
    const k = new Set(set.items.map((i) => i.label)).size;
    const run = await clusterProject(project, { k });
    const score = () => {
      const current = currentClusteringView(project.db, null)!;
      const onTruth = current.members.map((m) => ({ m, truth: truthOf(set, m.path, m.startSample, m.endSample) })).filter((x) => x.truth !== null);
      return { view: current, matched: onTruth, ari: adjustedRandIndex(onTruth.map((x) => x.truth!.label), Int32Array.from(onTruth.map((x) => x.m.clusterId ?? -1))) };
    };
    const { view, matched, ari } = score();
    const covered = new Set(matched.map((x) => x.truth!.index));
    log(`${set.name} end to end: ${view.members.length} detected regions, ${matched.length} on truth events, ARI ${ari.toFixed(3)}`);
    // The seeds' representation on the same regions: the encoder's window embeddings (embedded now), DTW.
    let encoder: Record<string, unknown>;
    try {
      await detectProject(project, { embed: true });
      await clusterProject(project, { k, representation: 'encoder' });
      encoder = { ari: round(score().ari) };
    } catch (error) {
      encoder = { error: (error as Error).message };
    }
    return {
      name: `cluster_ari_${set.name}_end_to_end`, value: round(ari), unit: 'ARI', better: 'higher',
      detail: {
        cut: `k = ${k}`, detectedPieces: collectClusterUnits(project.db).length, mergeGapSeconds: round(run.settings.mergeGapSeconds), detectedRegions: view.members.length, regionsOnTruth: matched.length, regionsOffTruth: view.members.length - matched.length,
        truthEventsCovered: round(covered.size / set.items.length), detectSeconds: round(detected.seconds), clusterSeconds: round(run.seconds.total),
        encoderRepresentation: encoder,
      },
    };
  } finally {
    project.close();
  }
}
