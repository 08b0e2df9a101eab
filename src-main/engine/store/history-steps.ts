/**
 * What the next undo or redo would change, read without changing anything:
 * which recording, which stretch of it, and what kind of edit it was. The UI
 * opens that recording at that place before the edit is reverted, and its
 * message names the edit ("labelling 0:12.00–0:14.00 as sound").
 */
import type { ProjectDb } from './database';
import { parseJsonColumn } from './json';
import { nextStepRows } from './label-history';
import { normaliseLabelState, type LabelState } from './label-state';

/** The kind of edit a history step was, as the researcher made it. */
export type StepAction = 'create' | 'delete' | 'relabel' | 'move' | 'resize' | 'split' | 'merge' | 'edit' | 'clusters';

export interface StepSummary {
  action: StepAction;
  /** The recording the step's labels belong to (null for a step of cluster edits only). */
  recordingId: number | null;
  /** Samples spanned by the step's labels, before and after the edit (native rate). */
  startSample: number | null;
  endSample: number | null;
  /** Labels the step changed. */
  labels: number;
  /** The label's value after the edit (for a delete: the deleted label's value). */
  value: string | null;
  /** The value before a relabel. */
  previousValue: string | null;
}

interface LabelChange {
  op: 'create' | 'update' | 'delete';
  before: LabelState | null;
  after: LabelState;
}

/** The caller's step the next undo (or redo) would revert (or re-apply), summarised; null when there is none. */
export function peekStep(db: ProjectDb, which: 'undo' | 'redo'): StepSummary | null {
  const rows = nextStepRows(db, which);
  if (rows.length === 0) return null;
  const changes = rows
    .filter((r) => r.target === 'label')
    .map((r): LabelChange => ({ op: r.op, before: state(r.before_json), after: state(r.after_json)! }));
  return summarizeStep(changes, rows.some((r) => r.target === 'clusters'));
}

function state(json: string | null): LabelState | null {
  const parsed = parseJsonColumn<LabelState>(json, 'label_history');
  return parsed === null ? null : normaliseLabelState(parsed);
}

/** Classifies a step from its label changes (in the order they were made). */
export function summarizeStep(changes: readonly LabelChange[], clusters = false): StepSummary {
  if (changes.length === 0) {
    return { action: 'clusters', recordingId: null, startSample: null, endSample: null, labels: 0, value: null, previousValue: null };
  }
  const states = changes.flatMap((c) => (c.before ? [c.before, c.after] : [c.after]));
  const first = changes[0];
  const summary: StepSummary = {
    action: clusters ? 'clusters' : 'edit',
    recordingId: first.after.recordingId,
    startSample: Math.min(...states.map((s) => s.startSample)),
    endSample: Math.max(...states.map((s) => s.endSample)),
    labels: changes.length,
    value: first.after.value,
    previousValue: null,
  };
  const ops = changes.map((c) => c.op).join(',');
  if (changes.length === 1) {
    const { op, before, after } = first;
    if (op === 'create') summary.action = 'create';
    else if (op === 'delete' || (before && !before.deleted && after.deleted)) summary.action = 'delete';
    else if (before && before.value !== after.value) {
      summary.action = 'relabel';
      summary.previousValue = before.value;
    } else if (before && (before.startSample !== after.startSample || before.endSample !== after.endSample)) {
      summary.action = before.endSample - before.startSample === after.endSample - after.startSample ? 'move' : 'resize';
    }
  } else if (ops === 'update,create') {
    summary.action = 'split';
  } else if (changes.filter((c) => c.op === 'update').length === 1 && changes.every((c) => c.op === 'update' || c.op === 'delete')) {
    // A merge deletes the others, then stretches the one kept over all of them.
    summary.action = 'merge';
    summary.value = changes.find((c) => c.op === 'update')!.after.value;
  } else if (changes.every((c) => c.op === 'delete' || c.after.deleted)) {
    summary.action = 'delete';
  } else if (changes.every((c) => c.op === 'create')) {
    summary.action = 'create';
  }
  return summary;
}
