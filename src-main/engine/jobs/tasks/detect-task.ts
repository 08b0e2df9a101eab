/**
 * 'detect' jobs: detectProject in a worker thread, with its progress
 * forwarded to the job system and cancellation through ctx.signal.
 * Params and result: JOB_KINDS.detect (src-shared/job-kinds.ts).
 */
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import { detectProject } from '../../detection/detect-project';
import type { DetectProgress } from '../../detection/detect-types';
import type { JobContext } from '../task-context';
import { taskProject } from './task-project';
import { getSetting } from '../../store/settings';
import { describeQueueProgress } from '../../distributed/shard-queue';
import { workersStages } from '../../distributed/workers-settings';

/** Forwards a detection progress report to the job (phase, counts, rate, current file). */
export function reportDetectProgress(ctx: Pick<JobContext<'detect' | 'retrain-head'>, 'report'>, p: DetectProgress): void {
  ctx.report({ phase: p.phase, done: p.done, total: p.total, itemsLabel: p.itemsLabel, itemsPerSecond: p.itemsPerSecond, message: p.recording });
}

export async function run(ctx: JobContext<'detect'>, params: JobParams<'detect'>): Promise<JobResult<'detect'>> {
  const project = taskProject(ctx);
  // "Run on workers": the audio work (frame features; embeddings when asked) is done by `sonotype worker`
  // processes; this job coordinates and is the only one writing to the project.
  const stages = params.onWorkers
    ? workersStages(getSetting(project.db, 'workers'), project.audioRoot, {
        log: (line) => ctx.report({ message: line }),
        onQueueProgress: (p) => ctx.report({ message: describeQueueProgress(p) }),
      })
    : undefined;
  const result = await detectProject(project, {
    signal: ctx.signal,
    regionParams: params.regionParams,
    retrainHead: params.retrainHead,
    seed: params.seed,
    embed: params.embed,
    backend: params.backend,
    ...stages,
    // On workers the queue's own line (live workers, ETA) is the message.
    onProgress: (p) => (stages ? ctx.report({ phase: p.phase, done: p.done, total: p.total, itemsLabel: p.itemsLabel, itemsPerSecond: p.itemsPerSecond }) : reportDetectProgress(ctx, p)),
  });
  return {
    model: result.head.description,
    head: result.head,
    headVersion: result.head.version,
    regionParams: result.regionParams,
    work: result.work,
    retrain: result.retrain,
    seconds: result.seconds,
    failures: result.failures,
    recordings: result.recordings.map((r) => {
      const silent = r.regions.filter((g) => g.kind === 'silence').reduce((s, g) => s + g.endSample - g.startSample, 0);
      return {
        recordingId: r.recordingId, path: r.path, frames: r.frames,
        soundRegions: r.regions.filter((g) => g.kind === 'sound').length,
        silenceFraction: r.nativeFrames > 0 ? silent / r.nativeFrames : 1,
      };
    }),
  };
}
