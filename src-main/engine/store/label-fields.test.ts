import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SonotypeError } from '../../../src-shared/errors';
import { openProjectDb } from './database';
import { withEditGroup, listLabelHistory, redoEdit, undoLastEdit } from './label-history';
import { splitLabel } from './label-edits';
import { createLabel, getLabel, listLabels, updateLabel, type StoredLabel } from './labels';
import { effectiveLabels, upsertMachineLabels } from './machine-labels';
import { applyMigrations, migrations } from './migrate';
import { upsertScannedRecording } from './recordings';
import { createTempProject, scannedWav, type TempProject } from './test-helpers';

let project: TempProject;
let rec: number;
beforeEach(() => {
  project = createTempProject('sonotype-label-fields-');
  rec = upsertScannedRecording(project.db, scannedWav('a.wav')).id; // 48 kHz, 500,000 frames
});
afterEach(() => project.cleanup());

const fields = (l: StoredLabel) => {
  const { lowHz, highHz, annotation, soundType, confidence, source, sourceTable, reference, extras, value } = l;
  return { lowHz, highHz, annotation, soundType, confidence, source, sourceTable, reference, extras, value };
};

describe('label exchange fields', () => {
  it('are stored, survive a restart, and every edit of them is undone and redone exactly', () => {
    const box = createLabel(project.db, {
      recordingId: rec, startSample: 100, endSample: 900, value: 'sound', lowHz: 6000, highHz: 12000.5, annotation: 'faint, "two" parts\nsecond line',
      soundType: 'whistle', confidence: 0.75, source: 'imported', sourceTable: 'a.Table.1.selections.txt', extras: [['Species', 'Tt'], ['1', 'x']],
    });
    const created = fields(box);
    expect(created).toEqual({
      lowHz: 6000, highHz: 12000.5, annotation: 'faint, "two" parts\nsecond line', soundType: 'whistle', confidence: 0.75, source: 'imported',
      sourceTable: 'a.Table.1.selections.txt', reference: false, extras: [['Species', 'Tt'], ['1', 'x']], value: 'sound',
    });
    const db = project.reopen();
    expect(fields(getLabel(db, box.id)!)).toEqual(created);

    updateLabel(db, box.id, { lowHz: 5000, highHz: 9000, soundType: 'upsweep', annotation: null, confidence: null });
    const edited = fields(getLabel(db, box.id)!);
    // A person vouched for it: it becomes human, but keeps where it came from and its kept columns.
    expect(edited).toEqual({ ...created, lowHz: 5000, highHz: 9000, soundType: 'upsweep', annotation: null, confidence: null, source: 'human' });
    updateLabel(db, box.id, { lowHz: null, highHz: null });
    expect(getLabel(db, box.id)).toMatchObject({ lowHz: null, highHz: null });

    undoLastEdit(db);
    expect(fields(getLabel(db, box.id)!)).toEqual(edited);
    undoLastEdit(db);
    expect(fields(getLabel(db, box.id)!)).toEqual(created);
    redoEdit(project.reopen());
    expect(fields(getLabel(project.db, box.id)!)).toEqual(edited);
    expect(listLabelHistory(project.db)[1].after).toMatchObject({ lowHz: 5000, soundType: 'upsweep' });
  });

  it('refuses impossible boxes, confidences and texts with a readable reason, and writes nothing', () => {
    const base = { recordingId: rec, startSample: 0, endSample: 10, value: 'sound' };
    const refused: [object, RegExp][] = [
      [{ lowHz: 100 }, /both a low and a high/],
      [{ lowHz: 500, highHz: 500 }, /0 ≤ low < high/],
      [{ lowHz: -1, highHz: 500 }, /0 ≤ low < high/],
      [{ lowHz: 0, highHz: 24_001 }, /above the recording's Nyquist frequency \(24000 Hz\)/],
      [{ confidence: 1.5 }, /from 0 to 1/],
      [{ confidence: Number.NaN }, /from 0 to 1/],
      [{ soundType: '  ' }, /sound type must be non-empty/],
      [{ soundType: 'x'.repeat(101) }, /at most 100/],
      [{ extras: [['', 'v']] }, /extra table column/],
    ];
    for (const [extra, message] of refused) {
      expect(() => createLabel(project.db, { ...base, ...extra }), JSON.stringify(extra)).toThrow(message);
    }
    expect(listLabels(project.db, rec, { includeDeleted: true })).toEqual([]);
    const ok = createLabel(project.db, { ...base, lowHz: 0, highHz: 24_000 });
    expect(() => updateLabel(project.db, ok.id, { highHz: 30_000 })).toThrow(SonotypeError);
    expect(getLabel(project.db, ok.id)).toMatchObject({ highHz: 24_000 });
  });

  it('imported labels count like human ones; reference labels take no part in precedence or training', () => {
    createLabel(project.db, { recordingId: rec, startSample: 0, endSample: 100, value: 'sound', source: 'imported', sourceTable: 't.txt' });
    const reference = createLabel(project.db, { recordingId: rec, startSample: 200, endSample: 300, value: 'silence', source: 'imported', reference: true });
    upsertMachineLabels(project.db, rec, 'heuristic', [{ startSample: 0, endSample: 400, value: 'silence' }]);
    const effective = effectiveLabels(project.db, rec).map(({ startSample, endSample, source }) => [startSample, endSample, source]);
    // The imported label wins over the heuristic as a person's would; the reference does not cut the heuristic label.
    expect(effective).toEqual([[0, 100, 'human'], [100, 400, 'heuristic']]);
    expect(effective.some(([s]) => s === reference.startSample)).toBe(false);
    // The reference is still listed (shown in the app), flagged.
    expect(listLabels(project.db, rec).find((l) => l.id === reference.id)).toMatchObject({ reference: true });
  });

  it('a split keeps the box, type, annotation and provenance on both halves', () => {
    const box = createLabel(project.db, { recordingId: rec, startSample: 0, endSample: 1000, value: 'sound', lowHz: 100, highHz: 900, soundType: 'w', annotation: 'a', source: 'imported', sourceTable: 't.txt', extras: [['k', 'v']] });
    const [left, right] = splitLabel(project.db, box.id, 400);
    for (const half of [left, right]) {
      expect(half).toMatchObject({ lowHz: 100, highHz: 900, soundType: 'w', annotation: 'a', sourceTable: 't.txt', extras: [['k', 'v']] });
    }
    expect([left.startSample, left.endSample, right.startSample, right.endSample]).toEqual([0, 400, 400, 1000]);
  });

  it('a group of many creates is one undo step', () => {
    withEditGroup(project.db, () => {
      for (let i = 0; i < 50; i++) createLabel(project.db, { recordingId: rec, startSample: i * 10, endSample: i * 10 + 5, value: 'sound', soundType: `t${i % 3}` });
    });
    expect(listLabels(project.db, rec)).toHaveLength(50);
    undoLastEdit(project.db);
    expect(listLabels(project.db, rec)).toHaveLength(0);
    redoEdit(project.db);
    expect(listLabels(project.db, rec).map((l) => l.soundType).slice(0, 4)).toEqual(['t0', 't1', 't2', 't0']);
  });
});

describe('upgrading a v3 project to the label exchange fields', () => {
  it('keeps labels and their history, and undo still restores edits recorded before the upgrade', () => {
    const file = path.join(project.dir, 'old.db');
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    applyMigrations(raw, migrations.slice(0, 3));
    raw.exec(`
      INSERT INTO recordings (rel_path, size_bytes, mtime_ms, sample_rate, frames, status, first_seen_at, last_seen_at) VALUES ('r.wav', 1, 1, 8000, 8000, 'ok', 1, 1);
      INSERT INTO labels (recording_id, start_sample, end_sample, value, source, author, created_at, updated_at) VALUES (1, 10, 50, 'silence', 'human', 'ana', 1, 2);
      INSERT INTO label_history (op, label_id, before_json, after_json, author, created_at) VALUES
        ('create', 1, NULL, '{"recordingId":1,"startSample":10,"endSample":40,"value":"sound","source":"human","author":"ana","deleted":false}', 'ana', 1),
        ('update', 1, '{"recordingId":1,"startSample":10,"endSample":40,"value":"sound","source":"human","author":"ana","deleted":false}',
                      '{"recordingId":1,"startSample":10,"endSample":50,"value":"silence","source":"human","author":"ana","deleted":false}', 'ana', 2);
    `);
    raw.close();
    const db = openProjectDb(file);
    try {
      expect(fields(getLabel(db, 1)!)).toMatchObject({ value: 'silence', lowHz: null, reference: false, extras: null, source: 'human' });
      undoLastEdit(db);
      expect(getLabel(db, 1)).toMatchObject({ startSample: 10, endSample: 40, value: 'sound', lowHz: null, soundType: null, deleted: false });
      redoEdit(db);
      updateLabel(db, 1, { lowHz: 100, highHz: 3000 });
      expect(getLabel(db, 1)).toMatchObject({ endSample: 50, lowHz: 100, highHz: 3000 });
      expect(() => db.sql.prepare("INSERT INTO label_history (op, label_id, after_json, created_at) VALUES ('create', 99, '{}', 1)").run())
        .toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });
});
