/**
 * The clustering dev sets of issue #11, read from ../shared beside the
 * checkout (never copied into the product):
 * - orca: the 12 SRKW call-type clips (6 types × 2); the type is the token
 *   after `calltype_` up to the next `-`; one item per clip (the whole clip);
 * - bf_bl26lb16_notmat (7 syllable types) and koumura_bird0 (9 note types):
 *   one item per human-annotated syllable in events.csv.
 * Only these sets are used for tuning; other annotated sets are kept back.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { csvParse } from 'd3-dsv';
import { probeAudio } from '../../engine/audio';
import type { AudioRegion } from '../../engine/clusters/acoustic-sequences';

export interface DevItem extends AudioRegion {
  file: string;
  label: string;
}

export interface DevSet {
  name: 'orca' | 'bf_bl26lb16' | 'koumura_bird0';
  /** Folder holding the set's audio files. */
  dir: string;
  files: string[];
  items: DevItem[];
}

export function sharedDataDir(): string {
  return resolve(process.env.SONOTYPE_SHARED_DATA ?? join(process.cwd(), '..', 'shared', 'data'));
}

export function devSetsAvailable(): boolean {
  return existsSync(join(sharedDataDir(), 'recordings')) && existsSync(join(sharedDataDir(), 'annotated'));
}

export function orcaType(fileName: string): string | null {
  const m = /calltype_([^-]+)-/.exec(fileName);
  return m ? m[1] : null;
}

async function loadOrca(): Promise<DevSet> {
  const dir = join(sharedDataDir(), 'recordings');
  const files = readdirSync(dir).filter((f) => f.startsWith('orca_srkw_calltype_') && f.endsWith('.wav')).sort();
  const items: DevItem[] = [];
  for (const file of files) {
    const info = await probeAudio(join(dir, file));
    items.push({ file, label: orcaType(file)!, absPath: join(dir, file), sampleRate: info.sampleRate, startSample: 0, endSample: info.frames });
  }
  return { name: 'orca', dir, files, items };
}

async function loadEvents(name: 'bf_bl26lb16' | 'koumura_bird0', folder: string): Promise<DevSet> {
  const dir = join(sharedDataDir(), 'annotated', folder);
  const rows = csvParse(readFileSync(join(dir, 'events.csv'), 'utf8'));
  const files = [...new Set(rows.map((r) => r.file!))].sort();
  const rates = new Map<string, number>();
  for (const file of files) rates.set(file, (await probeAudio(join(dir, file))).sampleRate);
  const items = rows.map((r) => {
    const rate = rates.get(r.file!)!;
    return {
      file: r.file!, label: r.label!, absPath: join(dir, r.file!), sampleRate: rate,
      startSample: Math.round(Number(r.onset_s) * rate), endSample: Math.round(Number(r.offset_s) * rate),
    };
  });
  return { name, dir, files, items };
}

/** All three dev sets. */
export async function loadDevSets(): Promise<DevSet[]> {
  return [await loadOrca(), await loadEvents('bf_bl26lb16', 'bf_bl26lb16_notmat'), await loadEvents('koumura_bird0', 'koumura_bird0')];
}
