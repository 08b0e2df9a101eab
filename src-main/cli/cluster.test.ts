/**
 * `sonotype cluster` and `sonotype types` in-process on a synthetic project:
 * three call types (up-sweeps, down-sweeps, click bursts) labelled as
 * untyped sound regions; the clustering must recover them, print the JSON
 * of the issue, keep a person's names across re-clustering, let hand-set
 * types constrain the next run, and refuse bad flags.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './main';
import { captureIo } from './test-helpers';
import { encodeWav } from '../engine/testing/wav-writer';
import { burstPulse, concat, createRng, digitalSilence, fmWhistle, whiteNoise } from '../engine/testing/synth';
import { openProject } from '../engine/project/open-project';
import { createLabel, listLabels, updateLabel } from '../engine/store/labels';
import { listRecordings } from '../engine/store/recordings';
import { renameCluster } from '../engine/clusters/cluster-edits';
import { listSoundClusters } from '../engine/store/sound-clusters';
import { adjustedRandIndex } from '../engine/clusters/quality';

const RATE = 16_000;
const TYPES = ['up', 'down', 'buzz'] as const;

/** One call of a type, with small random variation. */
function call(type: (typeof TYPES)[number], rng: () => number): Float32Array {
  const d = 0.18 + rng() * 0.08;
  if (type === 'up') return fmWhistle({ sampleRate: RATE, durationSeconds: d, startHz: 2000 + rng() * 300, endHz: 6000, vibratoHz: 0 });
  if (type === 'down') return fmWhistle({ sampleRate: RATE, durationSeconds: d, startHz: 6000 + rng() * 300, endHz: 2000, vibratoHz: 0 });
  return burstPulse({ sampleRate: RATE, durationSeconds: d, centreHz: 4000 + rng() * 400 });
}

