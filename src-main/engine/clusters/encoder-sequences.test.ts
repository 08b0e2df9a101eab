import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultFeatureConfig } from '../features';
import { putEmbeddings } from '../store/embeddings';
import { ensureFeatureConfig } from '../store/feature-configs';
import { createModel } from '../store/models';
import { upsertScannedRecording } from '../store/recordings';
import { createTempProject, scannedWav, type TempProject } from '../store/test-helpers';
import { listWindows, replaceWindows } from '../store/windows';
import { encoderSequences } from './encoder-sequences';
import { sequenceAt } from './sequences';

describe('encoder representation', () => {
  let project: TempProject;
  let rec: number;
  beforeEach(() => {
    project = createTempProject('sonotype-encoder-seq-');
    rec = upsertScannedRecording(project.db, scannedWav('a.wav')).id;
  });
  afterEach(() => project.cleanup());

  it('refuses readably without embeddings', () => {
    expect(() => encoderSequences(project.db, [{ recordingId: rec, startSample: 0, endSample: 100 }])).toThrow(/detect --embed/);
  });

  it('takes the windows whose centres lie in each region, in time order, else the most overlapping one', () => {
    const { db } = project;
    const config = defaultFeatureConfig(48_000);
    const fc = ensureFeatureConfig(db, config);
    // Ten windows of 1000 samples with a 500-sample stride.
    replaceWindows(db, rec, fc, Array.from({ length: 10 }, (_, i) => ({
      index: i, startFrame: i * 16, startSample: i * 500, endSample: i * 500 + 1000, startNativeSample: i * 500, endNativeSample: i * 500 + 1000,
      startSeconds: 0, endSeconds: 0, padded: false,
    })));
    const encoder = createModel(db, { kind: 'encoder-v3', featureConfigId: fc, normalisation: {} });
    putEmbeddings(db, encoder.id, listWindows(db, rec, fc).map((w) => ({ windowId: w.id, vector: Float32Array.of(w.index, -w.index) })));
    const { set } = encoderSequences(db, [
      { recordingId: rec, startSample: 900, endSample: 2300 }, // centres 1000, 1500, 2000 → windows 1, 2, 3
      { recordingId: rec, startSample: 3100, endSample: 3200 }, // no centre inside: window 5 overlaps [2500, 3500) … and 6 [3000,4000) equally → the first
    ]);
    expect(set.dim).toBe(2);
    expect(Array.from(sequenceAt(set, 0))).toEqual([1, -1, 2, -2, 3, -3]);
    expect(Array.from(sequenceAt(set, 1))).toEqual([5, -5]);
  });
});
