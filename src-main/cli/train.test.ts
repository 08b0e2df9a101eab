/**
 * `sonotype train` in-process: progress as JSON lines (one object per line,
 * epochs and loss included), the trained encoder saved as a model version,
 * and usage errors with exit code 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './main';
import { captureIo } from './test-helpers';
import { encodeWav } from '../engine/testing/wav-writer';
import { synthScene } from '../engine/testing/synth';
import { openProject } from '../engine/project/open-project';
import { createJob, finishJob } from '../engine/store/jobs';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sonotype-train-cli-'));
  const audio = synthScene(16_000, [{ kind: 'whistle', startSeconds: 0.2, endSeconds: 0.9 }], 2, 0.002, 9);
  writeFileSync(join(dir, 'scene.wav'), encodeWav([audio], { sampleRate: 16_000, format: 'pcm16' }));
  expect(await runCli(['scan', dir, '--json'], captureIo())).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sonotype train', () => {
  it('prints progress as JSON lines and saves the encoder', async () => {
    const io = captureIo();
    const code = await runCli(['train', '--model', 'v3', '--epochs', '2', '--batch', '4', '--windows', '4', '--project', dir, '--json'], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const lines = io.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.every((p) => p.kind === 'train' && typeof p.jobId === 'number')).toBe(true);
    expect(lines.some((p) => p.phase === 'training' && p.epoch === 2 && typeof p.loss === 'number')).toBe(true);
    const last = lines.at(-1);
    expect(last).toMatchObject({ state: 'succeeded', result: { kind: 'encoder-v3', version: 1 } });
  }, 120_000);

  it('refuses a missing model, a bad number and a resume with nothing to resume', async () => {
    expect(await runCli(['train', '--project', dir], captureIo())).toBe(2);
    expect(await runCli(['train', '--model', 'v2', '--project', dir], captureIo())).toBe(2);
    expect(await runCli(['train', '--model', 'v3', '--epochs', '0', '--project', dir], captureIo())).toBe(2);
    const io = captureIo();
    expect(await runCli(['train', '--resume', '--project', dir], io)).toBe(2);
    expect(io.stderr).toMatch(/nothing|no interrupted/i);
  });

  it('--resume of a training stopped before its first checkpoint starts it over instead of refusing', async () => {
    const project = await openProject(dir);
    try {
      const job = createJob(project.db, { kind: 'train', params: { model: 'v3', epochs: 1, batchSize: 4, maxWindows: 4 } });
      finishJob(project.db, job.id, { state: 'failed', error: { code: 'INTERNAL', message: 'interrupted' } });
    } finally {
      project.close();
    }
    const io = captureIo();
    expect(await runCli(['train', '--resume', '--project', dir, '--json'], io)).toBe(0);
    expect(io.stderr).toMatch(/stopped before its first checkpoint; starting it over/);
    expect(io.stdout.trim().split('\n').map((l) => JSON.parse(l)).at(-1)).toMatchObject({ state: 'succeeded', result: { kind: 'encoder-v3' } });
  }, 120_000);
});
