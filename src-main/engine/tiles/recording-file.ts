/**
 * Resolves a recording id to its file, refusing anything outside the
 * project's audio root. Media URLs only ever carry numeric ids; the path
 * comes from the database and is checked twice: lexically (no `..` escape)
 * and after resolving symlinks (a link inside the folder pointing elsewhere
 * is refused too).
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import type { Project } from '../project/open-project';
import { getRecording, type RecordingRecord } from '../store/recordings';

export interface RecordingFile {
  recording: RecordingRecord;
  /** Real path of the file (symlinks resolved, inside the real audio root). */
  absPath: string;
  sizeBytes: number;
  mtimeMs: number;
}

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The file of recording `recordingId`. Throws NOT_FOUND (unknown id, missing
 * file, or a path that leads outside the audio root — reported as not found so
 * nothing about other files leaks) or INVALID_ARGUMENT (a recording that failed
 * to scan).
 */
export async function resolveRecordingFile(project: Project, recordingId: number): Promise<RecordingFile> {
  const recording = Number.isSafeInteger(recordingId) && recordingId > 0 ? getRecording(project.db, recordingId) : undefined;
  if (!recording) throw new SonotypeError('NOT_FOUND', `No recording with id ${recordingId} in this project.`);
  if (recording.status !== 'ok') {
    throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} cannot be shown: ${recording.error?.message ?? 'it failed to scan'}.`);
  }
  const outside = new SonotypeError('NOT_FOUND', `Recording ${recordingId} (${recording.path}) is not inside the project's audio folder.`);
  const lexical = project.resolveRecordingPath(recording.path);
  if (!inside(project.audioRoot, lexical)) throw outside;
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await realpath(project.audioRoot);
    realFile = await realpath(lexical);
  } catch {
    throw new SonotypeError('NOT_FOUND', `The file of recording ${recordingId} (${recording.path}) is missing. Rescan the project if it was moved.`);
  }
  if (!inside(realRoot, realFile)) throw outside;
  const info = await stat(realFile);
  if (!info.isFile()) throw new SonotypeError('NOT_FOUND', `${recording.path} is not a file.`);
  return { recording, absPath: realFile, sizeBytes: info.size, mtimeMs: info.mtimeMs };
}
