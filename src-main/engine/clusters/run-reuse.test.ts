/**
 * Re-clustering takes the distances and the map over from the current run
 * when the regions and distance settings are unchanged, and recomputes them
 * when either changes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProject, type Project } from '../project/open-project';
import { scanProject } from '../project/scan-project';
import { createLabel } from '../store/labels';
import { listRecordings } from '../store/recordings';
import { listRunMembers } from '../store/sound-clusters';
import { burstPulse, concat, createRng, digitalSilence, fmWhistle } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { clusterProject } from './cluster-project';
import { loadRunMatrix } from './run-files';

const RATE = 16_000;
let root: string;
let project: Project;
let recordingId: number;
const starts: number[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sonotype-run-reuse-'));
  mkdirSync(join(root, 'audio'));
  const rng = createRng(3);
  const parts: Float32Array[] = [];
  let at = 0;
  for (let k = 0; k < 10; k++) {
    const gap = digitalSilence(RATE, 0.2);
    const d = 0.15 + rng() * 0.05;
    const c = k % 2 === 0
      ? fmWhistle({ sampleRate: RATE, durationSeconds: d, startHz: 2000 + rng() * 300, endHz: 6000, vibratoHz: 0 })
      : burstPulse({ sampleRate: RATE, durationSeconds: d, centreHz: 4000 + rng() * 400 });
    starts.push(at + gap.length);
    parts.push(gap, c);
    at += gap.length + c.length;
  }
  writeFileSync(join(root, 'audio', 'calls.wav'), encodeWav([concat(...parts, digitalSilence(RATE, 0.6))], { sampleRate: RATE, format: 'pcm16' }));
  project = await openProject(join(root, 'project'), { audioRoot: join(root, 'audio') });
  await scanProject(project);
  recordingId = listRecordings(project.db)[0].id;
  for (const s of starts) createLabel(project.db, { recordingId, startSample: s, endSample: s + Math.round(0.15 * RATE), value: 'sound' });
}, 60_000);

afterAll(() => {
  project?.close();
  rmSync(root, { recursive: true, force: true });
});

const positionsOf = (runId: number) => listRunMembers(project.db, runId).map((m) => [m.x, m.y]);

it('reuses distances and map for the same regions and settings, recomputes them when either changes', async () => {
  const first = await clusterProject(project, { k: 2 });
  expect(first.reusedRun).toBeNull();
  expect(first.seconds.features).toBeGreaterThan(0);
  const firstMatrix = loadRunMatrix(project.dir, first.runId);
  expect(firstMatrix?.length).toBe((first.regions * (first.regions - 1)) / 2);

  // Another cut and linkage: same distances, same map, nothing decoded or compared again.
  const second = await clusterProject(project, { k: 3, linkage: 'average' });
  expect(second.reusedRun).toBe(first.runId);
  expect([second.seconds.features, second.seconds.distances]).toEqual([0, 0]);
  expect(second.settings.why.join(' ')).toMatch(/distances and map taken over from run/);
  expect(positionsOf(second.runId)).toEqual(positionsOf(first.runId));
  expect(loadRunMatrix(project.dir, second.runId)).toEqual(firstMatrix);
  expect(second.clusters).toBe(3);

  // Another seed: the distances are kept, the map is laid out anew.
  const reseeded = await clusterProject(project, { k: 2, seed: 7 });
  expect(reseeded.reusedRun).toBe(second.runId);
  expect(reseeded.settings.why.join(' ')).toMatch(/distances taken over/);
  expect(positionsOf(reseeded.runId)).not.toEqual(positionsOf(second.runId));

  // Another representation, then one more region: computed again.
  const logmel = await clusterProject(project, { k: 2, representation: 'logmel', seed: 7 });
  expect(logmel.reusedRun).toBeNull();
  createLabel(project.db, { recordingId, startSample: 100, endSample: 100 + Math.round(0.1 * RATE), value: 'sound' });
  const more = await clusterProject(project, { k: 2, representation: 'logmel', seed: 7 });
  expect(more.reusedRun).toBeNull();
  expect(more.regions).toBe(logmel.regions + 1);
  expect(more.seconds.distances).toBeGreaterThan(0);
}, 60_000);
