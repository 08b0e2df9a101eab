/**
 * An undo step in words, for the toast that confirms an undo or redo:
 * "labelling 0:12.00–0:14.00 as sound", "the sound label drawn at 0:06.00–0:08.00".
 */
import type { HistoryStep } from '../../../../src-shared/review-loop-types';
import { formatSpan } from './time-format';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What the step did, as a phrase ("moving the sound label to 0:27.00–0:37.00"). */
export function describeStep(step: HistoryStep): string {
  const at = step.startSeconds !== null && step.endSeconds !== null ? formatSpan(step.startSeconds, step.endSeconds) : null;
  const where = at ? ` at ${at}` : '';
  const value = step.value ?? 'the';
  switch (step.action) {
    case 'create': return step.labels > 1 ? `adding ${plural(step.labels, 'label')}${where}` : `adding a ${value} label${where}`;
    case 'delete': return step.labels > 1 ? `deleting ${plural(step.labels, 'label')}${where}` : `deleting the ${value} label${where}`;
    case 'relabel': return `labelling ${at ?? 'a label'} as ${step.value}${step.previousValue ? ` (was ${step.previousValue})` : ''}`;
    case 'move': return `moving the ${value} label${at ? ` (${at})` : ''}`;
    case 'resize': return `resizing the ${value} label${at ? ` (${at})` : ''}`;
    case 'split': return `splitting the ${value} label${where}`;
    case 'merge': return `merging ${plural(step.labels, 'label')}${where}`;
    case 'clusters': return 'a sound-type edit';
    default: return `editing ${step.labels > 1 ? plural(step.labels, 'label') : `the ${value} label`}${where}`;
  }
}

/** The message after an undo or redo: what it reverted (re-applied), and where when that is not here. */
export function historyMessage(which: 'undo' | 'redo', step: HistoryStep | null | undefined, hereRecordingId: number | null): string {
  const verb = which === 'undo' ? 'Undid' : 'Redid';
  if (!step) return `${verb} the last edit.`;
  const elsewhere = step.recordingId !== null && step.recordingId !== hereRecordingId && step.path ? ` in ${step.path}` : '';
  return `${verb}: ${describeStep(step)}${elsewhere}.`;
}
