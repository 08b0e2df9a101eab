/**
 * 'tiles' jobs: build and cache the exact spectrogram tile pyramid of the
 * project's recordings (all readable ones, or `recordingIds`), so the review
 * view pages exact tiles at every zoom level without computing them on demand.
 * Each finished recording is a checkpoint: a resumed job skips those.
 */
import { dirname } from 'node:path';
import { SonotypeError } from '../../../../src-shared/errors';
import type { JobParams, JobResult } from '../../../../src-shared/job-kinds';
import type { JobContext } from '../task-context';
import { openProject } from '../../project/open-project';
import { listRecordings } from '../../store/recordings';
import { buildRecordingTilePyramid } from '../../tiles';

/** Params and result: JOB_KINDS.tiles (src-shared/job-kinds.ts). */
export async function run(ctx: JobContext<'tiles'>, params: JobParams<'tiles'>): Promise<JobResult<'tiles'>> {
  const project = await openProject(dirname(ctx.dbPath), { recoverInterruptedJobs: false });
  try {
    const all = listRecordings(project.db).filter((r) => r.status === 'ok' && !r.missing);
    let targets = all;
    if (params.recordingIds !== undefined) {
      const wanted = new Set(params.recordingIds);
      targets = all.filter((r) => wanted.has(r.id));
      const unknown = params.recordingIds.filter((id) => !targets.some((r) => r.id === id));
      if (unknown.length > 0) throw new SonotypeError('NOT_FOUND', `No readable recording with id ${unknown.join(', ')} in this project.`);
    }
    const done = new Set<number>((ctx.resume?.state as { done?: number[] } | null)?.done ?? []);
    const result: JobResult<'tiles'> = { recordingIds: [], tiles: 0, failed: [] };
    ctx.report({ phase: 'building tiles', done: done.size, total: targets.length, itemsLabel: 'recordings' });
    for (const recording of targets) {
      if (done.has(recording.id)) continue;
      ctx.throwIfCancelled();
      ctx.report({ message: recording.path });
      try {
        const built = await buildRecordingTilePyramid(project, recording.id, { signal: ctx.signal, settings: params.display });
        result.tiles += built.tiles;
        result.recordingIds.push(recording.id);
      } catch (error) {
        ctx.throwIfCancelled(); // a failure caused by cancelling is a cancel, not a broken recording
        result.failed.push({ recordingId: recording.id, path: recording.path, message: (error as Error).message });
      }
      done.add(recording.id);
      ctx.report({ done: done.size });
      await ctx.checkpoint({ done: [...done] });
    }
    return result;
  } finally {
    project.close();
  }
}
