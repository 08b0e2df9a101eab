/**
 * What each hotkey and desktop-menu command does in the review view, in one
 * place. The Record type makes the compiler insist that every action in the
 * hotkey table has a command.
 */
import type { MenuCommand } from '../../../../src-shared/contract';
import type { DisplayHotkeyAction, HotkeyAction } from './hotkeys';
import { deleteSelectedLabels, mergeSelectedLabels, splitLabelAt, undoOrRedo } from './label-edits';
import { stepRate } from './playback';
import { decideAndAdvance, goToNextUncertain, type QueueOptions } from './review-queue';
import type { ReviewPlayback } from './review-playback';
import type { ReviewStore } from './review-store.svelte';
import { neighbourSpan } from './spans';

/** A menu command and the same key press arriving within this time are one press, not two. */
const ECHO_MS = 500;

export interface ReviewCommands {
  /** Every key but the frequency zoom (features/display/display-keys.ts). */
  hotkeys: Record<Exclude<HotkeyAction, DisplayHotkeyAction>, () => void>;
  /** Handles the desktop menu's commands (its accelerators may swallow Ctrl+Z before the page sees it). */
  menu: (command: MenuCommand) => void;
}

export function createReviewCommands(store: ReviewStore, playback: () => ReviewPlayback | null, queue: QueueOptions, now = () => performance.now()): ReviewCommands {
  let last = { action: '', at: -Infinity };
  const isEcho = (action: string): boolean => {
    const echo = last.action === action && now() - last.at < ECHO_MS;
    last = { action, at: now() };
    return echo;
  };
  const undoRedo = (which: 'undo' | 'redo') => {
    if (!isEcho(which)) void undoOrRedo(store, which);
  };
  const moveRegion = (direction: 1 | -1) => {
    const next = neighbourSpan(store.regions, store.currentRegionId, store.cursorSeconds, direction);
    if (next) store.selectRegion(next);
  };

  return {
    hotkeys: {
      playPause: () => playback()?.playPause(),
      markSilence: () => void decideAndAdvance(store, 'silence', queue),
      markSound: () => void decideAndAdvance(store, 'sound', queue),
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
        store.autoAdvance = !store.autoAdvance;
        store.showInfo(`Auto-advance ${store.autoAdvance ? 'on' : 'off'}.`);
      },
      help: () => (store.helpOpen = !store.helpOpen),
      escape: () => (store.helpOpen ? (store.helpOpen = false) : store.clearSelection()),
    },
    menu: (command) => {
      if (store.status !== 'ready') return;
      if (command === 'undo' || command === 'redo') undoRedo(command);
      else if (command === 'zoom-in') store.zoom(0.5);
      else if (command === 'zoom-out') store.zoom(2);
      else if (command === 'zoom-fit') store.zoomWhole();
    },
  };
}
