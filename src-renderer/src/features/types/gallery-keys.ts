/**
 * The gallery's keyboard: one table drives both the handler and the help
 * line, so they cannot disagree.
 */
export type GalleryCommand =
  | { kind: 'rename' } | { kind: 'merge' } | { kind: 'split' } | { kind: 'noise' }
  | { kind: 'assign'; index: number } | { kind: 'next' } | { kind: 'previous' } | { kind: 'playAll' }
  | { kind: 'undo' } | { kind: 'redo' } | { kind: 'clear' };

export const GALLERY_KEYS: readonly { keys: string; does: string }[] = [
  { keys: '↑ / ↓', does: 'focus the previous / next cluster' },
  { keys: 'R', does: 'rename the focused cluster (its sound type)' },
  { keys: 'M', does: 'merge the clusters marked with Shift+click into the focused one' },
  { keys: 'S', does: 'split the focused cluster: the selected regions, or its dendrogram halves' },
  { keys: 'N', does: 'mark or unmark the focused cluster as noise (silence for the silence head)' },
  { keys: '1 … 9', does: 'give the selected regions (or the focused cluster) the n-th sound type' },
  { keys: 'Space', does: 'play all regions of the focused cluster' },
  { keys: 'Ctrl+Z / Ctrl+Shift+Z', does: 'undo / redo' },
  { keys: 'Esc', does: 'clear the selection' },
];

/** The command for a key press, or null when the key is not the gallery's. */
export function galleryCommand(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): GalleryCommand | null {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (mod && key === 'z') return event.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
  if (mod && key === 'y') return { kind: 'redo' };
  if (mod || event.altKey) return null;
  if (key === 'r') return { kind: 'rename' };
  if (key === 'm') return { kind: 'merge' };
  if (key === 's') return { kind: 'split' };
  if (key === 'n') return { kind: 'noise' };
  if (key === 'ArrowDown' || key === 'j') return { kind: 'next' };
  if (key === 'ArrowUp' || key === 'k') return { kind: 'previous' };
  if (key === ' ') return { kind: 'playAll' };
  if (key === 'Escape') return { kind: 'clear' };
  if (/^[1-9]$/.test(key)) return { kind: 'assign', index: Number(key) - 1 };
  return null;
}
