/**
 * `sonotype detect` and `sonotype eval` in-process: the stable JSON shape and
 * end-to-end coverage of every recording, flag checks and exit codes, and
 * evaluation against the human-annotated real recordings (hummingbird CSV,
 * spinetail Audacity labels). Projects always live in temp folders: the
 * shared recordings are copied out, never written to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './main';
import { captureIo } from './test-helpers';
import { encodeWav } from '../engine/testing/wav-writer';
import { concat, digitalSilence, synthScene } from '../engine/testing/synth';
import { defaultFeatureConfig, resampledLength, windowSpans } from '../engine/features';
import { probeAudio } from '../engine/audio';
import { parseTruthTable } from '../engine/detection/truth-table';

const here = dirname(fileURLToPath(import.meta.url));
const recordingsDir = resolve(here, '../..', '../shared/data/recordings');
const RATE = 16_000;

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sonotype-detect-cli-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

interface JsonRegion { path: string; startSeconds: number; endSeconds: number; kind: string; pSilence: number }

describe('sonotype detect', () => {
  const audio = () => join(root, 'synth-audio');
  const project = () => join(root, 'synth-project');
  const lengths: Record<string, number> = {};

  beforeAll(async () => {
    mkdirSync(audio());
    const one = synthScene(RATE, [{ kind: 'whistle', startSeconds: 2, endSeconds: 4 }, { kind: 'clicks', startSeconds: 7, endSeconds: 9 }], 11, 0.002, 4);
    const two = concat(digitalSilence(RATE, 3), synthScene(RATE, [{ kind: 'burst', startSeconds: 2, endSeconds: 4 }], 6.3, 0.002, 6));
    for (const [name, samples] of [['one.wav', one], ['two.wav', two]] as const) {
      writeFileSync(join(audio(), name), encodeWav([samples], { sampleRate: RATE, format: 'pcm16' }));
      lengths[name] = samples.length;
    }
    expect(await runCli(['scan', audio(), '--project', project()], captureIo())).toBe(0);
  }, 30_000);

  it('fails with exit code 1 before detection, and with 2 on bad flags', async () => {
    const io = captureIo();
    expect(await runCli(['eval', '--truth', join(audio(), 'missing.csv'), '--project', project()], io)).toBe(1);
    writeFileSync(join(root, 'truth.csv'), 'file,start,end\none.wav,2,4\n');
    const early = captureIo();
    expect(await runCli(['eval', '--truth', join(root, 'truth.csv'), '--project', project()], early)).toBe(1);
    expect(early.stderr).toMatch(/run `sonotype detect` first/);
    expect(await runCli(['detect', '--project', project(), '--threshold', '2'], captureIo())).toBe(2);
    expect(await runCli(['detect', '--project', project(), '--smoothing', '4'], captureIo())).toBe(2);
    expect(await runCli(['detect', '--project', project(), '--merge-gap', 'abc'], captureIo())).toBe(2);
    expect(await runCli(['eval', '--project', project()], captureIo())).toBe(2);
    const none = captureIo();
    expect(await runCli(['detect', '--project', join(root, 'no-project-here')], none)).toBe(1);
    expect(none.stderr).toMatch(/No Sonotype project/);
  });

  it('prints {backend, model, regions} covering every recording end to end', async () => {
    const io = captureIo();
    const code = await runCli(['detect', '--project', project(), '--json', '--backend', 'wasm', '--merge-gap', '0.2'], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(io.stdout) as { backend: string; model: string; regions: JsonRegion[] };
    expect(Object.keys(out).sort()).toEqual(['backend', 'model', 'regions']);
    expect(out.backend).toMatch(/^wasm \(/);
    expect(out.model).toMatch(/encoder-v3/);
    for (const r of out.regions) {
      expect(Object.keys(r).sort()).toEqual(['endSeconds', 'kind', 'pSilence', 'path', 'startSeconds']);
      expect(['silence', 'sound']).toContain(r.kind);
      expect(r.pSilence).toBeGreaterThanOrEqual(0);
      expect(r.pSilence).toBeLessThanOrEqual(1);
    }
    for (const [name, samples] of Object.entries(lengths)) {
      const mine = out.regions.filter((r) => r.path === name);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine[0].startSeconds).toBe(0);
      expect(mine.at(-1)!.endSeconds).toBe(samples / RATE);
      for (let i = 1; i < mine.length; i++) {
        expect(mine[i].startSeconds).toBe(mine[i - 1].endSeconds);
        expect(mine[i].kind).not.toBe(mine[i - 1].kind);
      }
    }
    // The middle of each synthesised sound is in a sound region.
    const kindAt = (path: string, t: number) => out.regions.find((r) => r.path === path && r.startSeconds <= t && t < r.endSeconds)?.kind;
    expect(kindAt('one.wav', 3)).toBe('sound');
    expect(kindAt('one.wav', 8)).toBe('sound');
    expect(kindAt('two.wav', 6)).toBe('sound');
    expect(kindAt('two.wav', 1.5)).toBe('silence'); // exact digital zeros

    const table = captureIo();
    expect(await runCli(['detect', '--project', project(), '--backend', 'wasm'], table)).toBe(0);
    expect(table.stdout).toMatch(/file\s+duration\s+windows\s+silence\s+sound regions/);
    expect(table.stdout).toMatch(/merge gap 0\.2 s/); // the stored setting is kept
    expect(table.stdout).toMatch(/0 windows embedded/);
  }, 60_000);

  it('eval prints the confusion matrix and event scores of a CSV truth table', async () => {
    writeFileSync(join(root, 'truth.csv'), 'file,start,end\none.wav,2,4\none.wav,7,9\ntwo.wav,5,7\n');
    const io = captureIo();
    expect(await runCli(['eval', '--truth', join(root, 'truth.csv'), '--project', project()], io)).toBe(0);
    expect(io.stdout).toMatch(/truth not silence\s+\d+\s+\d+/);
    expect(io.stdout).toMatch(/truth silence\s+\d+\s+\d+/);
    const json = captureIo();
    expect(await runCli(['eval', '--truth', join(root, 'truth.csv'), '--project', project(), '--json'], json)).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.truthFormat).toBe('csv');
    expect(out.eventScores.events).toBe(3);
    expect(out.eventScores.recall).toBe(1);
  }, 30_000);
});

/** Independent truth rows: a window is "not silence" when any event overlaps it by more than zero seconds. */
function truthRows(spans: { startSeconds: number; endSeconds: number }[], events: { startSeconds: number; endSeconds: number }[]): [number, number] {
  let sound = 0;
  for (const w of spans) if (events.some((e) => Math.min(e.endSeconds, w.endSeconds) > Math.max(e.startSeconds, w.startSeconds))) sound++;
  return [sound, spans.length - sound];
}

