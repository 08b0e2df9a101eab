/** The sound-types bench suite: quality on the dev sets and the speed lines (see cluster-quality.ts, cluster-speed.ts). */
import type { BenchSuite } from '../types';
import { CLUSTER_QUALITY_NAMES, runClusterQuality } from './cluster-quality';
import { CLUSTER_SPEED_NAMES, runClusterSpeed } from './cluster-speed';

export const clusterSuite: BenchSuite = {
  names: [...CLUSTER_QUALITY_NAMES, ...CLUSTER_SPEED_NAMES],
  async run(ctx, emit) {
    const wanted = ctx.wanted ?? (() => true);
    if (CLUSTER_QUALITY_NAMES.some(wanted)) await runClusterQuality(ctx, emit, wanted);
    if (CLUSTER_SPEED_NAMES.some(wanted)) await runClusterSpeed(ctx, emit, wanted);
  },
};
