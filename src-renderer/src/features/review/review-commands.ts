/**
 * What each hotkey and desktop-menu command does in the review view, in one
 * place. The Record type makes the compiler insist that every action in the
 * hotkey table has a command.
 */
import type { MenuCommand } from '../../../../src-shared/contract';
import type { DisplayHotkeyAction, HotkeyAction } from './hotkeys';
import { createLabel, deleteSelectedLabels, mergeSelectedLabels, splitLabelAt, undoOrRedo, type Decision, type FollowStep } from './label-edits';
import { neighbourRecording, type OpenRecording, type RecordingRef } from './navigation';
import { stepRate } from './playback';
import { decideAndAdvance, goToNextUncertain, type QueueOptions } from './review-queue';
import type { ReviewPlayback } from './review-playback';
import type { ReviewStore } from './review-store.svelte';
import { neighbourSpan } from './spans';
import { viewportEnd } from './viewport';

/** Moving between recordings: the list's order and how to open one (absent in a lone review). */
export interface RecordingNavigation {
  order: () => readonly RecordingRef[];
  open: OpenRecording;
}

/** A menu command and the same key press arriving within this time are one press, not two. */
const ECHO_MS = 500;

export interface ReviewCommands {
  /** Every key but the frequency zoom (features/display/display-keys.ts). */
  hotkeys: Record<Exclude<HotkeyAction, DisplayHotkeyAction>, () => void>;
  /** Undo / redo as the header's buttons do it (the view follows an edit in another recording). */
  history: (which: 'undo' | 'redo') => void;
  /** Handles the desktop menu's commands (its accelerators may swallow Ctrl+Z before the page sees it). */
  menu: (command: MenuCommand) => void;
}

export function createReviewCommands(
  store: ReviewStore,
  playback: () => ReviewPlayback | null,
  queue: QueueOptions,
  navigation: RecordingNavigation | null = null,
  now = () => performance.now(),
): ReviewCommands {
  let last = { action: '', at: -Infinity };
  const isEcho = (action: string): boolean => {
    const echo = last.action === action && now() - last.at < ECHO_MS;
    last = { action, at: now() };
    return echo;
  };
  /** An undo or redo of an edit in another recording opens that recording at the edit, which then carries it out. */
  const follow: FollowStep | undefined = navigation
    ? (step, which) => {
      if (step.recordingId === null || !step.path) return false;
      const focus = step.startSeconds !== null && step.endSeconds !== null ? { startSeconds: step.startSeconds, endSeconds: step.endSeconds } : undefined;
      navigation.open({ id: step.recordingId, path: step.path }, { reason: `Opened ${step.path}: the edit to ${which} is here.`, focus, then: which });
      return true;
    }
    : undefined;
  const undoRedo = (which: 'undo' | 'redo') => {
    if (!isEcho(which)) void undoOrRedo(store, which, follow);
  };
  const moveRegion = (direction: 1 | -1) => {
    const next = neighbourSpan(store.regions, store.currentRegionId, store.cursorSeconds, direction);
    if (next) store.selectRegion(next);
  };
  /** S / N: while a label is being drawn (or marked with I), they choose its value; otherwise they decide. */
  const decide = (value: Decision) => {
    if (store.drafting || store.markInSeconds !== null) return store.setDrawValue(value);
    void decideAndAdvance(store, value, queue);
  };
  const moveRecording = (direction: 1 | -1) => {
    if (!navigation) return store.showInfo('Open recordings from the recordings list to move between them.');
    const next = neighbourRecording(navigation.order(), store.recordingId, direction);
    if (!next) return store.showInfo(direction > 0 ? 'This is the last recording in the list.' : 'This is the first recording in the list.');
    navigation.open(next, { reason: `${direction > 0 ? 'Next' : 'Previous'} recording (${direction > 0 ? 'PageDown' : 'PageUp'}).` });
  };
  const markOut = () => {
    const start = store.markInSeconds;
    if (start === null) return store.showInfo('Press I at the start of the sound first, then O at its end.');
    store.markInSeconds = null;
    void createLabel(store, start, store.cursorSeconds);
  };
  const labelView = () => {
    const vp = store.viewport;
    void createLabel(store, vp.startSeconds, Math.min(store.durationSeconds, viewportEnd(vp)));
  };

  return {
    hotkeys: {
      playPause: () => playback()?.playPause(),
      markSilence: () => decide('silence'),
      markSound: () => decide('sound'),
      nextRegion: () => moveRegion(1),
      previousRegion: () => moveRegion(-1),
      nextUncertain: () => void goToNextUncertain(store, queue),
      zoomIn: () => store.zoom(0.5),
      zoomOut: () => store.zoom(2),
      zoomWhole: () => store.zoomWhole(),
      panLeft: () => store.pan(-store.viewport.widthPx / 4),
      panRight: () => store.pan(store.viewport.widthPx / 4),
      undo: () => undoRedo('undo'),
      redo: () => undoRedo('redo'),
      deleteSelection: () => void deleteSelectedLabels(store),
      split: () => void splitLabelAt(store, store.cursorSeconds),
      merge: () => void mergeSelectedLabels(store),
      toggleLoop: () => playback()?.toggleLoop(),
      slower: () => (store.playbackRate = stepRate(store.playbackRate, -1)),
      faster: () => (store.playbackRate = stepRate(store.playbackRate, 1)),
      toggleAutoAdvance: () => {
        store.setAutoAdvance(!store.autoAdvance);
        store.showInfo(`Auto-advance ${store.autoAdvance ? 'on: S / N move to the next uncertain region of this recording' : 'off'}.`);
      },
      nextRecording: () => moveRecording(1),
      previousRecording: () => moveRecording(-1),
      markIn: () => {
        store.markInSeconds = store.cursorSeconds;
        store.showInfo(`Label starts at the playhead; press O at its end (it will be ${store.drawValue}; S / N change that).`);
      },
      markOut,
      labelView,
      playSelection: () => playback()?.playSelectionOnce(),
      help: () => (store.helpOpen = !store.helpOpen),
      escape: () => {
        if (store.helpOpen) store.helpOpen = false;
        else if (store.markInSeconds !== null) store.markInSeconds = null;
        else store.clearSelection();
      },
    },
    history: (which) => void undoOrRedo(store, which, follow),
    menu: (command) => {
      if (store.status !== 'ready') return;
      if (command === 'undo' || command === 'redo') undoRedo(command);
      else if (command === 'zoom-in') store.zoom(0.5);
      else if (command === 'zoom-out') store.zoom(2);
      else if (command === 'zoom-fit') store.zoomWhole();
    },
  };
}
