import { describe, expect, it, vi } from 'vitest';
import { actionForKey, chordOf, createHotkeyHandler, displayChord, HOTKEYS, type HotkeyAction } from './hotkeys';

/** A KeyboardEvent for a chord written in the table's notation. */
function eventFor(chord: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const parts = chord === '+' ? ['+'] : chord.split('+');
  const key = parts[parts.length - 1];
  return new KeyboardEvent('keydown', {
    key: key === 'Space' ? ' ' : /^[A-Z]$/.test(key) && !parts.includes('Shift') ? key.toLowerCase() : key,
    ctrlKey: parts.includes('Ctrl'),
    shiftKey: parts.includes('Shift') || key === '?',
    altKey: parts.includes('Alt'),
    cancelable: true,
    ...init,
  });
}

describe('hotkey table', () => {
  it('binds every chord to exactly one action, and covers the issue\'s keys', () => {
    const chords = HOTKEYS.flatMap((h) => h.keys);
    expect(new Set(chords).size).toBe(chords.length);
    const expected: Array<[string, HotkeyAction]> = [
      ['Space', 'playPause'], ['S', 'markSilence'], ['N', 'markSound'], ['ArrowRight', 'nextRegion'], ['ArrowLeft', 'previousRegion'],
      ['Z', 'zoomIn'], ['X', 'zoomOut'], ['Ctrl+Z', 'undo'], ['Ctrl+Shift+Z', 'redo'], ['?', 'help'],
    ];
    for (const [chord, action] of expected) expect(actionForKey(eventFor(chord)), chord).toBe(action);
  });

  it('dispatches every table entry to its own handler', () => {
    const calls: HotkeyAction[] = [];
    const handlers = Object.fromEntries(HOTKEYS.map((h) => [h.action, () => void calls.push(h.action)])) as unknown as Record<HotkeyAction, () => void>;
    const handle = createHotkeyHandler(handlers);
    for (const hotkey of HOTKEYS) {
      for (const chord of hotkey.keys) {
        calls.length = 0;
        const event = eventFor(chord);
        expect(handle(event), chord).toBe(true);
        expect(calls).toEqual([hotkey.action]);
        expect(event.defaultPrevented).toBe(true);
      }
    }
  });

  it('reads letters case-insensitively, ⌘ as Ctrl, and Shift only where it matters', () => {
    expect(chordOf({ key: 'z', metaKey: true })).toBe('Ctrl+Z');
    expect(chordOf({ key: 'Z', ctrlKey: true, shiftKey: true })).toBe('Ctrl+Shift+Z');
    expect(chordOf({ key: '?', shiftKey: true })).toBe('?');
    expect(chordOf({ key: ' ' })).toBe('Space');
    expect(actionForKey({ key: 's', shiftKey: true })).toBeNull();
    expect(actionForKey({ key: 'q' })).toBeNull();
  });

  it('leaves keys typed into text fields and Space on buttons alone, and ignores held decision keys', () => {
    const markSilence = vi.fn();
    const playPause = vi.fn();
    const handlers = new Proxy({}, { get: (_t, name) => (name === 'markSilence' ? markSilence : name === 'playPause' ? playPause : () => undefined) }) as Record<HotkeyAction, () => void>;
    const handle = createHotkeyHandler(handlers);
    const input = document.createElement('input');
    document.body.append(input);
    const typed = eventFor('S');
    input.dispatchEvent(typed);
    expect(handle(typed)).toBe(false);
    const button = document.createElement('button');
    document.body.append(button);
    const space = eventFor('Space');
    button.dispatchEvent(space);
    expect(handle(space)).toBe(false);
    expect(handle(eventFor('S', { repeat: true }))).toBe(true);
    expect(markSilence).not.toHaveBeenCalled();
    expect(playPause).not.toHaveBeenCalled();
  });

  it('shows chords readably', () => {
    expect(displayChord('Ctrl+Shift+Z')).toBe('Ctrl + Shift + Z');
    expect(displayChord('Shift+ArrowLeft')).toBe('Shift + ←');
    expect(displayChord('+')).toBe('+');
  });
});
