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
import { parseTruthTable } from '../engine/exchange/truth-table';
import { openProject } from '../engine/project/open-project';
import { getSetting } from '../engine/store/settings';

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
    expect(await runCli(['detect', '--project', project(), '--band', '5000-2000'], captureIo())).toBe(2);
    expect(await runCli(['detect', '--project', project(), '--band', 'low'], captureIo())).toBe(2);
    const tonal = captureIo();
    expect(await runCli(['detect', '--project', project(), '--tonal', 'yes'], tonal)).toBe(2);
    expect(tonal.stderr).toMatch(/--tonal must be one of on, off/);
    expect(await runCli(['eval', '--project', project()], captureIo())).toBe(2);
    const none = captureIo();
    expect(await runCli(['detect', '--project', join(root, 'no-project-here')], none)).toBe(1);
    expect(none.stderr).toMatch(/No Sonotype project/);
  });

  it('prints {backend, model, regions, head, regionParams} covering every recording end to end', async () => {
    const io = captureIo();
    const code = await runCli(['detect', '--project', project(), '--json', '--merge-gap', '0.2'], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(io.stdout) as { backend: string; model: string; regions: JsonRegion[]; head: { type: string; learnedFrom: { humanFrames: number } } };
    expect(Object.keys(out).sort()).toEqual(['backend', 'head', 'model', 'regionParams', 'regions']);
    expect(out.backend).toMatch(/^none \(/);
    expect(out.model).toMatch(/teacher/);
    expect(out.head).toMatchObject({ type: 'teacher', learnedFrom: { humanFrames: 0 } });
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
    expect(await runCli(['detect', '--project', project()], table)).toBe(0);
    expect(table.stdout).toMatch(/file\s+duration\s+frames\s+silence\s+sound regions/);
    expect(table.stdout).toMatch(/merge gap 0\.2 s/); // the stored setting is kept
    expect(table.stdout).toMatch(/0 recordings decoded/); // features are cached
    expect(table.stdout).toMatch(/learned from: no labels/);
  }, 60_000);

  it('eval prints onset-F1, overlap F1 and 10-ms balanced accuracy against a CSV truth table', async () => {
    writeFileSync(join(root, 'truth.csv'), 'file,start,end\none.wav,2,4\none.wav,7,9\ntwo.wav,5,7\n');
    const io = captureIo();
    expect(await runCli(['eval', '--truth', join(root, 'truth.csv'), '--project', project()], io)).toBe(0);
    expect(io.stdout).toMatch(/file\s+events\s+sound regions\s+onset-F1\s+overlap F1\s+bal\. acc\./);
    expect(io.stdout).toMatch(/^all\s+3\s+\d+/m);
    const json = captureIo();
    expect(await runCli(['eval', '--truth', join(root, 'truth.csv'), '--project', project(), '--json'], json)).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.truthFormat).toBe('csv');
    expect(out.scores.events).toBe(3);
    // Three 2-s events: 600 truth-sound segments of 10 ms, counted independently of the detections.
    expect(out.scores.soundAsSound + out.scores.soundAsSilence).toBe(600);
    const segments = Object.values(lengths).reduce((s, n) => s + Math.round(n / RATE / 0.01), 0);
    expect(out.scores.soundAsSound + out.scores.soundAsSilence + out.scores.silenceAsSilence + out.scores.silenceAsSound).toBe(segments);
    expect(out.scores.balancedAccuracy).toBeGreaterThan(0.8);
  }, 30_000);

  /** eval --json's pooled scores against `table` (extra flags after it). */
  async function scoresAgainst(table: string, ...flags: string[]): Promise<{ truthFormat: string; scores: Record<string, number> }> {
    const io = captureIo();
    expect(await runCli(['eval', '--truth', table, '--project', project(), '--json', ...flags], io), io.stderr).toBe(0);
    return JSON.parse(io.stdout);
  }

  it('eval reads truth through the importer: a multi-file Raven table and an Audacity track with frequency rows score as the CSV does', async () => {
    writeFileSync(join(root, 'truth.csv'), 'file,start,end\none.wav,2,4\none.wav,7,9\ntwo.wav,5,7\n');
    const csv = await scoresAgainst(join(root, 'truth.csv'));
    // One Raven table over the sequence one.wav (11 s) + two.wav: Begin Time runs on the sequence's clock,
    // File Offset gives the time in the file, and each selection is listed per view.
    const raven = [
      'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\tFile Offset (s)\tSpecies',
      '1\tWaveform 1\t1\t2\t4\t0\t8000\tone.wav\t2\twhistle',
      '1\tSpectrogram 1\t1\t2\t4\t800\t3000\tone.wav\t2\twhistle',
      '2\tWaveform 1\t1\t7\t9\t0\t8000\tone.wav\t7\tclicks',
      '2\tSpectrogram 1\t1\t7\t9\t1000\t7000\tone.wav\t7\tclicks',
      '3\tSpectrogram 1\t1\t16\t18\t500\t4000\ttwo.wav\t5\tburst',
    ].join('\r\n');
    writeFileSync(join(root, 'sequence.Table.1.selections.txt'), raven);
    const fromRaven = await scoresAgainst(join(root, 'sequence.Table.1.selections.txt'));
    expect(fromRaven.truthFormat).toBe('raven');
    expect(fromRaven.scores).toEqual(csv.scores);

    // Audacity (decimal commas, frequency rows with Audacity's -1 for "no bound") for one.wav against the CSV's one.wav rows.
    writeFileSync(join(root, 'one-only.csv'), 'file,start,end\none.wav,2,4\none.wav,7,9\n');
    writeFileSync(join(root, 'one.txt'), '2,0\t4,0\twhistle\n\\\t800,5\t-1\n7\t9\tclicks\n\\\t1000\t7000\n');
    const fromAudacity = await scoresAgainst(join(root, 'one.txt'), '--recording', 'one.wav');
    expect(fromAudacity.truthFormat).toBe('audacity');
    expect(fromAudacity.scores).toEqual((await scoresAgainst(join(root, 'one-only.csv'))).scores);
    expect(fromAudacity.scores.events).toBe(2);
  }, 30_000);

  it('eval names every bad row of a truth table as "file, line N: reason" and scores nothing', async () => {
    writeFileSync(join(root, 'broken.csv'), 'file,start,end\none.wav,2,4\none.wav,nine,9\ntwo.wav,7,5\n');
    const io = captureIo();
    expect(await runCli(['eval', '--truth', join(root, 'broken.csv'), '--project', project()], io)).toBe(1);
    expect(io.stderr).toMatch(/broken\.csv, line 3: the start "nine" is not a number of seconds\./);
    expect(io.stderr).toMatch(/broken\.csv, line 4: the event ends \(5 s\) before it starts \(7 s\)\./);
    expect(io.stdout).toBe('');
  });

  it('turns tonal mode on for the project with --tonal on (stored, as the app shows it), and off with --tonal off', async () => {
    const setting = async () => {
      const p = await openProject(project());
      try {
        return getSetting(p.db, 'detectionTonal');
      } finally {
        p.close();
      }
    };
    const on = captureIo();
    expect(await runCli(['detect', '--project', project(), '--tonal', 'on'], on)).toBe(0);
    expect(on.stdout).toMatch(/^tonal: +on — faint narrow-band contours/m);
    expect(await setting()).toBe(true);
    expect(await runCli(['detect', '--project', project(), '--tonal', 'off'], captureIo())).toBe(0);
    expect(await setting()).toBeUndefined();
  });
});

