import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRng } from '../testing/synth';
import { canRedo, canUndo, listLabelHistory, redoEdit, undoLastEdit } from './label-history';
import { createLabel, deleteLabel, listLabels, updateLabel, type LabelSource, type StoredLabel } from './labels';
import { effectiveLabels, upsertMachineLabels } from './machine-labels';
import { upsertScannedRecording } from './recordings';
import { createTempProject, scannedWav, type TempProject } from './test-helpers';

let project: TempProject;
let rec: number;
beforeEach(() => {
  project = createTempProject();
  rec = upsertScannedRecording(project.db, scannedWav('a.wav')).id;
});
afterEach(() => project.cleanup());

/** What a user sees of a recording's labels (timestamps excluded: they change on undo). */
const visible = (labels: StoredLabel[]) => labels.map(({ id, startSample, endSample, value, source, author }) => ({ id, startSample, endSample, value, source, author }));
const snapshot = () => visible(listLabels(project.db, rec));

describe('label editing with undo/redo', () => {
  it('undo walks back through every edit and redo walks forward again, across restarts', () => {
    let db = project.db;
    expect(canUndo(db)).toBe(false);
    expect(canRedo(db)).toBe(false);
    expect(undoLastEdit(db)).toBeNull();

    const states = [snapshot()];
    const a = createLabel(db, { recordingId: rec, startSample: 100, endSample: 200, value: 'silence', author: 'ana' });
    states.push(snapshot());
    const b = createLabel(db, { recordingId: rec, startSample: 300, endSample: 450, value: 'sound', author: 'ana' });
    states.push(snapshot());
    updateLabel(db, a.id, { endSample: 250, value: 'sound' }, 'ben');
    states.push(snapshot());
    deleteLabel(db, b.id, 'ben');
    states.push(snapshot());
    updateLabel(db, a.id, { startSample: 120 }, 'ana');
    states.push(snapshot());
    expect(states.at(-1)).toEqual([{ id: a.id, startSample: 120, endSample: 250, value: 'sound', source: 'human', author: 'ana' }]);

    for (let i = states.length - 2; i >= 0; i--) {
      // Restart half way through: the history lives in the database.
      if (i === 2) db = project.reopen();
      expect(canUndo(db)).toBe(true);
      expect(undoLastEdit(db)).toMatchObject({ recordingId: rec });
      expect(snapshot()).toEqual(states[i]);
    }
    expect(canUndo(db)).toBe(false);
    expect(undoLastEdit(db)).toBeNull();

    for (let i = 1; i < states.length; i++) {
      if (i === 3) db = project.reopen();
      expect(canRedo(db)).toBe(true);
      redoEdit(db);
      expect(snapshot()).toEqual(states[i]);
    }
    expect(canRedo(db)).toBe(false);
    expect(redoEdit(db)).toBeNull();
  });

  it('a new edit after undo discards the redo branch', () => {
    const { db } = project;
    const a = createLabel(db, { recordingId: rec, startSample: 0, endSample: 10, value: 'silence' });
    updateLabel(db, a.id, { value: 'sound' }); // B
    expect(undoLastEdit(db)).toMatchObject({ op: 'update', labelId: a.id });
    expect(canRedo(db)).toBe(true);
    updateLabel(db, a.id, { endSample: 20 }); // C replaces B
    expect(canRedo(db)).toBe(false);
    expect(redoEdit(db)).toBeNull();
    expect(listLabelHistory(db).map((h) => [h.op, h.after.value, h.after.endSample])).toEqual([['update', 'silence', 20], ['create', 'silence', 10]]);
    undoLastEdit(db);
    expect(snapshot()).toMatchObject([{ value: 'silence', endSample: 10 }]); // B never comes back
    undoLastEdit(db);
    expect(snapshot()).toEqual([]);
    expect(listLabels(db, rec, { includeDeleted: true })).toMatchObject([{ id: a.id, deleted: true }]);
  });

  it('writes exactly one history row per real edit, in the same transaction as the edit', () => {
    const { db } = project;
    const count = () => (db.sql.prepare('SELECT count(*) AS n FROM label_history').get() as { n: number }).n;
    const a = createLabel(db, { recordingId: rec, startSample: 0, endSample: 10, value: 'silence' });
    expect(count()).toBe(1);
    updateLabel(db, a.id, { value: 'silence' }); // no change → no history
    expect(count()).toBe(1);
    expect(() => createLabel(db, { recordingId: 9999, startSample: 0, endSample: 10, value: 'x' })).toThrow(/does not exist/);
    expect(() => createLabel(db, { recordingId: rec, startSample: 10, endSample: 10, value: 'x' })).toThrow(/start < end/);
    expect(() => createLabel(db, { recordingId: rec, startSample: 0, endSample: 1.5, value: 'x' })).toThrow(/whole-sample/);
    expect(() => createLabel(db, { recordingId: rec, startSample: 0, endSample: 5, value: '  ' })).toThrow(/needs a value/);
    expect(() => updateLabel(db, a.id, { endSample: -1 })).toThrow(/start < end/);
    deleteLabel(db, a.id);
    expect(() => deleteLabel(db, a.id)).toThrow(/does not exist \(it may have been deleted\)/);
    expect(() => updateLabel(db, a.id, { value: 'sound' })).toThrow(/does not exist \(it may have been deleted\)/);
    expect(count()).toBe(2);
    expect((db.sql.prepare('SELECT count(*) AS n FROM labels').get() as { n: number }).n).toBe(1);
  });
});

