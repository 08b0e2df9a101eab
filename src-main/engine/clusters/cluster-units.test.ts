/**
 * A call the detector split where its level dipped is clustered as one sound:
 * detected pieces closer than the merge gap become one unit (chosen from the
 * regions when not asked for, stored with the run's settings and why), never
 * across a person's label; syllable-length regions are kept apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProject, type Project } from '../project/open-project';
import { scanProject } from '../project/scan-project';
import { createLabel } from '../store/labels';
import { listRecordings } from '../store/recordings';
import { replaceRegions, type NewRegion } from '../store/regions';
import { burstPulse, concat, createRng, digitalSilence, fmWhistle } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { clusterProject } from './cluster-project';
import { joinNearbyPieces, type ClusterUnit } from './cluster-units';
import { resolveClusterSettings, MERGE_GAP_MAX_SECONDS } from './cluster-settings';
import { currentClusteringView } from './clustering-view';
import { adjustedRandIndex } from './quality';

const RATE = 16_000;

describe('joinNearbyPieces', () => {
  const piece = (startSample: number, endSample: number, origin: ClusterUnit['origin'] = 'detected', pSilence: number | null = 0.2): ClusterUnit =>
    ({ recordingId: 1, path: 'a.wav', sampleRate: 1000, startSample, endSample, pSilence, origin, pieces: 1 });

  it('joins detected pieces closer than the gap, keeps farther ones, labelled sounds and labelled gaps apart', () => {
    const units = [piece(0, 100, 'detected', 0.1), piece(150, 250, 'detected', 0.3), piece(400, 500), piece(520, 600, 'labelled', 0), piece(640, 700), piece(760, 800)];
    const joined = joinNearbyPieces(units, 100, [[520, 600], [720, 730]]);
    expect(joined.map((u) => [u.startSample, u.endSample, u.pieces])).toEqual([[0, 250, 2], [400, 500, 1], [520, 600, 1], [640, 700, 1], [760, 800, 1]]);
    expect(joined[0].pSilence).toBeCloseTo(0.2, 6);
    expect(units[0].endSample).toBe(100); // the input is not changed
    expect(joinNearbyPieces(units, 0, []).length).toBe(units.length);
  });
});

describe('the automatic merge gap', () => {
  it('joins the pieces of calls (median ≥ 0.25 s) up to the median length, capped, and keeps syllables apart', () => {
    const calls = resolveClusterSettings({}, [0.04, 0.3, 0.45, 0.5, 1.1]);
    expect(calls.mergeGapSeconds).toBeCloseTo(0.45, 9);
    expect(calls.why.join(' ')).toMatch(/closer than 0\.450 s joined/);
    expect(resolveClusterSettings({}, [1, 2, 3]).mergeGapSeconds).toBe(MERGE_GAP_MAX_SECONDS);
    const syllables = resolveClusterSettings({}, [0.03, 0.05, 0.08, 0.1]);
    expect(syllables.mergeGapSeconds).toBe(0);
    expect(syllables.why.join(' ')).toMatch(/kept apart/);
    expect(resolveClusterSettings({ mergeGapSeconds: 0.02 }, [0.03, 0.05]).mergeGapSeconds).toBe(0.02);
    expect(resolveClusterSettings({ mergeGapSeconds: 0 }, [1, 2]).mergeGapSeconds).toBe(0);
    expect(() => resolveClusterSettings({ mergeGapSeconds: -1 }, [])).toThrow(/merge gap/);
  });
});

describe('clustering a project whose calls the detector split', () => {
  let root: string;
  let project: Project;
  let recordingId: number;
  /** Each call: [start, end) of its two detected pieces (samples), and its type. */
  const calls: { pieces: [number, number][]; type: string }[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sonotype-cluster-units-'));
    mkdirSync(join(root, 'audio'));
    const rng = createRng(5);
    const parts: Float32Array[] = [];
    let at = 0;
    const add = (x: Float32Array) => {
      parts.push(x);
      at += x.length;
      return at;
    };
    for (let k = 0; k < 6; k++) {
      add(digitalSilence(RATE, 1));
      const type = k % 2 === 0 ? 'whistle' : 'burst';
      const half = () => (type === 'whistle'
        ? fmWhistle({ sampleRate: RATE, durationSeconds: 0.3, startHz: 2000 + rng() * 200, endHz: 3000, vibratoHz: 0 })
        : burstPulse({ sampleRate: RATE, durationSeconds: 0.3, centreHz: 5000 + rng() * 300 }));
      const s1 = at;
      const e1 = add(half());
      const s2 = add(digitalSilence(RATE, 0.1)); // the dip that split the call
      const e2 = add(half());
      calls.push({ pieces: [[s1, e1], [s2, e2]], type });
    }
    add(digitalSilence(RATE, 1));
    writeFileSync(join(root, 'audio', 'calls.wav'), encodeWav([concat(...parts)], { sampleRate: RATE, format: 'pcm16' }));
    project = await openProject(join(root, 'project'), { audioRoot: join(root, 'audio') });
    await scanProject(project);
    recordingId = listRecordings(project.db)[0].id;
    // What a detector gives: alternating silence and sound tiling the file, each call in two pieces.
    const regions: NewRegion[] = [];
    let last = 0;
    for (const [s, e] of calls.flatMap((c) => c.pieces)) {
      regions.push({ kind: 'silence', startSample: last, endSample: s, p: 0.95 }, { kind: 'sound', startSample: s, endSample: e, p: 0.1 });
      last = e;
    }
    regions.push({ kind: 'silence', startSample: last, endSample: at, p: 0.95 });
    replaceRegions(project.db, { recordingId, modelId: null, sourceParams: { heuristic: 'test' } }, regions);
  }, 60_000);

  afterAll(() => {
    project?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const members = () => currentClusteringView(project.db, null)!.members;

  it('clusters each call as one sound by default, and its pieces when asked to keep them apart', async () => {
    const run = await clusterProject(project, { k: 2 });
    expect(run.settings.mergeGapSeconds).toBeCloseTo(0.3, 3);
    expect(run.settings.why.join(' ')).toMatch(/12 detected pieces → 6 sounds/);
    expect(run.regions).toBe(6);
    const spans = members().map((m) => [m.startSample, m.endSample]).sort((a, b) => a[0] - b[0]);
    expect(spans).toEqual(calls.map((c) => [c.pieces[0][0], c.pieces[1][1]]));
    const byStart = new Map(members().map((m) => [m.startSample, m.clusterId ?? -1]));
    expect(adjustedRandIndex(calls.map((c) => c.type), Int32Array.from(calls.map((c) => byStart.get(c.pieces[0][0])!)))).toBe(1);

    const apart = await clusterProject(project, { k: 2, mergeGapSeconds: 0 });
    expect(apart.regions).toBe(12);
  }, 60_000);

  it('never joins across a silence label a person drew in the gap', async () => {
    const [, [gapStart]] = [calls[0].pieces[0], calls[0].pieces[1]];
    createLabel(project.db, { recordingId, startSample: calls[0].pieces[0][1] + 10, endSample: gapStart - 10, value: 'silence' });
    const run = await clusterProject(project, { k: 2 });
    expect(run.regions).toBe(7);
    expect(members().some((m) => m.startSample === calls[0].pieces[1][0] && m.endSample === calls[0].pieces[1][1])).toBe(true);
  }, 60_000);
});
