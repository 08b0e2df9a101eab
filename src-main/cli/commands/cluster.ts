/**
 * `sonotype cluster [--project P] [--k N | --cut-percentile p | --cut-distance d | --preset tight|loose]
 *  [--representation auto|mfcc|logmel|mfcc-summary|encoder] [--linkage complete|average|single|weighted|ward]
 *  [--min-cluster-size n] [--band f] [--cost euclidean|sqeuclidean|cosine] [--normalise auto|on|off]
 *  [--merge-gap s] [--json]`
 *
 * Clusters the project's sound regions into sound types (in-process, both
 * cores for the distances) and stores the run as the current clustering, with
 * names carried over from the previous one. `--json` prints
 * {"clusters":[{"id","name","members":[{"path","startSeconds","endSeconds"}]}]}
 * (paths relative to the audio root, as `detect --json`; regions left
 * unclustered by --min-cluster-size are not listed).
 *
 * `sonotype types [--project P] [--json]` lists the sound types with counts.
 */
import { CLUSTER_CHOICES } from '../../../src-shared/cluster-types';
import { SonotypeError } from '../../../src-shared/errors';
import type { ClusterRequest } from '../../engine/clusters/cluster-settings';
import { abortOnInterrupt } from '../interrupt';
import { UsageError, EXIT_OK } from '../exit-codes';
import { choiceFlag, choicesHelp, numberFlag } from '../flag-values';
import type { CliCommand } from '../main';
import { formatTable } from '../output';
import { openExistingProject } from './detect';

/** The clustering request given by the flags. */
export function clusterRequestFromFlags(values: Record<string, unknown>): ClusterRequest {
  const request: ClusterRequest = {
    k: numberFlag(values, 'k', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'),
    cutPercentile: numberFlag(values, 'cut-percentile', (n) => n >= 0 && n <= 100, 'a percentile from 0 to 100'),
    cutDistance: numberFlag(values, 'cut-distance', (n) => n >= 0, 'a distance ≥ 0'),
    preset: choiceFlag(values, 'preset', CLUSTER_CHOICES.preset),
    representation: choiceFlag(values, 'representation', CLUSTER_CHOICES.representation),
    linkage: choiceFlag(values, 'linkage', CLUSTER_CHOICES.linkage),
    minClusterSize: numberFlag(values, 'min-cluster-size', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'),
    band: numberFlag(values, 'band', (n) => n > 0 && n <= 1, 'a fraction in (0, 1]'),
    cost: choiceFlag(values, 'cost', CLUSTER_CHOICES.cost),
    normalise: choiceFlag(values, 'normalise', CLUSTER_CHOICES.normalise),
    mergeGapSeconds: numberFlag(values, 'merge-gap', (n) => n >= 0, 'a number of seconds ≥ 0'),
  };
  const cuts = ['k', 'cut-percentile', 'cut-distance', 'preset'].filter((f) => values[f] !== undefined);
  if (cuts.length > 1) throw new UsageError(`choose one of --k, --cut-percentile, --cut-distance, --preset (got ${cuts.map((c) => `--${c}`).join(' and ')})`);
  return Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined)) as ClusterRequest;
}

export const clusterCommand: CliCommand = {
  name: 'cluster',
  synopsis:
    `cluster [--project <dir>] [--k N | --cut-percentile p | --cut-distance d | --preset ${choicesHelp(CLUSTER_CHOICES.preset)}] ` +
    `[--representation ${choicesHelp(CLUSTER_CHOICES.representation)}] [--linkage ${choicesHelp(CLUSTER_CHOICES.linkage)}] [--min-cluster-size n] [--merge-gap s] [--json]   sound types: cluster the sound regions`,
  options: {
    project: { type: 'string' },
    json: { type: 'boolean', default: false },
    k: { type: 'string' },
    'cut-percentile': { type: 'string' },
    'cut-distance': { type: 'string' },
    preset: { type: 'string' },
    representation: { type: 'string' },
    linkage: { type: 'string' },
    'min-cluster-size': { type: 'string' },
    band: { type: 'string' },
    cost: { type: 'string' },
    normalise: { type: 'string' },
    'merge-gap': { type: 'string' },
  },
  async run({ positionals, values, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (cluster works on the whole project; use --project <dir>)`);
    const request = clusterRequestFromFlags(values);
    const project = await openExistingProject(values.project as string | undefined);
    const stop = abortOnInterrupt();
    try {
      const { clusterProject } = await import('../../engine/clusters/cluster-project');
      const { currentClusteringView } = await import('../../engine/clusters/clustering-view');
      const tty = Boolean(process.stderr.isTTY);
      const result = await clusterProject(project, request, {
        signal: stop.signal,
        onProgress: tty ? (p) => process.stderr.write(`\r${p.phase} ${p.done}/${p.total} ${p.itemsLabel}`.padEnd(80)) : undefined,
      });
      if (tty) process.stderr.write('\r'.padEnd(80) + '\r');
      const view = currentClusteringView(project.db, null);
      if (!view) throw new SonotypeError('INTERNAL', 'The clustering was not stored.');
      const clusters = view.clusters.map((c) => ({
        id: c.id,
        name: c.name,
        members: view.members.filter((m) => m.clusterId === c.id).map((m) => ({
          path: m.path, startSeconds: m.startSample / m.sampleRate, endSeconds: m.endSample / m.sampleRate,
        })),
      }));
      if (values.json) {
        io.out(JSON.stringify({ clusters }));
      } else {
        io.out(formatTable(['cluster', 'name', 'regions'], clusters.map((c) => [String(c.id), c.name, String(c.members.length)])));
        io.out(
          `${result.regions} regions → ${result.clusters} clusters (${result.unclustered} unclustered); ${result.settings.representation}, ` +
            `${result.settings.linkage} linkage, cut ${describeCut(result.cut)}; ${result.seconds.total.toFixed(1)} s`,
        );
        for (const line of result.settings.why) io.out(`  ${line}`);
      }
      return EXIT_OK;
    } finally {
      stop.release();
      project.close();
    }
  },
};

function describeCut(cut: { kind: string; distance: number; k?: number; silhouette?: number } & Record<string, unknown>): string {
  if (cut.auto) return `automatic (k = ${cut.k}, silhouette ${Number(cut.silhouette).toFixed(2)})`;
  if (cut.kind === 'count') return `k = ${cut.k}`;
  if (cut.kind === 'percentile') return `${String(cut.percentile)}th percentile (distance ${cut.distance.toFixed(3)})`;
  return `distance ${cut.distance.toFixed(3)}`;
}

export const typesCommand: CliCommand = {
  name: 'types',
  synopsis: 'types [--project <dir>] [--json]   sound types with their counts (clustered regions, hand-set labels)',
  options: { project: { type: 'string' }, json: { type: 'boolean', default: false } },
  async run({ positionals, values, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const project = await openExistingProject(values.project as string | undefined);
    try {
      const { soundTypeCounts } = await import('../../engine/clusters/clustering-view');
      const types = soundTypeCounts(project.db);
      if (values.json) {
        io.out(JSON.stringify({ types: types.map((t) => ({ type: t.type, regions: t.regions, labels: t.labels })) }));
      } else if (types.length === 0) {
        io.out('No sound types yet: run `sonotype cluster`, or label sounds with a type.');
      } else {
        io.out(formatTable(['type', 'regions', 'hand-set labels'], types.map((t) => [t.type, String(t.regions), String(t.labels)])));
      }
      return EXIT_OK;
    } finally {
      project.close();
    }
  },
};
