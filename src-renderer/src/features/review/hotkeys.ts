/**
 * Every keyboard shortcut of the review view, in one table used both by the
 * key handler and by the help overlay, so the two cannot drift apart.
 *
 * Chords are written as `[Ctrl+][Alt+][Shift+]Key`; Ctrl also matches ⌘ on
 * macOS. Shift is only part of a chord for letters and named keys: for '?'
 * or '[' the shifted character itself is the key, whatever the layout.
 */

export type HotkeyAction =
  | 'playPause'
  | 'markSilence'
  | 'markSound'
  | 'nextRegion'
  | 'previousRegion'
  | 'nextUncertain'
  | 'zoomIn'
  | 'zoomOut'
  | 'zoomWhole'
  | 'panLeft'
  | 'panRight'
  | 'undo'
  | 'redo'
  | 'deleteSelection'
  | 'split'
  | 'merge'
  | 'toggleLoop'
  | 'slower'
  | 'faster'
  | 'toggleAutoAdvance'
  | 'nextRecording'
  | 'previousRecording'
  | 'markIn'
  | 'markOut'
  | 'labelView'
  | 'playSelection'
  | 'help'
  | 'escape'
  | DisplayHotkeyAction;

/** Frequency zoom of the spectrogram: handled by the display session (features/display/display-keys.ts). */
export type DisplayHotkeyAction = 'frequencyZoomIn' | 'frequencyZoomOut' | 'frequencyUp' | 'frequencyDown' | 'frequencyWhole';

export interface Hotkey {
  action: HotkeyAction;
  keys: string[];
  description: string;
  group: 'Playback' | 'Review' | 'Editing' | 'View';
}

