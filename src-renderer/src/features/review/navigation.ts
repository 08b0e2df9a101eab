/**
 * Moving between recordings from the review: the list's order (for
 * next/previous recording) and what the next recording should do when it
 * opens (say why it was opened, show a place, carry out an undo or redo
 * there). A move to another file is never silent.
 */

/** Why a recording was opened from another one, and what to show there. */
export interface Arrival {
  /** Shown as a toast in the new recording; its name flashes. */
  reason: string;
  /** The part of the recording to bring into view (and the region to make current). */
  focus?: { startSeconds: number; endSeconds: number; regionId?: number };
  /** An undo or redo to carry out once the recording is open, so the reverted edit happens in view. */
  then?: 'undo' | 'redo';
}

export interface RecordingRef {
  id: number;
  path: string;
}

/** Opens another recording for review. */
export type OpenRecording = (recording: RecordingRef, arrival: Arrival) => void;

/** What the review view of one recording is given (ReviewView passes it on to a fresh ReviewSession per recording). */
export interface ReviewViewProps {
  recordingId: number;
  onBack?: () => void;
  /** Why this recording was opened from another one (toast, flash) and what to show or do there first. */
  arrival?: Arrival | null;
  /** Reviewable recordings in the list's order (next / previous recording). */
  recordingOrder?: readonly RecordingRef[];
  /** Opens another recording (next / previous, the queue's next region, an undo there). */
  onOpenRecording?: OpenRecording;
  /** Unreviewed regions of the whole project (from the recordings table), or null when unknown. */
  projectRemaining?: number | null;
}

/** The recording `direction` steps from `currentId` in the list's order, or null at either end (or when it is not listed). */
export function neighbourRecording(order: readonly RecordingRef[], currentId: number, direction: 1 | -1): RecordingRef | null {
  const index = order.findIndex((r) => r.id === currentId);
  if (index < 0) return order[direction > 0 ? 0 : order.length - 1] ?? null;
  return order[index + direction] ?? null;
}
