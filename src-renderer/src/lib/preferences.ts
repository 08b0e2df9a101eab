/**
 * The researcher's review habits (auto-advance, value of drawn labels), kept
 * by main for the user (preferences:get / preferences:set), so they survive
 * restarts and a browser mode served on another port each time. The last
 * known values are held here too, so a recording opened next starts with
 * them at once.
 */
import { DEFAULT_REVIEW_PREFERENCES, type ReviewPreferences } from '../../../src-shared/review-loop-types';
import { call } from './api';

export type { ReviewPreferences } from '../../../src-shared/review-loop-types';

let known: ReviewPreferences = { ...DEFAULT_REVIEW_PREFERENCES };

/** The last known preferences (defaults before the first load). */
export function knownPreferences(): ReviewPreferences {
  return { ...known };
}

/** Reads the stored preferences from main; keeps the last known ones when main cannot be asked. */
export async function loadPreferences(): Promise<ReviewPreferences> {
  try {
    known = await call('preferences:get');
  } catch {
    // No backend or an older one: the defaults (or what this page last knew) hold.
  }
  return { ...known };
}

/** Saves a change; a refusal only loses the memory of it, never the change on screen. */
export async function savePreferences(patch: Partial<ReviewPreferences>): Promise<void> {
  known = { ...known, ...patch };
  try {
    known = await call('preferences:set', patch);
  } catch {
    // The preference then lasts for this session only.
  }
}

/** Forgets what this page knew (tests). */
export function resetKnownPreferences(): void {
  known = { ...DEFAULT_REVIEW_PREFERENCES };
}
