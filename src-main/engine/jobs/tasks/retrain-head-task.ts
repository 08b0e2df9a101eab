/**
 * 'retrain-head' jobs: retrain the silence head from cached embeddings and
 * the current labels, re-derive every region, and return the held-out
 * before/after confusion matrices for the app's comparison plot.
 * Params: { regionParams?, evaluate?, backend? }.
 */
import { initBackend, type BackendPreference } from '../../models/backend';
import { retrainHead } from '../../detection/retrain-head';
import type { RetrainResult } from '../../detection/detect-types';
import type { RegionParams } from '../../detection/regions';
import type { JobContext } from '../task-context';
import { reportDetectProgress } from './detect-task';
import { taskProject } from './task-project';

export interface RetrainHeadTaskParams {
  regionParams?: Partial<RegionParams>;
  evaluate?: boolean;
  backend?: BackendPreference;
}

export async function run(ctx: JobContext, params: RetrainHeadTaskParams = {}): Promise<RetrainResult & { backend: string }> {
  const backend = await initBackend(params.backend ?? 'auto');
  const result = await retrainHead(taskProject(ctx), {
    signal: ctx.signal,
    regionParams: params.regionParams,
    evaluate: params.evaluate,
    onProgress: (p) => reportDetectProgress(ctx, p),
  });
  return { ...result, backend: `${backend.name} (${backend.reason})` };
}