describe.skipIf(!existsSync(recordingsDir))('sonotype eval on human-annotated recordings', () => {
  const files = ['hummingbird_Phae_long1.wav', 'hummingbird_Phae_long2.wav', 'birds_spinetail_maad.wav'];
  const project = () => join(root, 'real-project');

  beforeAll(async () => {
    const audio = join(root, 'real-audio');
    mkdirSync(audio);
    for (const f of files) copyFileSync(join(recordingsDir, f), join(audio, f));
    expect(await runCli(['scan', audio, '--project', project()], captureIo())).toBe(0);
    expect(await runCli(['detect', '--project', project()], captureIo())).toBe(0);
  }, 60_000);

  /** Truth-sound 10-ms segments of the table's events (segment centres inside an event), computed independently. */
  function truthSoundSegments(names: string[], truthFile: string): number {
    const table = parseTruthTable(readFileSync(truthFile, 'utf8'));
    let n = 0;
    for (const name of names) {
      const events = table.events.filter((e) => e.recording === undefined || e.recording === name);
      for (let i = 0; i < 100_000; i++) {
        const centre = (i + 0.5) * 0.01;
        if (events.some((e) => centre >= e.startSeconds && centre < e.endSeconds)) n++;
      }
    }
    return n;
  }

  it('scores the hummingbird detections against the reference CSV', async () => {
    const truth = join(recordingsDir, 'hummingbird_Phae_long_reference_dev.csv');
    const io = captureIo();
    expect(await runCli(['eval', '--truth', truth, '--project', project()], io)).toBe(0);
    console.info(io.stdout);
    expect(io.stdout).toMatch(/onset-F1/);
    const json = captureIo();
    expect(await runCli(['eval', '--truth', truth, '--project', project(), '--json'], json)).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.scores.events).toBe(6);
    expect(out.scores.soundAsSound + out.scores.soundAsSilence).toBe(truthSoundSegments(files.slice(0, 2), truth));
    expect(out.recordings.map((r: { path: string }) => r.path).sort()).toEqual(files.slice(0, 2));
    // Day one, no labels: the hummingbird song elements are found (measured 0.75–1.0; README).
    expect(out.scores.overlapF1).toBeGreaterThanOrEqual(0.8);
    expect(out.scores.balancedAccuracy).toBeGreaterThanOrEqual(0.85);
  }, 30_000);

  it('scores the spinetail detections against its Audacity label track (--recording)', async () => {
    const truth = join(recordingsDir, 'birds_spinetail_maad.audacity_labels.txt');
    const unnamed = captureIo();
    expect(await runCli(['eval', '--truth', truth, '--project', project()], unnamed)).toBe(1);
    expect(unnamed.stderr).toMatch(/--recording/);
    const io = captureIo();
    expect(await runCli(['eval', '--truth', truth, '--project', project(), '--recording', 'birds_spinetail_maad.wav'], io)).toBe(0);
    console.info(io.stdout);
    const json = captureIo();
    expect(await runCli(['eval', '--truth', truth, '--project', project(), '--recording', 'birds_spinetail_maad.wav', '--json'], json)).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.truthFormat).toBe('audacity');
    expect(out.scores.events).toBe(18);
    expect(out.scores.soundAsSound + out.scores.soundAsSilence).toBe(truthSoundSegments([files[2]], truth));
  }, 30_000);
});

if (!existsSync(recordingsDir)) console.warn(`Skipping eval on real recordings: ${recordingsDir} is absent.`);
