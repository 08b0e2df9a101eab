import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canRedo, redoEdit, undoLastEdit } from './label-history';
import { createLabel, listLabels, updateLabel, type StoredLabel } from './labels';
import { mergeLabels, splitLabel } from './label-edits';
import { upsertScannedRecording } from './recordings';
import { createTempProject, scannedWav, type TempProject } from './test-helpers';

let project: TempProject;
let rec: number;
beforeEach(() => {
  project = createTempProject();
  rec = upsertScannedRecording(project.db, scannedWav('a.wav')).id;
});
afterEach(() => project.cleanup());

const ranges = (labels: StoredLabel[]) => labels.map((l) => [l.startSample, l.endSample, l.value]).sort((a, b) => Number(a[0]) - Number(b[0]));

describe('split and merge are single undo steps', () => {
  it('split → undo restores one label → redo splits again', () => {
    const db = project.db;
    const a = createLabel(db, { recordingId: rec, startSample: 100, endSample: 500, value: 'silence' });
    splitLabel(db, a.id, 300);
    expect(ranges(listLabels(db, rec))).toEqual([[100, 300, 'silence'], [300, 500, 'silence']]);
    undoLastEdit(db);
    expect(ranges(listLabels(db, rec))).toEqual([[100, 500, 'silence']]);
    redoEdit(db);
    expect(ranges(listLabels(db, rec))).toEqual([[100, 300, 'silence'], [300, 500, 'silence']]);
    // The create before the split is a separate step.
    undoLastEdit(db);
    undoLastEdit(db);
    expect(listLabels(db, rec)).toEqual([]);
  });

  it('merge → undo restores both labels, also after a restart', () => {
    const db = project.db;
    const a = createLabel(db, { recordingId: rec, startSample: 100, endSample: 200, value: 'sound' });
    const b = createLabel(db, { recordingId: rec, startSample: 250, endSample: 400, value: 'silence' });
    const merged = mergeLabels(db, [a.id, b.id]);
    expect([merged.startSample, merged.endSample, merged.value]).toEqual([100, 400, 'sound']);
    expect(ranges(listLabels(db, rec))).toEqual([[100, 400, 'sound']]);
    const reopened = project.reopen();
    undoLastEdit(reopened);
    expect(ranges(listLabels(reopened, rec))).toEqual([[100, 200, 'sound'], [250, 400, 'silence']]);
    expect(canRedo(reopened)).toBe(true);
    // A new edit discards the redo branch, groups included.
    updateLabel(reopened, a.id, { value: 'whistle' });
    expect(canRedo(reopened)).toBe(false);
  });

  it('refuses impossible edits without changing anything', () => {
    const db = project.db;
    const a = createLabel(db, { recordingId: rec, startSample: 100, endSample: 200, value: 'sound' });
    expect(() => splitLabel(db, a.id, 100)).toThrow(/inside/);
    expect(() => splitLabel(db, a.id, 250)).toThrow(/inside/);
    expect(() => mergeLabels(db, [a.id])).toThrow(/two/);
    expect(() => splitLabel(db, 9999, 150)).toThrow(/does not exist/);
    expect(ranges(listLabels(db, rec))).toEqual([[100, 200, 'sound']]);
  });
});
