/**
 * Shared types of the review loop's own calls: what an undo or redo is about
 * to change (so the UI can show it first and name it), and the researcher's
 * review preferences (kept across sessions and projects).
 */
import * as v from 'valibot';
import { labelValue } from './schemas';

/** The kind of edit a history step was, as the researcher made it. */
export type HistoryStepAction = 'create' | 'delete' | 'relabel' | 'move' | 'resize' | 'split' | 'merge' | 'edit' | 'clusters';

/** One undo step: where it is and what it did. */
export interface HistoryStep {
  action: HistoryStepAction;
  /** The recording the step's labels belong to, and its path; null for a sound-type (cluster) edit. */
  recordingId: number | null;
  path: string | null;
  /** The stretch of the recording the step's labels spanned, before and after the edit. */
  startSeconds: number | null;
  endSeconds: number | null;
  /** Labels the step changed. */
  labels: number;
  /** The label's value after the edit (a deleted label's value); the value before a relabel. */
  value: string | null;
  previousValue: string | null;
}

/** The review habits Sonotype remembers for the researcher. */
export const reviewPreferencesSchema = v.strictObject({
  /** After an S/N decision, go to the next uncertain region of the same recording. */
  autoAdvance: v.boolean(),
  /** The value a newly drawn label gets: 'sound' unless the researcher chose another. */
  drawValue: labelValue,
});
export type ReviewPreferences = v.InferOutput<typeof reviewPreferencesSchema>;

export const DEFAULT_REVIEW_PREFERENCES: ReviewPreferences = { autoAdvance: true, drawValue: 'sound' };

/** Some of the preferences, to change. */
export const reviewPreferencesPatchSchema = v.partial(reviewPreferencesSchema);
