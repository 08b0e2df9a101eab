import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneCheckpoints, readCheckpoint, writeCheckpoint } from './checkpoint-store';

let jobDir: string;
beforeEach(() => {
  jobDir = path.join(mkdtempSync(path.join(tmpdir(), 'sonotype-checkpoints-')), 'job-1');
});
afterEach(() => rmSync(path.dirname(jobDir), { recursive: true, force: true }));

describe('checkpoint store', () => {
  it('writes state and files and reads them back', () => {
    const dir = writeCheckpoint(jobDir, 1, { epoch: 3, weights: [0.5, -1] }, { 'weights.bin': new Uint8Array([1, 2, 3]), 'notes.txt': 'hi' });
    expect(readFileSync(path.join(dir, 'weights.bin'))).toEqual(Buffer.from([1, 2, 3]));
    expect(readCheckpoint(dir, 1)).toEqual({ jobId: 1, state: { epoch: 3, weights: [0.5, -1] }, dir, files: ['notes.txt', 'weights.bin'] });
    expect(readdirSync(jobDir)).toEqual([path.basename(dir)]); // no .partial left behind
  });

  it('keeps only the latest checkpoint when pruned, and removes all when done', () => {
    const older = writeCheckpoint(jobDir, 1, { n: 1 });
    const newer = writeCheckpoint(jobDir, 2, { n: 2 });
    pruneCheckpoints(jobDir, newer);
    expect(existsSync(older)).toBe(false);
    expect(readCheckpoint(newer, 1).state).toEqual({ n: 2 });
    pruneCheckpoints(jobDir, null);
    expect(existsSync(jobDir)).toBe(false);
  });

  it('refuses file names that would escape the checkpoint folder or replace its state', () => {
    expect(() => writeCheckpoint(jobDir, 1, {}, { '../evil.bin': 'x' })).toThrow(/plain file name/);
    expect(() => writeCheckpoint(jobDir, 1, {}, { 'state.json': '{}' })).toThrow(/plain file name/);
  });

  it('explains a missing checkpoint', () => {
    expect(() => readCheckpoint(path.join(jobDir, 'checkpoint-000009'), 7)).toThrow(/checkpoint of job 7 is missing/);
  });
});
