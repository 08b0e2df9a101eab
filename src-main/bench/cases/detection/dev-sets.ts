/**
 * The detection dev sets of issue 7 (the only data detection is tuned on),
 * read from ../shared beside the checkout: two Bengalese finch sets with
 * human syllable onsets/offsets, the two hummingbird files with their
 * complete reference table, and the spinetail soundscape whose Audacity
 * labels mark only two species (used for "what corrections can teach", not
 * for day-one sound-vs-silence).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTruthTable, type TruthEvent } from '../../../engine/exchange/truth-table';

const here = dirname(fileURLToPath(import.meta.url));
export const SHARED_DATA = resolve(here, '../../../..', '../shared/data');

export interface DevFile {
  name: string;
  path: string;
  events: TruthEvent[];
}

export interface DevSet {
  name: string;
  files: DevFile[];
  /** Completely annotated (every sound marked): counts for day-one targets. */
  complete: boolean;
}

/** The dev sets present beside this checkout (none when ../shared is absent). */
export async function loadDevSets(): Promise<DevSet[]> {
  if (!existsSync(SHARED_DATA)) return [];
  const sets: DevSet[] = [];
  for (const name of ['bf_bl26lb16_notmat', 'koumura_bird0']) {
    const dir = join(SHARED_DATA, 'annotated', name);
    if (!existsSync(dir)) continue;
    const events = await readTruthTable(join(dir, 'events.csv'));
    const files = readdirSync(dir).filter((f) => f.endsWith('.wav')).sort();
    sets.push({ name, complete: true, files: files.map((f) => ({ name: f, path: join(dir, f), events: events.filter((e) => e.recording === f) })) });
  }
  const recordings = join(SHARED_DATA, 'recordings');
  const hb = join(recordings, 'hummingbird_Phae_long_reference_dev.csv');
  if (existsSync(hb)) {
    const events = await readTruthTable(hb);
    for (const n of [1, 2]) {
      const f = `hummingbird_Phae_long${n}.wav`;
      sets.push({ name: `hummingbird${n}`, complete: true, files: [{ name: f, path: join(recordings, f), events: events.filter((e) => e.recording === f) }] });
    }
  }
  const sp = join(recordings, 'birds_spinetail_maad.audacity_labels.txt');
  if (existsSync(sp)) {
    sets.push({ name: 'spinetail', complete: false, files: [{ name: 'birds_spinetail_maad.wav', path: join(recordings, 'birds_spinetail_maad.wav'), events: await readTruthTable(sp) }] });
  }
  return sets;
}
