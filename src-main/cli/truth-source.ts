/**
 * Where `sonotype eval` takes its truth from: a table file, or `reference`,
 * the project's reference labels (imported with `sonotype import --as
 * reference`), written to a temporary table for the time of the evaluation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SonotypeError } from '../../src-shared/errors';
import type { ProjectDb } from '../engine/store/database';
import { writeReferenceTruth } from '../engine/exchange/reference-truth';

export const REFERENCE_TRUTH = 'reference';

/** Runs `work` with the path of the truth table `truth` names. */
export async function withTruthTable<T>(truth: string, db: ProjectDb, work: (path: string) => Promise<T>): Promise<T> {
  if (truth !== REFERENCE_TRUTH) return work(resolve(truth));
  const dir = await mkdtemp(join(tmpdir(), 'sonotype-reference-truth-'));
  try {
    const file = join(dir, 'reference.csv');
    if ((await writeReferenceTruth(db, file)) === 0) {
      throw new SonotypeError('NOT_FOUND', 'This project has no reference labels: import a table with `sonotype import <table> --as reference` first.');
    }
    return await work(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
