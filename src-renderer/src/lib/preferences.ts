/**
 * The researcher's review habits, remembered between sessions: whether S/N
 * advance to the next uncertain region, and the value a drawn label gets.
 * Read once when a review opens; every change is written at once.
 */

export interface ReviewPreferences {
  /** After an S/N decision, go to the next uncertain region of the same recording. */
  autoAdvance: boolean;
  /** The value of a newly drawn label: 'sound' unless the researcher chose another. */
  drawValue: string;
}

export const DEFAULT_PREFERENCES: ReviewPreferences = { autoAdvance: true, drawValue: 'sound' };

const KEY = 'sonotype.reviewPreferences';

/** The stored preferences, with defaults for anything missing or unreadable. */
export function readPreferences(storage: Pick<Storage, 'getItem'> | null = safeStorage()): ReviewPreferences {
  try {
    const stored = JSON.parse(storage?.getItem(KEY) ?? '{}') as Partial<ReviewPreferences>;
    return {
      autoAdvance: typeof stored.autoAdvance === 'boolean' ? stored.autoAdvance : DEFAULT_PREFERENCES.autoAdvance,
      drawValue: typeof stored.drawValue === 'string' && stored.drawValue.trim() ? stored.drawValue : DEFAULT_PREFERENCES.drawValue,
    };
  } catch {
    return { ...DEFAULT_PREFERENCES };
  }
}

/** Saves a change; a browser that refuses storage only loses the memory, never the change on screen. */
export function writePreferences(patch: Partial<ReviewPreferences>, storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeStorage()): void {
  try {
    storage?.setItem(KEY, JSON.stringify({ ...readPreferences(storage), ...patch }));
  } catch {
    // Private windows and full disks refuse storage; the preference then lasts for this session only.
  }
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
