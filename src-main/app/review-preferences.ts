/**
 * The researcher's review preferences (auto-advance, value of drawn labels),
 * kept for the user in the config folder beside the recent projects: they
 * are habits of a person, not data of a project, and must survive a browser
 * mode that is served on a different port each time.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { DEFAULT_REVIEW_PREFERENCES, reviewPreferencesPatchSchema, type ReviewPreferences } from '../../src-shared/review-loop-types';
import { configDir } from './app-paths';

const fileName = () => join(configDir(), 'review-preferences.json');

/** The stored preferences; defaults for anything missing, and for a file that cannot be read. */
export async function readReviewPreferences(): Promise<ReviewPreferences> {
  try {
    const parsed = v.safeParse(reviewPreferencesPatchSchema, JSON.parse(await readFile(fileName(), 'utf8')));
    return { ...DEFAULT_REVIEW_PREFERENCES, ...(parsed.success ? parsed.output : {}) };
  } catch {
    return { ...DEFAULT_REVIEW_PREFERENCES };
  }
}

/** Applies a change and writes the whole set atomically; returns it. */
export async function writeReviewPreferences(patch: Partial<ReviewPreferences>): Promise<ReviewPreferences> {
  const next = { ...(await readReviewPreferences()), ...patch };
  await mkdir(configDir(), { recursive: true });
  const tmp = `${fileName()}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(next, null, 1));
  await rename(tmp, fileName());
  return next;
}