describe.skipIf(!existsSync(recordingsDir))('sonotype eval on human-annotated recordings', () => {
  const files = ['hummingbird_Phae_long1.wav', 'hummingbird_Phae_long2.wav', 'birds_spinetail_maad.wav'];
  const project = () => join(root, 'real-project');

  beforeAll(async () => {
    const audio = join(root, 'real-audio');
    mkdirSync(audio);
    for (const f of files) copyFileSync(join(recordingsDir, f), join(audio, f));
    expect(await runCli(['scan', audio, '--project', project()], captureIo())).toBe(0);
    expect(await runCli(['detect', '--project', project(), '--backend', 'wasm'], captureIo())).toBe(0);
  }, 60_000);

  async function expectedRows(names: string[], truthFile: string): Promise<[number, number]> {
    const table = parseTruthTable(readFileSync(truthFile, 'utf8'));
    const rows: [number, number] = [0, 0];
    for (const name of names) {
      const info = await probeAudio(join(recordingsDir, name));
      // The project's analysis rate is the most common native rate: 22.5 kHz (two hummingbird files).
      const config = defaultFeatureConfig(22_500);
      const spans = windowSpans(resampledLength(info.frames, info.sampleRate, 22_500), info.sampleRate, info.frames, config);
      const events = table.events.filter((e) => e.recording === undefined || e.recording === name);
      const [sound, silence] = truthRows(spans, events);
      rows[0] += sound;
      rows[1] += silence;
    }
    return rows;
  }

  it('scores the hummingbird detections against the reference CSV', async () => {
    const truth = join(recordingsDir, 'hummingbird_Phae_long_reference_dev.csv');
    const io = captureIo();
    expect(await runCli(['eval', '--truth', truth, '--project', project()], io)).toBe(0);
    console.info(io.stdout);
    expect(io.stdout).toMatch(/truth not silence\s+\d+\s+\d+/);
    expect(io.stdout).toMatch(/truth silence\s+\d+\s+\d+/);
    const json = captureIo();
    expect(await runCli(['eval', '--truth', truth, '--project', project(), '--json'], json)).toBe(0);
    const out = JSON.parse(json.stdout);
    const c = out.confusion.counts as [[number, number], [number, number]];
    expect([c[0][0] + c[0][1], c[1][0] + c[1][1]]).toEqual(await expectedRows(files.slice(0, 2), truth));
    expect(out.eventScores.events).toBe(6);
    expect(out.recordings.map((r: { path: string }) => r.path).sort()).toEqual(files.slice(0, 2));
  }, 30_000);

  it('scores the spinetail detections against its Audacity label track (--recording)', async () => {
    const truth = join(recordingsDir, 'birds_spinetail_maad.audacity_labels.txt');
    const unnamed = captureIo();
    expect(await runCli(['eval', '--truth', truth, '--project', project()], unnamed)).toBe(1);
    expect(unnamed.stderr).toMatch(/--recording/);
    const io = captureIo();
    expect(await runCli(['eval', '--truth', truth, '--project', project(), '--recording', 'birds_spinetail_maad.wav'], io)).toBe(0);
    console.info(io.stdout);
    expect(io.stdout).toMatch(/truth not silence\s+\d+\s+\d+/);
    const json = captureIo();
    expect(await runCli(['eval', '--truth', truth, '--project', project(), '--recording', 'birds_spinetail_maad.wav', '--json'], json)).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.truthFormat).toBe('audacity');
    const c = out.confusion.counts as [[number, number], [number, number]];
    expect([c[0][0] + c[0][1], c[1][0] + c[1][1]]).toEqual(await expectedRows([files[2]], truth));
    expect(out.eventScores.events).toBe(18);
  }, 30_000);
});

if (!existsSync(recordingsDir)) console.warn(`Skipping eval on real recordings: ${recordingsDir} is absent.`);
