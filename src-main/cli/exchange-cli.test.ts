import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './main';
import { captureIo } from './test-helpers';
import { scratchDir } from '../engine/exchange/test-helpers';
import { encodeWav } from '../engine/testing/wav-writer';
import { whiteNoise } from '../engine/testing/synth';

const RATE = 16_000;

describe('sonotype import / export', () => {
  const scratch = scratchDir('sonotype-cli-exchange-');
  const audio = path.join(scratch.dir, 'audio');
  const projectDir = path.join(scratch.dir, 'project');
  const cli = async (...argv: string[]) => {
    const io = captureIo();
    const code = await runCli(argv, io);
    return { code, ...io };
  };

  beforeAll(async () => {
    mkdirSync(path.join(audio, 'site'), { recursive: true });
    writeFileSync(path.join(audio, 'site', 'rec.wav'), encodeWav([whiteNoise(RATE, 3, 0.1, 5)], { sampleRate: RATE, format: 'pcm16' }));
    writeFileSync(path.join(scratch.dir, 'rec.Table.1.selections.txt'), [
      'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tSpecies',
      '1\tSpectrogram 1\t1\t0.5\t1.0\t1000\t4000\tTt',
      '2\tSpectrogram 1\t1\tx\t1.0\t1000\t4000\tTt',
    ].join('\n'));
    expect((await cli('scan', audio, '--project', projectDir)).code).toBe(0);
  });
  afterAll(() => scratch.cleanup());

  it('imports (bad rows listed by line, exit 0), re-imports nothing, exports each format', async () => {
    const table = path.join(scratch.dir, 'rec.Table.1.selections.txt');
    const first = await cli('import', table, '--project', projectDir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/1 label imported into 1 recording — one undo step/);
    expect(first.stdout).toContain('rec.Table.1.selections.txt, line 3: the start "x" is not a number of seconds.');
    const again = await cli('import', table, '--project', projectDir, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, duplicates: 1, rejected: 1, tables: [{ name: 'rec.Table.1.selections.txt', format: 'raven' }] });

    const out = path.join(scratch.dir, 'out');
    const raven = await cli('export', '--project', projectDir, '--format', 'raven', '--out', out, '--json');
    expect(JSON.parse(raven.stdout)).toMatchObject({ files: ['site/rec.Table.1.selections.txt'], labels: 1, recordings: 1 });
    const written = readFileSync(path.join(out, 'site', 'rec.Table.1.selections.txt'), 'utf8').split('\n');
    expect(written[1].split('\t').slice(0, 7)).toEqual(['1', 'Spectrogram 1', '1', '0.500000000', '1.000000000', '1000', '4000']);
    expect(written[0].split('\t').at(-1)).toBe('Species');
    for (const format of ['audacity', 'csv', 'cluster-wav']) {
      expect((await cli('export', '--project', projectDir, '--format', format, '--out', path.join(out, format))).code, format).toBe(0);
    }
    expect(readFileSync(path.join(out, 'audacity', 'site', 'rec.txt'), 'utf8')).toBe('0.500000\t1.000000\tsound\n\\\t1000.000000\t4000.000000\n');
  });

  it('refuses bad usage with exit 2, and a table with no good row with exit 1', async () => {
    expect((await cli('import', '--project', projectDir)).code).toBe(2);
    expect((await cli('import', 'x.txt', '--format', 'excel', '--project', projectDir)).code).toBe(2);
    expect((await cli('import', 'x.txt', '--as', 'truth', '--project', projectDir)).code).toBe(2);
    expect((await cli('export', '--project', projectDir, '--format', 'raven')).code).toBe(2);
    expect((await cli('export', '--project', projectDir, '--format', 'xls', '--out', 'o')).code).toBe(2);
    const missing = await cli('import', path.join(scratch.dir, 'nope.txt'), '--project', projectDir);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/File not found/) });
    const bad = path.join(scratch.dir, 'rec.txt');
    writeFileSync(bad, '5\t1\tbackwards\n');
    const result = await cli('import', bad, '--project', projectDir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('rec.txt, line 1: it ends (1 s) before it starts (5 s).');
    const notmat = path.join(scratch.dir, 'song.not.mat');
    writeFileSync(notmat, 'MATLAB 5.0 MAT-file');
    expect((await cli('import', notmat, '--project', projectDir)).stdout).toMatch(/not supported: no well-kept MATLAB-file parser/);
  });
});