export const HOTKEYS: readonly Hotkey[] = [
  { action: 'playPause', keys: ['Space'], description: 'Play / pause from the cursor (inside the loop when looping)', group: 'Playback' },
  { action: 'toggleLoop', keys: ['L'], description: 'Loop the current region or selected label', group: 'Playback' },
  { action: 'playSelection', keys: ['P'], description: 'Play the selected label (or the current region) once', group: 'Playback' },
  { action: 'slower', keys: ['['], description: 'Slower playback (down to 0.25×)', group: 'Playback' },
  { action: 'faster', keys: [']'], description: 'Faster playback (up to 2×)', group: 'Playback' },
  { action: 'markSilence', keys: ['S'], description: 'Mark the current region (or selected labels) as silence; while drawing: the new label is silence', group: 'Review' },
  { action: 'markSound', keys: ['N'], description: 'Mark the current region (or selected labels) as not silence; while drawing: the new label is sound', group: 'Review' },
  { action: 'nextUncertain', keys: ['Enter', 'U'], description: 'Next most uncertain region of this recording (then of the project, opening its recording)', group: 'Review' },
  { action: 'nextRegion', keys: ['ArrowRight'], description: 'Next region', group: 'Review' },
  { action: 'previousRegion', keys: ['ArrowLeft'], description: 'Previous region', group: 'Review' },
  { action: 'toggleAutoAdvance', keys: ['A'], description: 'Auto-advance to the next uncertain region of this recording after a decision: on / off', group: 'Review' },
  { action: 'nextRecording', keys: ['PageDown'], description: 'Next recording (in the list\'s order)', group: 'Review' },
  { action: 'previousRecording', keys: ['PageUp'], description: 'Previous recording', group: 'Review' },
  { action: 'undo', keys: ['Ctrl+Z'], description: 'Undo the last edit (also after a restart)', group: 'Editing' },
  { action: 'redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], description: 'Redo', group: 'Editing' },
  { action: 'deleteSelection', keys: ['Delete', 'Backspace'], description: 'Delete the selected labels', group: 'Editing' },
  { action: 'split', keys: ['B', '/'], description: 'Split the selected label at the cursor', group: 'Editing' },
  { action: 'merge', keys: ['M'], description: 'Merge the selected labels (Shift-click to select several)', group: 'Editing' },
  { action: 'markIn', keys: ['I'], description: 'Start a label at the playhead', group: 'Editing' },
  { action: 'markOut', keys: ['O'], description: 'End the label started with I at the playhead, and save it', group: 'Editing' },
  { action: 'labelView', keys: ['D'], description: 'Draw a label over the part of the recording on screen', group: 'Editing' },
  { action: 'zoomIn', keys: ['Z', '+'], description: 'Zoom in (around the cursor)', group: 'View' },
  { action: 'zoomOut', keys: ['X', '-'], description: 'Zoom out', group: 'View' },
  { action: 'zoomWhole', keys: ['0'], description: 'Show the whole recording', group: 'View' },
  { action: 'panLeft', keys: ['Shift+ArrowLeft'], description: 'Scroll left', group: 'View' },
  { action: 'panRight', keys: ['Shift+ArrowRight'], description: 'Scroll right', group: 'View' },
  { action: 'frequencyZoomIn', keys: ['Shift+ArrowUp'], description: 'Frequency zoom in (or drag on the frequency axis)', group: 'View' },
  { action: 'frequencyZoomOut', keys: ['Shift+ArrowDown'], description: 'Frequency zoom out', group: 'View' },
  { action: 'frequencyUp', keys: ['Alt+ArrowUp'], description: 'Move the frequency band up', group: 'View' },
  { action: 'frequencyDown', keys: ['Alt+ArrowDown'], description: 'Move the frequency band down', group: 'View' },
  { action: 'frequencyWhole', keys: ['F'], description: 'Show 0 Hz to Nyquist (or double-click the frequency axis)', group: 'View' },
  { action: 'help', keys: ['?'], description: 'Show / hide this list', group: 'View' },
  { action: 'escape', keys: ['Escape'], description: 'Close this list, cancel a label started with I, clear the selection', group: 'View' },
];

/** The subset of KeyboardEvent the chord needs (so tests can pass plain objects). */
export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

/** The chord a key event stands for, in the table's notation. */
export function chordOf(event: KeyLike): string {
  let key = event.key === ' ' || event.key === 'Spacebar' ? 'Space' : event.key;
  const isLetter = /^[a-z]$/i.test(key);
  if (isLetter) key = key.toUpperCase();
  // A printed symbol already says whether Shift was down ('?' vs '/').
  const shiftCounts = isLetter || key.length > 1;
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('Ctrl');
  if (event.altKey) parts.push('Alt');
  if (event.shiftKey && shiftCounts) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}

const ACTION_BY_CHORD = new Map<string, HotkeyAction>(HOTKEYS.flatMap((h) => h.keys.map((k) => [k, h.action] as const)));

/** The action bound to a key event, or null. */
export function actionForKey(event: KeyLike): HotkeyAction | null {
  return ACTION_BY_CHORD.get(chordOf(event)) ?? null;
}

/** True when the key goes to a text field or control, not to the review view. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const element = target as HTMLElement;
  const tag = element.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT' || element.isContentEditable) return true;
  if (tag !== 'INPUT') return false;
  const type = (element as HTMLInputElement).type;
  // Sliders and checkboxes keep arrows for themselves but should not swallow letter shortcuts.
  return !['range', 'checkbox', 'radio', 'button'].includes(type);
}

/**
 * Builds a keydown handler from one function per action. The Record type
 * makes the compiler insist that every action in the table has a handler.
 */
export function createHotkeyHandler(handlers: Record<HotkeyAction, () => void>): (event: KeyboardEvent) => boolean {
  return (event) => {
    // A key another part of the page already acted on (Enter that opened this recording from the list) is not ours too.
    if (event.isComposing || event.defaultPrevented) return false;
    const action = actionForKey(event);
    if (!action) return false;
    if (isTypingTarget(event.target) && action !== 'escape') return false;
    const target = event.target as HTMLElement | null;
    // Space and Enter on a focused button should press the button, not play.
    if ((action === 'playPause' || action === 'nextUncertain') && target?.tagName === 'BUTTON') return false;
    event.preventDefault();
    // Holding a key repeats only movement; a held S must not mark ten regions.
    if (event.repeat && !REPEATABLE.has(action)) return true;
    handlers[action]();
    return true;
  };
}

const REPEATABLE = new Set<HotkeyAction>([
  'zoomIn', 'zoomOut', 'panLeft', 'panRight', 'nextRegion', 'previousRegion', 'frequencyZoomIn', 'frequencyZoomOut', 'frequencyUp', 'frequencyDown',
]);

/** How a chord is shown to people ('Ctrl+Shift+Z' → 'Ctrl + Shift + Z', arrows as symbols). */
export function displayChord(chord: string): string {
  if (chord === '+') return '+';
  const names: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓' };
  return chord.split('+').map((p) => names[p] ?? p).join(' + ');
}
