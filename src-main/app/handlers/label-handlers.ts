/**
 * Label editing and its undo history. Every edit is saved at once (and is
 * undoable across restarts); the recording's view is told to refresh.
 */
import { userInfo } from 'node:os';
import { SonotypeError } from '../../../src-shared/errors';
import type { HistoryState, LabelView } from '../../../src-shared/review-types';
import type { ProjectDb } from '../../engine/store/database';
import { canRedo, canUndo, redoEdit, undoLastEdit, type LabelEditRef } from '../../engine/store/label-history';
import { createLabel, deleteLabel, listLabels, updateLabel, type StoredLabel, requireLiveLabel } from '../../engine/store/labels';
import { mergeLabels, splitLabel } from '../../engine/store/label-edits';
import { optionalText } from '../../engine/store/label-state';
import { getRecording, requireRecording } from '../../engine/store/recordings';
import { refreshRecordingRegions } from '../../engine/detection/region-refresh';
import { requireProject, type AppState } from '../app-state';
import { toLabelView } from '../view-mappers';
import type { HandlersFor } from './handler-types';
import { peekHistoryStep } from './review-loop-handlers';

type LabelCalls =
  | 'labels:list' | 'labels:create' | 'labels:update' | 'labels:delete' | 'labels:split' | 'labels:merge'
  | 'history:undo' | 'history:redo' | 'history:state';

/** The OS user name, recorded as the author of edits (null when the OS will not say). */
export function currentAuthor(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

function historyState(db: ProjectDb, touched?: LabelEditRef | null): HistoryState {
  return {
    canUndo: canUndo(db), canRedo: canRedo(db),
    ...(touched?.recordingId != null ? { recordingId: touched.recordingId } : {}),
    ...(touched?.clusters ? { clusters: true } : {}),
  };
}

/** Labels must lie inside the recording (when its length is known). */
function checkInsideRecording(db: ProjectDb, recordingId: number, endSample: number): void {
  const recording = requireRecording(db, recordingId);
  if (recording.frames !== null && endSample > recording.frames) {
    throw new SonotypeError(
      'INVALID_ARGUMENT',
      `The label ends at sample ${endSample}, after the end of ${recording.path} (${recording.frames} samples).`,
    );
  }
}

export function labelHandlers(state: AppState): HandlersFor<LabelCalls> {
  const view = (db: ProjectDb, label: StoredLabel): LabelView => toLabelView(label, getRecording(db, label.recordingId)?.sampleRate ?? null);
  // Every edit (and undo/redo) redraws the recording's regions at once from the cached frame
  // probabilities: a correction shows up around it without pressing Retrain.
  const changed = (recordingId: number) => {
    state.emit('recording:changed', { recordingId, what: 'labels' });
    const refreshed = refreshRecordingRegions(requireProject(state).db, recordingId);
    if (refreshed?.changed) state.emit('recording:changed', { recordingId, what: 'regions' });
  };
  const announceStep = (touched: LabelEditRef | null) => {
    if (touched?.recordingId != null) changed(touched.recordingId);
    if (touched?.clusters) state.emit('clusters:changed', { reason: 'history' });
  };

  // Answers with the step it reverted (re-applied), read just before: the UI names it in its message.
  const moveInHistory = (direction: 'undo' | 'redo') => {
    const { db } = requireProject(state);
    const step = peekHistoryStep(db, direction);
    const touched = direction === 'undo' ? undoLastEdit(db) : redoEdit(db);
    announceStep(touched);
    return { ...historyState(db, touched), ...(touched && step ? { step } : {}) };
  };

  return {
    'labels:list': async (recordingId) => {
      const { db } = requireProject(state);
      const recording = requireRecording(db, recordingId);
      return listLabels(db, recordingId).map((l) => toLabelView(l, recording.sampleRate));
    },
    'labels:create': async (input) => {
      const { db } = requireProject(state);
      checkInsideRecording(db, input.recordingId, input.endSample);
      const label = createLabel(db, {
        recordingId: input.recordingId, startSample: input.startSample, endSample: input.endSample,
        value: input.value.trim(), source: 'human', author: currentAuthor(),
        lowHz: input.lowHz ?? null, highHz: input.highHz ?? null, confidence: input.confidence ?? null,
        soundType: optionalText(input.soundType)?.trim() ?? null, annotation: optionalText(input.annotation),
      });
      changed(label.recordingId);
      return view(db, label);
    },
    'labels:update': async (id, patch) => {
      const { db } = requireProject(state);
      const before = requireLiveLabel(db, id);
      checkInsideRecording(db, before.recordingId, patch.endSample ?? before.endSample);
      const label = updateLabel(db, id, {
        ...patch,
        ...(patch.value !== undefined ? { value: patch.value.trim() } : {}),
        // Blank text clears the field.
        ...(patch.soundType !== undefined ? { soundType: optionalText(patch.soundType)?.trim() ?? null } : {}),
        ...(patch.annotation !== undefined ? { annotation: optionalText(patch.annotation) } : {}),
      }, currentAuthor());
      changed(label.recordingId);
      return view(db, label);
    },
    'labels:delete': async (id) => {
      const { db } = requireProject(state);
      const label = requireLiveLabel(db, id);
      deleteLabel(db, id, currentAuthor());
      changed(label.recordingId);
      return { ...historyState(db), recordingId: label.recordingId };
    },
    'labels:split': async (id, atSample) => {
      const { db } = requireProject(state);
      requireLiveLabel(db, id);
      const parts = splitLabel(db, id, atSample, currentAuthor());
      changed(parts[0].recordingId);
      return parts.map((l) => view(db, l));
    },
    'labels:merge': async (ids) => {
      const { db } = requireProject(state);
      if (new Set(ids).size !== ids.length) throw new SonotypeError('INVALID_ARGUMENT', 'A label was listed twice; choose each label to merge once.');
      for (const id of ids) requireLiveLabel(db, id);
      const label = mergeLabels(db, ids, currentAuthor());
      changed(label.recordingId);
      return view(db, label);
    },
    'history:undo': async () => moveInHistory('undo'),
    'history:redo': async () => moveInHistory('redo'),
    'history:state': async () => historyState(requireProject(state).db),
  };
}
