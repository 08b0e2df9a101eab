import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLabel } from '../engine/store/labels';
import { upsertScannedRecording } from '../engine/store/recordings';
import { createTempProject, scannedWav, type TempProject } from '../engine/store/test-helpers';
import { withTruthTable } from './truth-source';

let project: TempProject;
beforeEach(() => {
  project = createTempProject('sonotype-truth-source-');
});
afterEach(() => project.cleanup());

describe('eval --truth <file>|reference', () => {
  it('passes a file through, and turns `reference` into a table of the reference sounds for the time of the evaluation', async () => {
    expect(await withTruthTable('some/table.csv', project.db, async (p) => p)).toBe(resolve('some/table.csv'));
    await expect(withTruthTable('reference', project.db, async (p) => p)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/--as reference/) });

    const rec = upsertScannedRecording(project.db, scannedWav('a.wav')).id;
    createLabel(project.db, { recordingId: rec, startSample: 48_000, endSample: 72_000, value: 'sound', soundType: 'SP', source: 'imported', reference: true });
    let seen = '';
    const file = await withTruthTable('reference', project.db, async (p) => {
      seen = readFileSync(p, 'utf8');
      return p;
    });
    expect(seen).toBe('recording,start_s,end_s,label\na.wav,1.000000,1.500000,SP\n');
    expect(existsSync(file)).toBe(false); // removed afterwards
  });
});
