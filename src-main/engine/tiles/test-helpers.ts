/**
 * Test fixtures for the tile tests: a temporary project holding generated
 * WAVs, scanned into its database, and independent reference computations.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProject, type Project } from '../project/open-project';
import { scanProject } from '../project/scan-project';
import { encodeWav, type WavSampleFormat } from '../testing/wav-writer';

export interface TileFixture {
  dir: string;
  project: Project;
  /** Recording id by file name. */
  ids: Map<string, number>;
  cleanup(): void;
}

/** Writes the given mono files into a new project folder and scans it (rate groups unless a rate is forced). */
export async function createTileFixture(
  files: { name: string; samples: Float32Array; sampleRate: number; format?: WavSampleFormat }[],
  analysisSampleRate?: number,
): Promise<TileFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'sonotype-tiles-'));
  for (const f of files) writeFileSync(join(dir, f.name), encodeWav([f.samples], { sampleRate: f.sampleRate, format: f.format ?? 'pcm16' }));
  const project = await openProject(dir, { analysisSampleRate });
  const report = await scanProject(project);
  const ids = new Map(report.recordings.map((r) => [r.path, r.id]));
  return {
    dir,
    project,
    ids,
    cleanup() {
      project.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The display quantisation written out independently of tile-format.ts: −140…0 dB onto 0…255. */
export function referenceQuantise(db: number): number {
  const clamped = Math.min(0, Math.max(-140, db));
  return Math.round(((clamped + 140) / 140) * 255);
}

/** What a PCM16 file stores for these samples, read back as the decoder does (v / 32768). */
export function pcm16RoundTrip(samples: Float32Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const x = Math.max(-1, Math.min(1, samples[i]));
    out[i] = (Math.max(-32768, Math.min(32767, Math.round(x * 32767))) || 0) / 32768; // stored integers have no −0
  }
  return out;
}
