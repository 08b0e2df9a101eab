/**
 * The shared storage every worker can read: the folder (NFS/SMB share, a
 * mounted bucket) that holds the season's recordings, plus a work area
 * `.sonotype-work/` for published model weights, large shard results and
 * the noise floors of long recordings analysed in frame ranges.
 *
 * Jobs name files by paths *relative* to this root, so the coordinator and
 * each worker may mount it in different places. A worker resolves every path
 * against its own root and refuses any that leaves it — by `..`, an absolute
 * path, or a symbolic link pointing elsewhere — so a job in Redis cannot make
 * a worker read or write anything outside the folder it was given.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { mkdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';

/** The work area inside the storage root (results, models). */
export const WORK_DIR = '.sonotype-work';
export const RESULTS_DIR = `${WORK_DIR}/results`;
export const MODELS_DIR = `${WORK_DIR}/models`;
/** Noise floors of long recordings cut into frame ranges (the coordinator writes them, workers read them). */
export const FLOORS_DIR = `${WORK_DIR}/floors`;

export interface StorageRoot {
  /** Absolute, symlink-free path of the root. */
  readonly dir: string;
  /** Absolute path of an existing file or folder named by `relPath`; refuses paths outside the root. */
  resolveExisting(relPath: string): Promise<string>;
  /** Absolute path for a file to be written at `relPath` (its folder is created); refuses paths outside the root. */
  resolveForWrite(relPath: string): Promise<string>;
  /** `abs` relative to the root with '/' separators, or null when it is not inside. */
  relativeOf(abs: string): string | null;
}

function outside(relPath: string, why: string): never {
  throw new SonotypeError('INVALID_ARGUMENT', `Refused path '${relPath}': ${why} (it must stay inside the storage root).`);
}

/** Lexical checks every job path must pass before it touches the file system. */
function checkRelativePath(relPath: unknown): string {
  if (typeof relPath !== 'string' || relPath.length === 0) outside(String(relPath), 'not a path');
  if (relPath.includes('\0')) outside(relPath, 'contains a NUL byte');
  if (isAbsolute(relPath) || /^[a-zA-Z]:/.test(relPath) || relPath.startsWith('\\')) outside(relPath, 'absolute path');
  const parts = relPath.split(/[\\/]/);
  if (parts.some((p) => p === '..')) outside(relPath, "contains '..'");
  return parts.filter((p) => p !== '' && p !== '.').join(sep);
}

function isInside(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Opens the storage root `dir` (it must exist and be a folder). */
export function openStorageRoot(dir: string): StorageRoot {
  let root: string;
  try {
    root = realpathSync(resolve(dir));
    if (!statSync(root).isDirectory()) throw new Error('not a folder');
  } catch (cause) {
    throw new SonotypeError('NOT_FOUND', `Storage folder ${resolve(dir)} does not exist or is not a folder.`, { cause });
  }
  return {
    dir: root,
    async resolveExisting(relPath) {
      const abs = join(root, checkRelativePath(relPath));
      let real: string;
      try {
        real = await realpath(abs);
      } catch (cause) {
        throw new SonotypeError('NOT_FOUND', `${relPath} does not exist in the storage folder ${root}.`, { cause });
      }
      if (!isInside(root, real)) outside(relPath, `it resolves to ${real}`);
      return real;
    },
    async resolveForWrite(relPath) {
      const abs = join(root, checkRelativePath(relPath));
      const parent = dirname(abs);
      await mkdir(parent, { recursive: true });
      const real = await realpath(parent);
      if (!isInside(root, real)) outside(relPath, `its folder resolves to ${real}`);
      return join(real, abs.slice(parent.length + 1));
    },
    relativeOf(abs) {
      let real = resolve(abs);
      try {
        real = realpathSync(real);
      } catch {
        // Not there (yet): judge the lexical path.
      }
      return isInside(root, real) ? relative(root, real).split(sep).join('/') : null;
    },
  };
}

/** Writes `bytes` to `abs` atomically (temporary file + rename): a reader never sees half a file. */
export async function writeFileAtomic(abs: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${abs}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, abs);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Creates the work area of a storage root (coordinator side). */
export function ensureWorkArea(root: StorageRoot): void {
  mkdirSync(join(root.dir, RESULTS_DIR), { recursive: true });
  mkdirSync(join(root.dir, MODELS_DIR), { recursive: true });
  mkdirSync(join(root.dir, FLOORS_DIR), { recursive: true });
}
