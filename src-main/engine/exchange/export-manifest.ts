/**
 * Exports never overwrite a researcher's own files. Every export records what
 * it wrote in `.sonotype-export.json` in the output folder; a later export may
 * replace those files, but a file it would write that exists and is not
 * listed (an Audacity track of the same name next to the recordings, say)
 * stops the export before anything is written.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import { writeAtomically } from './export-cluster-wav';

export const EXPORT_MANIFEST = '.sonotype-export.json';

interface Manifest {
  files: string[];
}

function readManifest(outDir: string): Set<string> {
  try {
    const parsed = JSON.parse(readFileSync(path.join(outDir, EXPORT_MANIFEST), 'utf8')) as Partial<Manifest>;
    return new Set(Array.isArray(parsed.files) ? parsed.files.filter((f) => typeof f === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Throws (nothing written) when one of `files` (relative, forward slashes) exists and no earlier export wrote it. */
export function checkOverwrites(outDir: string, files: readonly string[]): void {
  const ours = readManifest(outDir);
  const foreign = files.filter((f) => !ours.has(f) && existsSync(path.join(outDir, ...f.split('/'))));
  if (foreign.length > 0) {
    throw new SonotypeError(
      'INVALID_ARGUMENT',
      `Export stopped, nothing was written: ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ''} ` +
        `already exist${foreign.length === 1 ? 's' : ''} in ${outDir} and ${foreign.length === 1 ? 'was' : 'were'} not written by a Sonotype export. Choose another folder.`,
    );
  }
}

/** Adds `files` to the folder's list of export-written files. */
export async function recordExport(outDir: string, files: readonly string[]): Promise<void> {
  const all = new Set([...readManifest(outDir), ...files]);
  await writeAtomically(path.join(outDir, EXPORT_MANIFEST), JSON.stringify({ files: [...all].sort() }, null, 1) + '\n');
}