let root: string;
let project: string;
const truth: { path: string; start: number; type: string }[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sonotype-cluster-cli-'));
  const audio = join(root, 'audio');
  project = join(root, 'project');
  mkdirSync(audio);
  const rng = createRng(5);
  for (const file of ['a.wav', 'b.wav']) {
    const parts: Float32Array[] = [];
    let at = 0;
    for (let k = 0; k < 6; k++) {
      const type = TYPES[(k + (file === 'b.wav' ? 1 : 0)) % 3];
      const gap = digitalSilence(RATE, 0.3);
      const c = call(type, rng);
      truth.push({ path: file, start: at + gap.length, type });
      parts.push(gap, c);
      at += gap.length + c.length;
    }
    const samples = concat(...parts, digitalSilence(RATE, 0.3));
    const noise = whiteNoise(RATE, samples.length / RATE, 0.001, file.length);
    for (let i = 0; i < samples.length; i++) samples[i] += noise[i];
    writeFileSync(join(audio, file), encodeWav([samples], { sampleRate: RATE, format: 'pcm16' }));
  }
  expect(await runCli(['scan', audio, '--project', project], captureIo())).toBe(0);
  // The calls as a person's untyped sound labels: the regions to cluster.
  const p = await openProject(project);
  try {
    const ids = new Map(listRecordings(p.db).map((r) => [r.path, r.id]));
    for (const t of truth) createLabel(p.db, { recordingId: ids.get(t.path)!, startSample: t.start, endSample: t.start + Math.round(0.18 * RATE), value: 'sound' });
  } finally {
    p.close();
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

interface JsonCluster { id: number; name: string; members: { path: string; startSeconds: number; endSeconds: number }[] }

function ariOf(clusters: JsonCluster[]): number {
  const predicted = truth.map((t) => clusters.findIndex((c) => c.members.some((m) => m.path === t.path && Math.abs(m.startSeconds - t.start / RATE) < 1e-6)));
  return adjustedRandIndex(truth.map((t) => t.type), Int32Array.from(predicted));
}

describe('sonotype cluster', () => {
  it('recovers the call types and prints the JSON of the issue', async () => {
    const io = captureIo();
    expect(await runCli(['cluster', '--project', project, '--k', '3', '--json'], io)).toBe(0);
    const out = JSON.parse(io.stdout) as { clusters: JsonCluster[] };
    expect(Object.keys(out)).toEqual(['clusters']);
    expect(out.clusters).toHaveLength(3);
    for (const c of out.clusters) {
      expect(Object.keys(c)).toEqual(['id', 'name', 'members']);
      expect(c.name).toBe(`C${c.id}`);
      for (const m of c.members) expect(Object.keys(m)).toEqual(['path', 'startSeconds', 'endSeconds']);
    }
    expect(out.clusters.flatMap((c) => c.members)).toHaveLength(12);
    expect(ariOf(out.clusters)).toBe(1);
  });

  it('uses hand-set types as constraints: a wrong but hand-set region stays where the person put it', async () => {
    const p = await openProject(project);
    try {
      // One example of each type named by hand; one 'down' call deliberately typed 'up'.
      const labels = listRecordings(p.db).flatMap((r) => listLabels(p.db, r.id));
      const byStart = (t: (typeof truth)[number]) => labels.find((l) => l.startSample === t.start && listRecordings(p.db).find((r) => r.id === l.recordingId)!.path === t.path)!;
      for (const type of TYPES) updateLabel(p.db, byStart(truth.find((t) => t.type === type)!).id, { soundType: type });
      const odd = truth.filter((t) => t.type === 'down')[2];
      updateLabel(p.db, byStart(odd).id, { soundType: 'up' });
    } finally {
      p.close();
    }
    const io = captureIo();
    expect(await runCli(['cluster', '--project', project, '--json'], io)).toBe(0);
    const out = JSON.parse(io.stdout) as { clusters: JsonCluster[] };
    expect(out.clusters.map((c) => c.name).sort()).toEqual(['buzz', 'down', 'up']);
    const up = out.clusters.find((c) => c.name === 'up')!;
    expect(up.members.length).toBe(5);
  });

  it('keeps a person\'s names across re-clustering, and `types` counts them', async () => {
    const p = await openProject(project);
    const first = listSoundClusters(p.db).find((x) => x.name === 'up')!;
    renameCluster(p.db, first.id, 'whistle');
    p.close();
    const io = captureIo();
    expect(await runCli(['cluster', '--project', project, '--k', '3', '--representation', 'mfcc', '--linkage', 'average', '--json'], io)).toBe(0);
    const out = JSON.parse(io.stdout) as { clusters: JsonCluster[] };
    expect(out.clusters.find((c) => c.id === first.id)?.name).toBe('whistle');
    const types = captureIo();
    expect(await runCli(['types', '--project', project, '--json'], types)).toBe(0);
    // The rename carried the hand-set labels of 'up' along (two of them).
    expect(JSON.parse(types.stdout).types).toContainEqual({ type: 'whistle', regions: 5, labels: 2 });
  });

  it('refuses bad flags with a usage error and explains an empty project', async () => {
    const io = captureIo();
    expect(await runCli(['cluster', '--project', project, '--k', '0'], io)).toBe(2);
    expect(io.stderr).toMatch(/--k must be a whole number ≥ 1/);
    const both = captureIo();
    expect(await runCli(['cluster', '--project', project, '--k', '3', '--preset', 'tight'], both)).toBe(2);
    expect(both.stderr).toMatch(/choose one of/);
    const bad = captureIo();
    expect(await runCli(['cluster', '--project', project, '--representation', 'wavelets'], bad)).toBe(2);
    const gap = captureIo();
    expect(await runCli(['cluster', '--project', project, '--merge-gap', 'long'], gap)).toBe(2);
    expect(gap.stderr).toMatch(/--merge-gap must be a number of seconds ≥ 0/);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(await runCli(['scan', empty, '--project', empty], captureIo())).toBe(0);
    const none = captureIo();
    expect(await runCli(['cluster', '--project', empty], none)).toBe(1);
    expect(none.stderr).toMatch(/no sound regions to cluster/);
  });
});
