import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLabel } from '../store/labels';
import { upsertScannedRecording } from '../store/recordings';
import { createTempProject, scannedWav, type TempProject } from '../store/test-helpers';
import { parseAnnotationTable } from './parse-table';
import { writeReferenceTruth } from './reference-truth';

let project: TempProject;
beforeEach(() => {
  project = createTempProject('sonotype-reference-');
});
afterEach(() => project.cleanup());

describe('reference truth for evaluation', () => {
  it('holds the reference sounds only (no silence, no ordinary labels), readable as a truth table', async () => {
    const rec = upsertScannedRecording(project.db, scannedWav('site/a.wav')).id; // 48 kHz
    createLabel(project.db, { recordingId: rec, startSample: 48_000, endSample: 96_000, value: 'sound', soundType: 'whistle', source: 'imported', reference: true });
    createLabel(project.db, { recordingId: rec, startSample: 0, endSample: 24_000, value: 'silence', source: 'imported', reference: true });
    createLabel(project.db, { recordingId: rec, startSample: 120_000, endSample: 144_000, value: 'sound', source: 'human' });
    const file = path.join(project.dir, 'truth.csv');
    expect(await writeReferenceTruth(project.db, file)).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('recording,start_s,end_s,label\nsite/a.wav,1.000000,2.000000,whistle\n');
    const parsed = parseAnnotationTable(readFileSync(file), 'truth.csv');
    expect(parsed.rows[0]).toMatchObject({ recordingRefs: ['site/a.wav'], startSeconds: 1, endSeconds: 2, soundType: 'whistle' });
  });
});
