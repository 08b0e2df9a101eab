import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../testing/wav-writer';
import { whiteNoise } from '../testing/synth';
import { openProject, type Project } from './open-project';
import { scanProject } from './scan-project';
import { getRecording } from '../store/recordings';

/** A second of low noise at `rate`, as a 16-bit WAV. */
async function writeNoise(dir: string, name: string, rate: number): Promise<void> {
  await writeFile(join(dir, name), encodeWav([whiteNoise(rate, 0.2, 0.01, rate)], { sampleRate: rate, format: 'pcm16' }));
}

describe('project rate choice (mixed-rate folders)', () => {
  let dir: string;
  let project: Project | null = null;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sonotype-rates-'));
  });
  afterEach(async () => {
    project?.close();
    project = null;
    await rm(dir, { recursive: true, force: true });
  });

  it('analyses each recording at its rate group\'s rate: no 2 kHz file upsampled to 48 kHz', async () => {
    await writeNoise(dir, 'whale_2k.wav', 2000);
    await writeNoise(dir, 'humpback_24k.wav', 24_000);
    await writeNoise(dir, 'birds_44k.wav', 44_100);
    await writeNoise(dir, 'dolphin_a.wav', 48_000);
    await writeNoise(dir, 'dolphin_b.wav', 48_000);
    project = await openProject(dir);
    expect(project.featureConfig()).toBeNull();
    expect(project.rateGroups()).toEqual([]);
    await scanProject(project);

    expect(project.rateGroups().map((g) => g.analysisSampleRate)).toEqual([2000, 24_000, 48_000]);
    const rateOf = (path: string) => project!.featureConfigFor(getRecording(project!.db, path)!.sampleRate!).analysisSampleRate;
    expect(rateOf('whale_2k.wav')).toBe(2000);
    expect(rateOf('humpback_24k.wav')).toBe(24_000);
    expect(rateOf('birds_44k.wav')).toBe(48_000);
    expect(rateOf('dolphin_a.wav')).toBe(48_000);
    // The main group (most recordings) is the project's headline config; every config keeps the model's 256 bins.
    expect(project.featureConfig()?.analysisSampleRate).toBe(48_000);
    expect(project.featureConfigFor(2000).band).toEqual({ lowHz: 0, highHz: 1000 });
  });

  it('never moves a recording to another rate on a rescan; new rates join a close group or get their own', async () => {
    await writeNoise(dir, 'a.wav', 48_000);
    project = await openProject(dir);
    await scanProject(project);
    for (const name of ['b.wav', 'c.wav', 'd.wav']) await writeNoise(dir, name, 44_100);
    await writeNoise(dir, 'e.wav', 8000);
    await scanProject(project);
    expect(project.rateGroups()).toEqual([
      { analysisSampleRate: 8000, nativeRates: [8000] },
      { analysisSampleRate: 48_000, nativeRates: [44_100, 48_000] },
    ]);
    expect(project.featureConfigFor(48_000).analysisSampleRate).toBe(48_000);
  });

  it('a forced analysis rate (--analysis-rate) applies to every recording until set back to auto', async () => {
    await writeNoise(dir, 'a.wav', 2000);
    await writeNoise(dir, 'b.wav', 48_000);
    project = await openProject(dir, { analysisSampleRate: 24_000 });
    await scanProject(project);
    expect(project.featureConfigFor(2000).analysisSampleRate).toBe(24_000);
    expect(project.rateGroups()).toEqual([{ analysisSampleRate: 24_000, nativeRates: [2000, 48_000] }]);
    project.close();

    project = await openProject(dir, { analysisSampleRate: 'auto' });
    await scanProject(project);
    expect(project.featureConfigFor(2000).analysisSampleRate).toBe(2000);
    expect(project.featureConfigFor(48_000).analysisSampleRate).toBe(48_000);
  });
});
