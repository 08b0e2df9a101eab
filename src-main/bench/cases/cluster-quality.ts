/**
 * `npm run bench -- cluster_ari` / `cluster_nn1`: clustering quality on the
 * dev sets of issue #11 (cluster-dev-sets.ts), with the simple baselines in
 * the same run:
 * - segments: the human-annotated segments (orca: whole clips) clustered
 *   with the default settings (what `sonotype cluster` does for regions of
 *   that length), at k = the number of true types and with the automatic
 *   cut; beside them the MFCC-DTW baseline of the issue (MFCC frames,
 *   per-clip mean/variance normalisation, trimmed, DTW without band,
 *   complete linkage) and MFCC mean+std vectors (average and Ward linkage);
 * - one label per type: one random example of each type typed by hand
 *   (5 seeds), then the product's re-clustering (constraints, constrained
 *   cut), beside two alternatives measured on the same draws: nearest typed
 *   example by DTW, and the type head;
 * - end to end: detect (the project's detector, no labels), cluster the
 *   detected regions (k = true types), regions scored against the truth
 *   event they overlap most (coverage reported).
 */
import { join } from 'node:path';
import type { BenchContext, BenchLine } from '../types';
import { devSetsAvailable, loadDevSets, type DevSet } from './cluster-dev-sets';
import { DEFAULT_ACOUSTIC_OPTIONS } from '../../engine/clusters/acoustic-frames';
import { acousticSequences } from '../../engine/clusters/acoustic-sequences';
import { chooseAutoCut } from '../../engine/clusters/auto-cut';
import { resolveClusterSettings } from '../../engine/clusters/cluster-settings';
import { condensedIndex } from '../../engine/clusters/condensed';
import { applyTypeConstraints, constrainedCut, typedTreeDistances } from '../../engine/clusters/constraints';
import { cutIntoCount } from '../../engine/clusters/cut';
import { linkage, type Linkage } from '../../engine/clusters/linkage';
import { euclideanMatrix } from '../../engine/clusters/pairwise';
import { parallelDtwMatrix } from '../../engine/clusters/parallel-pairwise';
import { adjustedRandIndex, nearestNeighbourAccuracy } from '../../engine/clusters/quality';
import { meanStdVectors, unitNormalised, type SequenceSet } from '../../engine/clusters/sequences';
import { predictType, trainTypeHead } from '../../engine/clusters/type-head';
import { createRng } from '../../engine/util/random';
import { clusterEndToEnd } from './cluster-end-to-end';

const round = (x: number) => Math.round(x * 1000) / 1000;
const TARGETS: Record<DevSet['name'], { segments: number; oneLabel: number }> = {
  orca: { segments: 0.6, oneLabel: 0.8 },
  bf_bl26lb16: { segments: 0.9, oneLabel: 0.95 },
  koumura_bird0: { segments: 0.9, oneLabel: 0.95 },
};

export const CLUSTER_QUALITY_NAMES = (['orca', 'bf_bl26lb16', 'koumura_bird0'] as const).flatMap((s) => [
  `cluster_ari_${s}_segments`, `cluster_nn1_${s}_segments`, `cluster_ari_${s}_one_label_per_type`, `cluster_ari_${s}_end_to_end`,
]);

async function dtw(set: SequenceSet, cost: 'euclidean' | 'cosine', band: number): Promise<Float32Array> {
  return (await parallelDtwMatrix(cost === 'cosine' ? unitNormalised(set) : set, { cost, band })).condensed;
}

function ariAtK(condensed: Float32Array, method: Linkage, labels: string[], k: number): number {
  return adjustedRandIndex(labels, cutIntoCount(linkage(condensed, method), k).labels);
}

