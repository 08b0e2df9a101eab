/**
 * One damaged file must never stop detection for a whole project. Each
 * recording's own work (decoding, heuristic labels, windows, embedding,
 * regions) runs through `isolateRecording`: when it fails, the recording gets
 * an error row (status 'error' with the reason, shown in the recordings table
 * and by the CLI) and detection goes on with the others. A rescan probes the
 * file again, so a repaired file is retried.
 *
 * Not isolated: cancellation, and database failures (disk full, a locked or
 * damaged project) — those concern the whole project, not one file.
 */
import { SonotypeError, toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';
import type { ProjectDb } from '../store/database';
import { markRecordingFailed, type RecordingRecord } from '../store/recordings';

/** A recording detection had to skip, and why. */
export interface RecordingFailure {
  recordingId: number;
  path: string;
  error: ErrorInfo;
}

/** Errors that are about the whole run, not about one file. */
function concernsWholeRun(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  return error instanceof SonotypeError && (error.code === 'CANCELLED' || error.code === 'DATABASE');
}

/**
 * Runs `work` for one recording. On a per-file failure, records it (on the
 * recording's row and in `failures`) and resolves with undefined.
 */
export async function isolateRecording<T>(
  db: ProjectDb,
  recording: RecordingRecord,
  failures: RecordingFailure[],
  signal: AbortSignal | undefined,
  work: () => Promise<T> | T,
): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (concernsWholeRun(error, signal)) throw error;
    recordFailure(db, recording, failures, error);
    return undefined;
  }
}

/** Records a per-file failure: on the recording's row and in `failures`. */
export function recordFailure(db: ProjectDb, recording: RecordingRecord, failures: RecordingFailure[], error: unknown): void {
  const info = toErrorInfo(error);
  const failure: RecordingFailure = {
    recordingId: recording.id,
    path: recording.path,
    error: { code: info.code === 'INTERNAL' ? 'DECODE_FAILED' : info.code, message: `Detection could not analyse this file: ${info.message}` },
  };
  markRecordingFailed(db, recording.id, failure.error);
  failures.push(failure);
}

/** `recordings` without those that failed. */
export function withoutFailed(recordings: readonly RecordingRecord[], failures: readonly RecordingFailure[]): RecordingRecord[] {
  const failed = new Set(failures.map((f) => f.recordingId));
  return recordings.filter((r) => !failed.has(r.id));
}

/** The error when not a single recording could be analysed. */
export function nothingAnalysable(failures: readonly RecordingFailure[]): SonotypeError {
  const first = failures[0];
  return new SonotypeError(
    'DECODE_FAILED',
    `No recording could be analysed: ${failures.length} failed${first ? ` (first: ${first.path}: ${first.error.message})` : ''}.`,
  );
}
