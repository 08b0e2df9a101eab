/**
 * The review loop's own calls: what the next undo or redo would change
 * (recording, place, kind of edit) so the UI shows it before reverting it,
 * and the researcher's review preferences.
 */
import type { HistoryStep } from '../../../src-shared/review-loop-types';
import type { ProjectDb } from '../../engine/store/database';
import { peekStep, type StepSummary } from '../../engine/store/history-steps';
import { getRecording } from '../../engine/store/recordings';
import { requireProject, type AppState } from '../app-state';
import { readReviewPreferences, writeReviewPreferences } from '../review-preferences';
import type { HandlersFor } from './handler-types';

type ReviewLoopCalls = 'history:peek' | 'preferences:get' | 'preferences:set';

/** A step summary as the UI reads it: seconds at the recording's native rate, and its path. */
export function toHistoryStep(db: ProjectDb, step: StepSummary): HistoryStep {
  const recording = step.recordingId === null ? undefined : getRecording(db, step.recordingId);
  const rate = recording?.sampleRate ?? null;
  const seconds = (sample: number | null) => (sample === null || !rate ? null : sample / rate);
  return {
    action: step.action,
    recordingId: step.recordingId,
    path: recording?.path ?? null,
    startSeconds: seconds(step.startSample),
    endSeconds: seconds(step.endSample),
    labels: step.labels,
    value: step.value,
    previousValue: step.previousValue,
  };
}

/** The step the next undo (redo) would revert (re-apply), for the UI; null when there is none. */
export function peekHistoryStep(db: ProjectDb, which: 'undo' | 'redo'): HistoryStep | null {
  const step = peekStep(db, which);
  return step ? toHistoryStep(db, step) : null;
}

export function reviewLoopHandlers(state: AppState): HandlersFor<ReviewLoopCalls> {
  return {
    'history:peek': async (which) => peekHistoryStep(requireProject(state).db, which),
    'preferences:get': async () => readReviewPreferences(),
    'preferences:set': async (patch) => writeReviewPreferences(patch),
  };
}
