/**
 * Which checkpoint a resumed job starts from, and what becomes of checkpoints
 * once a job has succeeded: neither its own nor those of the job it continued
 * are of further use, so their rows are cleared (in the job's final
 * transaction) and their folders removed.
 */
import { dirname } from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from '../store/database';
import { getJob } from '../store/jobs';
import { jobCheckpointDir, pruneCheckpoints, readCheckpoint, resolveCheckpointPath, setJobCheckpointPath } from './checkpoint-store';
import type { ResumePoint } from './task-context';

/**
 * The last checkpoint of job `fromJobId`, for a new job of `kind` to continue
 * from; null when it ended before its first checkpoint (start over). Refuses
 * an unknown job, another kind, a job still running and one that succeeded.
 */
export function loadResumePoint(db: ProjectDb, kind: string, fromJobId: number): ResumePoint | null {
  const from = getJob(db, fromJobId);
  if (!from) throw new SonotypeError('NOT_FOUND', `Job ${fromJobId} does not exist in this project; there is nothing to resume.`);
  if (from.kind !== kind) {
    throw new SonotypeError('INVALID_ARGUMENT', `Job ${fromJobId} is a ${from.kind} job; it cannot be resumed as a ${kind} job.`);
  }
  if (from.state === 'queued' || from.state === 'running') {
    throw new SonotypeError('INVALID_ARGUMENT', `Job ${fromJobId} has not ended yet; cancel it before resuming it.`);
  }
  if (from.state === 'succeeded') {
    throw new SonotypeError('INVALID_ARGUMENT', `Job ${fromJobId} already finished successfully; there is nothing to resume.`);
  }
  if (from.checkpointPath === null) return null; // it failed before its first checkpoint: start over
  return readCheckpoint(resolveCheckpointPath(db.path, from.checkpointPath), fromJobId);
}

/** Clears the checkpoint rows of a succeeded job and of the job it continued (call inside its final transaction). */
export function forgetCheckpointsOfSucceeded(db: ProjectDb, jobId: number, resume: ResumePoint | null): void {
  setJobCheckpointPath(db, jobId, null);
  if (resume) setJobCheckpointPath(db, resume.jobId, null);
}

/** Removes the checkpoint folders of a succeeded job and of the job it continued, once the database no longer names them. */
export function removeCheckpointsOfSucceeded(dbPath: string, jobId: number, resume: ResumePoint | null): void {
  pruneCheckpoints(jobCheckpointDir(dbPath, jobId), null);
  if (!resume) return;
  // The checkpoint it started from may sit in an earlier job's folder (a resume of a resume).
  pruneCheckpoints(jobCheckpointDir(dbPath, resume.jobId), null);
  const folder = dirname(resume.dir);
  if (dirname(folder) === dirname(jobCheckpointDir(dbPath, jobId))) pruneCheckpoints(folder, null);
}