export async function runClusterQuality(ctx: BenchContext, emit: (line: BenchLine) => void, wanted: (name: string) => boolean): Promise<void> {
  if (!devSetsAvailable()) {
    ctx.log('cluster quality skipped: ../shared/data is absent');
    return;
  }
  for (const set of await loadDevSets()) {
    const labels = set.items.map((i) => i.label);
    const types = [...new Set(labels)];
    const k = types.length;
    const target = TARGETS[set.name];
    const durations = set.items.map((i) => (i.endSample - i.startSample) / i.sampleRate);
    const settings = resolveClusterSettings({}, durations);
    // (The merge gap applies to detected pieces, not to these annotated segments.)
    ctx.log(`${set.name}: ${set.items.length} segments, ${k} types; ${settings.why.filter((w) => !w.startsWith('detected pieces')).join('; ')}`);
    const sequences = await acousticSequences(set.items, settings.acoustic);
    const condensed = await dtw(sequences, 'euclidean', (settings.distance as { band: number }).band);
    const tree = linkage(condensed, settings.linkage);
    const ari = adjustedRandIndex(labels, cutIntoCount(tree, k).labels);
    const auto = chooseAutoCut(tree, condensed, 1);
    const nn1 = nearestNeighbourAccuracy(condensed, labels);

    // Baselines of the same run.
    const baseSeq = await acousticSequences(set.items, { ...DEFAULT_ACOUSTIC_OPTIONS, melBands: 40, normalise: true, trimFraction: 0.3 });
    const baseDtw = await dtw(baseSeq, 'euclidean', 1);
    const baselineDtw = { ari: round(ariAtK(baseDtw, 'complete', labels, k)), nn1: round(nearestNeighbourAccuracy(baseDtw, labels)) };
    const summary = euclideanMatrix(meanStdVectors(await acousticSequences(set.items, { ...DEFAULT_ACOUSTIC_OPTIONS, melBands: 40, normalise: false, includeC0: true })));
    const baselineSummary = {
      averageAri: round(ariAtK(summary, 'average', labels, k)), wardAri: round(ariAtK(summary, 'ward', labels, k)), nn1: round(nearestNeighbourAccuracy(summary, labels)),
    };
    const bestBaseline = Math.max(baselineDtw.ari, baselineSummary.averageAri, baselineSummary.wardAri);
    emit({
      name: `cluster_ari_${set.name}_segments`, value: round(ari), unit: 'ARI', better: 'higher', target: target.segments,
      detail: {
        segments: set.items.length, types: k, cut: `k = ${k} (true number of types)`, settings: { representation: settings.representation, linkage: settings.linkage, normalise: settings.acoustic.normalise },
        automaticCut: { k: auto.k, ari: round(adjustedRandIndex(labels, auto.flat.labels)) },
        baselineMfccDtw: baselineDtw, baselineMeanStd: baselineSummary, bestBaseline, atLeastBestBaseline: round(ari) >= bestBaseline,
      },
    });
    emit({ name: `cluster_nn1_${set.name}_segments`, value: round(nn1), unit: 'accuracy', better: 'higher', detail: { baselineMfccDtw: baselineDtw.nn1, baselineMeanStd: baselineSummary.nn1 } });

    if (wanted(`cluster_ari_${set.name}_one_label_per_type`)) emit(oneLabelPerType(set, labels, types, condensed, sequences, durations, target.oneLabel));
    if (wanted(`cluster_ari_${set.name}_end_to_end`)) emit(await clusterEndToEnd(set, join(ctx.tmpDir, `e2e-${set.name}`), ctx.log));
  }
}

/** One typed example per type (5 random draws): constrained re-clustering vs nearest example vs type head. */
function oneLabelPerType(set: DevSet, labels: string[], types: string[], condensed: Float32Array, sequences: SequenceSet, durations: number[], target: number): BenchLine {
  const n = labels.length;
  const seeds = [1, 2, 3, 4, 5];
  const scores = { constrained: 0, constrainedMeasuredOnly: 0, nearestExample: 0, typeHead: 0 };
  // The product's settings for these regions with the person's types (cluster-project.ts does the same).
  const settings = resolveClusterSettings({}, durations, types.length);
  const vectors = meanStdVectors(sequences);
  const vectorOf = (i: number) => vectors.data.subarray(i * vectors.dim, (i + 1) * vectors.dim);
  for (const seed of seeds) {
    const rng = createRng(seed);
    const typed = new Array<string | null>(n).fill(null);
    const examples = types.map((t) => {
      const of = labels.map((l, i) => (l === t ? i : -1)).filter((i) => i >= 0);
      const pick = of[Math.floor(rng() * of.length)];
      typed[pick] = t;
      return pick;
    });
    const constrainedMatrix = typedTreeDistances(condensed, n, settings.typedDistances, vectors.data).matrix;
    applyTypeConstraints(constrainedMatrix, n, typed);
    scores.constrained += adjustedRandIndex(labels, constrainedCut(linkage(constrainedMatrix, settings.linkage), 1).labels);
    // Before this rule: the measured (DTW) distances alone, weighted linkage.
    const measuredOnly = Float32Array.from(condensed);
    applyTypeConstraints(measuredOnly, n, typed);
    scores.constrainedMeasuredOnly += adjustedRandIndex(labels, constrainedCut(linkage(measuredOnly, 'weighted'), 1).labels);
    const nearest = labels.map((_, i) => {
      let best = 0;
      let bestD = Infinity;
      examples.forEach((e, k) => {
        const d = i === e ? 0 : condensed[condensedIndex(n, i, e)];
        if (d < bestD) [bestD, best] = [d, k];
      });
      return best;
    });
    scores.nearestExample += adjustedRandIndex(labels, Int32Array.from(nearest));
    const { model } = trainTypeHead(examples.map(vectorOf), examples.map((i) => labels[i]));
    const predicted = labels.map((_, i) => model.types.indexOf(predictType(model, vectorOf(i)).type));
    scores.typeHead += adjustedRandIndex(labels, Int32Array.from(predicted));
  }
  const mean = (x: number) => round(x / seeds.length);
  return {
    name: `cluster_ari_${set.name}_one_label_per_type`, value: mean(scores.constrained), unit: 'ARI', better: 'higher', target,
    detail: {
      method: 'hand-set types as cannot/must-link constraints, cut below the first constraint-breaking merge (what re-clustering does)',
      typedDistances: settings.typedDistances, linkage: settings.linkage,
      draws: seeds.length, constrainedMeasuredDistancesOnly: mean(scores.constrainedMeasuredOnly), nearestTypedExample: mean(scores.nearestExample), typeHead: mean(scores.typeHead),
    },
  };
}
