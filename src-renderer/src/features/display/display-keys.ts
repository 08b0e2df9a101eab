/** The frequency-zoom keys of the review view (listed in hotkeys.ts with the others). */
import type { DisplayHotkeyAction } from '../review/hotkeys';
import type { DisplaySession } from './display-session.svelte';

export function displayHotkeys(display: DisplaySession): Record<DisplayHotkeyAction, () => void> {
  return {
    frequencyZoomIn: () => display.zoomFrequency('in'),
    frequencyZoomOut: () => display.zoomFrequency('out'),
    frequencyUp: () => display.panFrequency('up'),
    frequencyDown: () => display.panFrequency('down'),
    frequencyWhole: () => display.wholeFrequency(),
  };
}