describe('machine labels and precedence', () => {
  it('never overwrite human labels: machine labels are clipped around them and regenerated without touching them', () => {
    const { db } = project;
    const human = createLabel(db, { recordingId: rec, startSample: 100, endSample: 200, value: 'sound', author: 'ana' });
    expect(upsertMachineLabels(db, rec, 'model', [{ startSample: 50, endSample: 300, value: 'silence' }, { startSample: 120, endSample: 180, value: 'silence' }]))
      .toEqual({ inserted: 2, removed: 0 });
    expect(snapshot().map((l) => [l.startSample, l.endSample, l.value, l.source])).toEqual([
      [50, 100, 'silence', 'model'], [100, 200, 'sound', 'human'], [200, 300, 'silence', 'model'],
    ]);
    // Machine labels are not undoable edits: undo reverts the human's create.
    expect(listLabelHistory(db)).toHaveLength(1);

    // A person adjusts one machine label; it becomes human and survives regeneration.
    const machine = listLabels(db, rec).find((l) => l.startSample === 200)!;
    updateLabel(db, machine.id, { endSample: 260 }, 'ben');
    expect(upsertMachineLabels(db, rec, 'model', [{ startSample: 0, endSample: 1000, value: 'silence' }])).toEqual({ inserted: 2, removed: 1 });
    expect(snapshot().map((l) => [l.startSample, l.endSample, l.source])).toEqual([
      [0, 100, 'model'], [100, 200, 'human'], [200, 260, 'human'], [260, 1000, 'model'],
    ]);
    expect(listLabels(db, rec).find((l) => l.id === human.id)).toMatchObject({ startSample: 100, endSample: 200, value: 'sound' });
    expect(() => upsertMachineLabels(db, rec, 'human' as 'model', [])).toThrow(/model or a heuristic/);
  });

  it('effectiveLabels matches a per-sample brute force of human > model > heuristic', () => {
    const { db } = project;
    const rng = createRng(7);
    const sources: LabelSource[] = ['human', 'model', 'heuristic'];
    const insert = db.sql.prepare(
      `INSERT INTO labels (recording_id, start_sample, end_sample, value, source, created_at, updated_at, deleted) VALUES (?, ?, ?, ?, ?, 0, 0, ?)`,
    );
    const length = 400;
    for (let i = 0; i < 60; i++) {
      const start = Math.floor(rng() * (length - 1));
      const end = start + 1 + Math.floor(rng() * Math.min(80, length - start - 1));
      insert.run(rec, start, end, `v${i}`, sources[Math.floor(rng() * 3)], rng() < 0.1 ? 1 : 0);
    }
    const live = listLabels(db, rec);
    const pieces = effectiveLabels(db, rec);
    for (let t = 0; t < length; t++) {
      const covering = live.filter((l) => l.startSample <= t && t < l.endSample);
      const best = sources.find((s) => covering.some((l) => l.source === s));
      const expected = covering.filter((l) => l.source === best).map((l) => l.id).sort((x, y) => x - y);
      const actual = pieces.filter((p) => p.startSample <= t && t < p.endSample).map((p) => p.labelId).sort((x, y) => x - y);
      expect(actual, `sample ${t}`).toEqual(expected);
    }
    for (const p of pieces) expect(p.endSample).toBeGreaterThan(p.startSample);
  });
});
