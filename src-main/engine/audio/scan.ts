/**
 * Scans a folder tree for recordings: finds audio files (following symlinks
 * without looping), hashes and probes each, and reports broken files as
 * per-file errors so one bad file never stops a scan.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AudioInfo } from '../../../src-shared/audio-types';
import { SonotypeError, toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';
import { hasSupportedExtension } from './formats';
import { throwIfAborted, toFileError } from './fs-errors';
import { hashFile } from './hash';
import { probeAudio } from './probe';

export interface ScannedFile {
  /** Path relative to the scanned folder, with forward slashes. */
  relPath: string;
  absPath: string;
  sizeBytes: number;
  mtimeMs: number;
  /** Hex SHA-256 of the bytes; null when the file could not be read. */
  hash: string | null;
  status: 'ok' | 'error';
  error?: ErrorInfo;
  info?: AudioInfo;
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Returns a known hash for an unchanged file (same path, size, mtime) so it is not re-read. */
  hashCache?: (relPath: string, sizeBytes: number, mtimeMs: number) => string | undefined;
  /** Called before each file is processed (progress reporting). */
  onFile?: (relPath: string) => void;
  /** Called for each sub-folder that cannot be read (its recordings cannot be listed). */
  onUnreadableFolder?: (relPath: string, error: ErrorInfo) => void;
}

/** Folders that SD cards and OS trash create; never recordings. */
const SKIPPED_DIRS = new Set(['.trashes', '.spotlight-v100', '.fseventsd', '.temporaryitems', '$recycle.bin', 'system volume information']);

function isSkippedFile(name: string): boolean {
  // `._*` are macOS AppleDouble resource forks; `sonotype.db*` is our own project database (+ -wal/-shm).
  return name.startsWith('._') || name.toLowerCase().startsWith('sonotype.db');
}

/**
 * Absolute paths of every supported audio file under `root`, recursively,
 * sorted by relative path. Symlinked folders are followed, but each real
 * folder is visited once, so link loops terminate. Unreadable sub-folders are
 * reported to `onUnreadableFolder` (path relative to `root`) and skipped.
 * Throws NOT_FOUND / INVALID_ARGUMENT when `root` is not a folder.
 */
export async function listAudioFiles(root: string, onUnreadableFolder?: (relPath: string, error: ErrorInfo) => void): Promise<string[]> {
  const rootStat = await stat(root).catch((error: unknown) => {
    throw toFileError(error, root);
  });
  if (!rootStat.isDirectory()) throw new SonotypeError('INVALID_ARGUMENT', `Not a folder: ${root}`);
  const visited = new Set<string>();
  const found: string[] = [];
  const pending = [path.resolve(root)];
  while (pending.length) {
    const dir = pending.pop() as string;
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      continue;
    }
    if (visited.has(real)) continue;
    visited.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // Unreadable folder: its recordings cannot be listed; say so rather than skip it silently.
      if (dir === path.resolve(root)) throw toFileError(error, root);
      onUnreadableFolder?.(toRelPath(path.resolve(root), dir), toErrorInfo(toFileError(error, dir)));
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => null); // broken links are ignored
        isDir = !!target?.isDirectory();
        isFile = !!target?.isFile();
      }
      if (isDir && !SKIPPED_DIRS.has(entry.name.toLowerCase())) pending.push(full);
      else if (isFile && !isSkippedFile(entry.name) && hasSupportedExtension(entry.name)) found.push(full);
    }
  }
  const base = path.resolve(root);
  return found.sort((a, b) => toRelPath(base, a).localeCompare(toRelPath(base, b)));
}

function toRelPath(root: string, absPath: string): string {
  return path.relative(root, absPath).split(path.sep).join('/');
}

/**
 * Scans `root` and yields one entry per audio file, in path order: size,
 * mtime, SHA-256, stream info, and `status: 'error'` with a coded message for
 * files that cannot be read or decoded. Files are only ever opened read-only.
 * Throws CANCELLED when `signal` aborts.
 */
export async function* scanFolder(root: string, opts: ScanOptions = {}): AsyncGenerator<ScannedFile> {
  const base = path.resolve(root);
  for (const absPath of await listAudioFiles(base, opts.onUnreadableFolder)) {
    throwIfAborted(opts.signal);
    const relPath = toRelPath(base, absPath);
    opts.onFile?.(relPath);
    yield await scanOneFile(absPath, relPath, opts);
  }
}

async function scanOneFile(absPath: string, relPath: string, opts: ScanOptions): Promise<ScannedFile> {
  let sizeBytes = 0;
  let mtimeMs = 0;
  try {
    const st = await stat(absPath);
    sizeBytes = st.size;
    mtimeMs = st.mtimeMs;
  } catch (error) {
    return { relPath, absPath, sizeBytes, mtimeMs, hash: null, status: 'error', error: toErrorInfo(toFileError(error, absPath)) };
  }
  let info: AudioInfo | undefined;
  let error: ErrorInfo | undefined;
  try {
    info = await probeAudio(absPath);
  } catch (probeError) {
    error = toErrorInfo(probeError);
  }
  let hash: string | null = null;
  if (error?.code !== 'UNREADABLE' && error?.code !== 'NOT_FOUND') {
    hash = opts.hashCache?.(relPath, sizeBytes, mtimeMs) ?? null;
    if (!hash) {
      try {
        hash = await hashFile(absPath, opts.signal);
      } catch (hashError) {
        if (hashError instanceof SonotypeError && hashError.code === 'CANCELLED') throw hashError;
        error ??= toErrorInfo(hashError);
      }
    }
  }
  return error
    ? { relPath, absPath, sizeBytes, mtimeMs, hash, status: 'error', error }
    : { relPath, absPath, sizeBytes, mtimeMs, hash, status: 'ok', info };
}
