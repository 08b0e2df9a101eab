/**
 * One damaged recording must not stop detection: it gets an error row, the
 * others get their regions, and a rescan after the file is repaired brings it
 * back. (Before this, one bad file made `detect` fail for the whole project.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProject, type Project } from '../project/open-project';
import { scanProject } from '../project/scan-project';
import { concat, digitalSilence, synthScene } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { getRecording } from '../store/recordings';
import { detectProject } from './detect-project';

const RATE = 8000;

describe('detect isolates each recording', () => {
  let dir: string;
  let project: Project;
  // A whistle in noise, then a recorder's digital silence.
  const good = () =>
    encodeWav([concat(synthScene(RATE, [{ kind: 'whistle', startSeconds: 0.3, endSeconds: 1 }], 1.5, 0.01, 4), digitalSilence(RATE, 1.5))], {
      sampleRate: RATE, format: 'pcm16',
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sonotype-detect-isolation-'));
    for (const name of ['a.wav', 'b.wav', 'c.wav']) writeFileSync(join(dir, name), good());
    project = await openProject(dir);
    await scanProject(project);
  });
  afterAll(() => {
    project?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a file that breaks during detection an error row and detects the others', async () => {
    // b.wav scanned fine, then was overwritten (a copy in progress, a failing disk): it no longer decodes.
    writeFileSync(join(dir, 'b.wav'), Buffer.from('RIFF\x10\x00\x00\x00WAVEjunkjunkjunk', 'latin1'));
    const result = await detectProject(project);
    expect(result.recordings.map((r) => r.path)).toEqual(['a.wav', 'c.wav']);
    for (const r of result.recordings) {
      expect(r.regions.length).toBeGreaterThan(0);
      expect(r.regions[r.regions.length - 1].endSample).toBe(3 * RATE);
    }
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ path: 'b.wav', error: { code: 'TRUNCATED' } });
    expect(result.failures[0].error.message).toMatch(/^Detection could not analyse this file: .*truncated/);
    const row = getRecording(project.db, 'b.wav')!;
    expect(row.status).toBe('error');
    expect(row.error?.message).toBe(result.failures[0].error.message);

    // A second run leaves the failed file out without touching it again.
    const again = await detectProject(project);
    expect(again.failures).toEqual([]);
    expect(again.recordings.map((r) => r.path)).toEqual(['a.wav', 'c.wav']);
  });

  it('takes a repaired file back after a rescan', async () => {
    writeFileSync(join(dir, 'b.wav'), good());
    await scanProject(project);
    expect(getRecording(project.db, 'b.wav')!.status).toBe('ok');
    const result = await detectProject(project);
    expect(result.failures).toEqual([]);
    expect(result.recordings.map((r) => r.path)).toEqual(['a.wav', 'b.wav', 'c.wav']);
  });

  it('gives a recording at a rate detection cannot use (500 Hz) an error row instead of stopping the run', async () => {
    const low = encodeWav([synthScene(500, [], 4, 0.01, 3)], { sampleRate: 500, format: 'pcm16' });
    writeFileSync(join(dir, 'infrasound.wav'), low);
    await scanProject(project);
    const result = await detectProject(project, { backend: 'wasm' });
    expect(result.failures.map((f) => f.path)).toEqual(['infrasound.wav']);
    expect(result.failures[0].error.message).toMatch(/at least 1000 Hz \(got 500\)/);
    expect(result.recordings.map((r) => r.path)).toEqual(['a.wav', 'b.wav', 'c.wav']);
    rmSync(join(dir, 'infrasound.wav'));
    await scanProject(project);
  });

  it('says clearly when no recording at all could be analysed', async () => {
    const other = mkdtempSync(join(tmpdir(), 'sonotype-detect-isolation-'));
    try {
      for (const name of ['a.wav', 'b.wav']) writeFileSync(join(other, name), good());
      const p = await openProject(other);
      try {
        await scanProject(p);
        for (const name of ['a.wav', 'b.wav']) writeFileSync(join(other, name), Buffer.from('not audio at all'));
        await expect(detectProject(p)).rejects.toThrow(/No recording could be analysed: 2 failed \(first: a\.wav: /);
      } finally {
        p.close();
      }
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
