/**
 * End-to-end clustering quality on a dev set: its audio is copied into a
 * scratch folder (removed after the bench), scanned, detected with the
 * project's detector (no labels: what a researcher gets on day one), and the
 * detected regions clustered with the defaults at k = the true number of
 * types. Each region takes the label of the truth event it overlaps most;
 * regions overlapping none are left out of the ARI and counted.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchLine } from '../types';
import type { DevSet } from './cluster-dev-sets';
import { clusterProject } from '../../engine/clusters/cluster-project';
import { currentClusteringView } from '../../engine/clusters/clustering-view';
import { adjustedRandIndex } from '../../engine/clusters/quality';
import { detectProject } from '../../engine/detection/detect-project';
import { openProject } from '../../engine/project/open-project';
import { scanProject } from '../../engine/project/scan-project';

const round = (x: number) => Math.round(x * 1000) / 1000;

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
    const view = currentClusteringView(project.db, null)!;
    const truthOf = (path: string, start: number, end: number) => {
      let best: { label: string; index: number } | null = null;
      let bestOverlap = 0;
      set.items.forEach((t, index) => {
        if (t.file !== path) return;
        const overlap = Math.min(t.endSample, end) - Math.max(t.startSample, start);
        if (overlap > bestOverlap) [bestOverlap, best] = [overlap, { label: t.label, index }];
      });
      return best as { label: string; index: number } | null;
    };
    const matched = view.members.map((m) => ({ m, truth: truthOf(m.path, m.startSample, m.endSample) })).filter((x) => x.truth !== null);
    const covered = new Set(matched.map((x) => x.truth!.index));
    const ari = adjustedRandIndex(matched.map((x) => x.truth!.label), Int32Array.from(matched.map((x) => x.m.clusterId ?? -1)));
    log(`${set.name} end to end: ${view.members.length} detected regions, ${matched.length} on truth events, ARI ${ari.toFixed(3)}`);
    return {
      name: `cluster_ari_${set.name}_end_to_end`, value: round(ari), unit: 'ARI', better: 'higher',
      detail: {
        cut: `k = ${k}`, detectedRegions: view.members.length, regionsOnTruth: matched.length, regionsOffTruth: view.members.length - matched.length,
        truthEventsCovered: round(covered.size / set.items.length), detectSeconds: round(detected.seconds), clusterSeconds: round(run.seconds.total),
      },
    };
  } finally {
    project.close();
  }
}
