/**
 * Undo per window: two windows editing one project each undo their own
 * edits; one never removes the other's label (it used to), a step whose label
 * another window changed since is refused with a reason, and the edits of a
 * window that has gone (or of an earlier run) are shared, so undo still works
 * across restarts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerEditClient, withEditClient } from './edit-clients';
import { canRedo, canUndo, redoEdit, undoLastEdit } from './label-history';
import { createLabel, getLabel, updateLabel } from './labels';
import { upsertScannedRecording } from './recordings';
import { createTempProject, scannedWav, type TempProject } from './test-helpers';

let project: TempProject;
let recordingId: number;
beforeEach(() => {
  project = createTempProject('sonotype-edit-clients-');
  recordingId = upsertScannedRecording(project.db, scannedWav('a.wav')).id;
});
afterEach(() => project.cleanup());

const label = (startSample: number) => ({ recordingId, startSample, endSample: startSample + 100, value: 'sound', source: 'human' as const, author: null });

describe('undo per window', () => {
  it('each window undoes and redoes its own edits only', () => {
    const { db } = project;
    const a = registerEditClient();
    const b = registerEditClient();
    try {
      const fromA = withEditClient(a.id, () => createLabel(db, label(0)));
      const fromB = withEditClient(b.id, () => createLabel(db, label(1000)));
      // A's undo removes A's label, not B's newer one.
      expect(withEditClient(a.id, () => undoLastEdit(db))?.labelId).toBe(fromA.id);
      expect(getLabel(db, fromA.id)!.deleted).toBe(true);
      expect(getLabel(db, fromB.id)!.deleted).toBe(false);
      expect(withEditClient(a.id, () => canUndo(db))).toBe(false);
      expect(withEditClient(b.id, () => canUndo(db))).toBe(true);
      // B's new edit does not throw away A's redo.
      withEditClient(b.id, () => createLabel(db, label(2000)));
      expect(withEditClient(a.id, () => canRedo(db))).toBe(true);
      expect(withEditClient(a.id, () => redoEdit(db))?.labelId).toBe(fromA.id);
      expect(getLabel(db, fromA.id)!.deleted).toBe(false);
    } finally {
      a.release();
      b.release();
    }
  });

  it("refuses to undo a step whose label another window changed since, until that window undoes its change", () => {
    const { db } = project;
    const a = registerEditClient();
    const b = registerEditClient();
    try {
      const created = withEditClient(a.id, () => createLabel(db, label(0)));
      withEditClient(b.id, () => updateLabel(db, created.id, { endSample: 500 }, null));
      expect(() => withEditClient(a.id, () => undoLastEdit(db))).toThrow(/another window changed this label after your edit/);
      expect(getLabel(db, created.id)).toMatchObject({ deleted: false, endSample: 500 });
      withEditClient(b.id, () => undoLastEdit(db));
      expect(getLabel(db, created.id)!.endSample).toBe(100);
      withEditClient(a.id, () => undoLastEdit(db));
      expect(getLabel(db, created.id)!.deleted).toBe(true);
    } finally {
      a.release();
      b.release();
    }
  });

  it("shares the steps of a window that has gone, and of edits made without a window (an earlier run, the CLI)", () => {
    const { db } = project;
    const old = createLabel(db, label(0)); // no window: e.g. an import from the CLI
    const closed = registerEditClient();
    const fromClosed = withEditClient(closed.id, () => createLabel(db, label(1000)));
    const a = registerEditClient();
    try {
      expect(withEditClient(a.id, () => canUndo(db))).toBe(true);
      // While the other window is open, its step is not ours: A can only undo the window-less one.
      expect(withEditClient(a.id, () => undoLastEdit(db))?.labelId).toBe(old.id);
      expect(withEditClient(a.id, () => canUndo(db))).toBe(false);
      closed.release();
      expect(withEditClient(a.id, () => undoLastEdit(db))?.labelId).toBe(fromClosed.id);
    } finally {
      a.release();
    }
  });
});
