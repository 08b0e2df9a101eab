/**
 * Frame-level detection of a whole project: regions that tile every file,
 * caching (a second detect decodes nothing), determinism, corrections that
 * redraw regions at once, retrains that never adopt a worse head silently
 * (the regression of issue 7), head history and activation, one-class folders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProject, type Project } from '../project/open-project';
import { scanProject } from '../project/scan-project';
import { fmWhistle, mixAt, whiteNoise } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { createLabel } from '../store/labels';
import { listRecordings } from '../store/recordings';
import { listRegions } from '../store/regions';
import { getModelPayload } from '../store/frame-data';
import { detectProject } from './detect-project';
import { listDetectionHeads } from './detection-heads';
import { refreshRecordingRegions } from './region-refresh';
import { activateDetectionHead, retrainDetector } from './retrain-detector';

const RATE = 16_000;
const WHISTLES = [0.4, 1.1, 1.9, 2.5];

/** 3 s of noise with four 200-ms whistles (3–6 kHz); `seed` varies the noise. */
function sceneWav(seed: number): Buffer {
  let s = whiteNoise(RATE, 3, 0.002, seed);
  for (const t of WHISTLES) s = mixAt(s, fmWhistle({ sampleRate: RATE, durationSeconds: 0.2, startHz: 3000, endHz: 6000, amplitude: 0.05 }), RATE, t);
  return encodeWav([s], { sampleRate: RATE, format: 'pcm16' });
}

async function makeProject(root: string, files: Record<string, Buffer>): Promise<Project> {
  const dir = join(root, `p${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  const project = await openProject(dir);
  await scanProject(project);
  return project;
}

const sounds = (r: { regions: { kind: string; startSeconds: number; endSeconds: number }[] }) => r.regions.filter((g) => g.kind === 'sound');

describe('detectProject (frame level)', () => {
  let root: string;
  const open: Project[] = [];
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'sonotype-frame-detect-'));
  });
  afterAll(() => {
    for (const p of open) p.close();
    rmSync(root, { recursive: true, force: true });
  });
  const project = async (files: Record<string, Buffer>) => {
    const p = await makeProject(root, files);
    open.push(p);
    return p;
  };

  it('finds each whistle on day one, caches everything and gives the same regions run after run', async () => {
    const files = { 'a.wav': sceneWav(1), 'b.wav': sceneWav(2) };
    const p = await project(files);
    const first = await detectProject(p);
    expect(first.head).toMatchObject({ type: 'teacher', version: 1, learnedFrom: { humanFrames: 0 } });
    expect(first.work.recordingsDecoded).toBe(2);
    for (const r of first.recordings) {
      expect(r.regions[0].startSample).toBe(0);
      expect(r.regions.at(-1)!.endSample).toBe(3 * RATE);
      expect(sounds(r).map((g) => Math.round(g.startSeconds * 100) / 100)).toEqual(WHISTLES);
    }
    const again = await detectProject(p);
    expect(again.work).toMatchObject({ recordingsDecoded: 0, recordingsPredicted: 0, regionsDerived: 0 });
    expect(again.recordings.map((r) => r.regions)).toEqual(first.recordings.map((r) => r.regions));
    // A fresh project over the same audio: identical regions.
    const other = await detectProject(await project(files));
    expect(other.recordings.map((r) => r.regions)).toEqual(first.recordings.map((r) => r.regions));
  });

  it('redraws the regions around a correction at once, without a retrain', async () => {
    const p = await project({ 'a.wav': sceneWav(3) });
    const detected = await detectProject(p);
    const rec = listRecordings(p.db)[0];
    const whistle = sounds(detected.recordings[0])[1];
    createLabel(p.db, { recordingId: rec.id, startSample: Math.round(whistle.startSeconds * RATE), endSample: Math.round(whistle.endSeconds * RATE), value: 'silence' });
    const started = performance.now();
    const refreshed = refreshRecordingRegions(p.db, rec.id)!;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(refreshed.changed).toBe(true);
    expect(refreshed.regions.filter((g) => g.kind === 'sound')).toHaveLength(WHISTLES.length - 1);
    expect(listRegions(p.db, rec.id, { kind: 'sound' })).toHaveLength(WHISTLES.length - 1);
    // Nothing moved: the rows (and their ids) stay.
    const ids = listRegions(p.db, rec.id).map((r) => r.id);
    expect(refreshRecordingRegions(p.db, rec.id)!.changed).toBe(false);
    expect(listRegions(p.db, rec.id).map((r) => r.id)).toEqual(ids);
  });

  it('keeps a worse retrained head inactive, stores both scores, and switches with one call', async () => {
    // The trial of issue 7: a few corrections in one recording are wrong (its whistles marked silence),
    // the other recording's are right. A head learning from them would call every whistle silence.
    const p = await project({ 'a.wav': sceneWav(4), 'b.wav': sceneWav(5) });
    const day1 = await detectProject(p);
    const [a, b] = listRecordings(p.db);
    for (const [rec, value] of [[a, 'silence'], [b, 'sound']] as const) {
      for (const g of sounds(day1.recordings.find((r) => r.recordingId === rec.id)!)) {
        createLabel(p.db, { recordingId: rec.id, startSample: Math.round(g.startSeconds * RATE), endSample: Math.round(g.endSeconds * RATE), value });
      }
    }
    const retrain = await retrainDetector(p);
    console.log(JSON.stringify(retrain.heldOut), retrain.decision);
    expect(retrain.adopted).toBe(false);
    expect(retrain.activeHeadId).toBe(day1.head.id);
    expect(retrain.heldOut!.by).toBe('recording');
    expect(retrain.heldOut!.afterBalancedAccuracy!).toBeLessThan(retrain.heldOut!.beforeBalancedAccuracy!);
    expect(retrain.decision).toMatch(/kept inactive/);
    const heads = listDetectionHeads(p.db);
    expect(heads.map((h) => [h.version, h.type, h.active])).toEqual([[2, 'boosted', false], [1, 'teacher', true]]);
    expect(heads[0].metrics).toMatchObject({ adopted: false, seed: 1, heldOut: { activeHeadId: day1.head.id } });
    // Detect keeps the active head (no silent switch) and does not retrain again for the same labels.
    const after = await detectProject(p);
    expect(after.head.id).toBe(day1.head.id);
    expect(after.retrain).toBeNull();
    // The user chooses the new head anyway: one call, regions follow.
    const chosen = activateDetectionHead(p, heads[0].id);
    expect(chosen.id).toBe(heads[0].id);
    expect(listDetectionHeads(p.db).find((h) => h.active)!.id).toBe(heads[0].id);
    expect(listRegions(p.db, b.id, { modelId: heads[0].id }).length).toBeGreaterThan(0);
  });

  it('adopts a better head, and retrains identically from identical labels (seed stored)', async () => {
    // A quiet second sound the detector misses on day one: 3 s with faint whistles, people mark them as sound.
    const faint = (seed: number) => {
      let s = whiteNoise(RATE, 3, 0.002, seed);
      for (const t of WHISTLES) s = mixAt(s, fmWhistle({ sampleRate: RATE, durationSeconds: 0.2, startHz: 3000, endHz: 6000, amplitude: 0.004 }), RATE, t);
      return encodeWav([s], { sampleRate: RATE, format: 'pcm16' });
    };
    const files = { 'a.wav': faint(6), 'b.wav': faint(7), 'c.wav': faint(8) };
    const runs = [];
    for (let k = 0; k < 2; k++) {
      const p = await project(files);
      await detectProject(p);
      for (const rec of listRecordings(p.db).slice(0, 2)) {
        for (const t of WHISTLES) createLabel(p.db, { recordingId: rec.id, startSample: Math.round(t * RATE), endSample: Math.round((t + 0.2) * RATE), value: 'sound' });
        createLabel(p.db, { recordingId: rec.id, startSample: Math.round(0.7 * RATE), endSample: Math.round(1 * RATE), value: 'silence' });
      }
      const detected = await detectProject(p); // labels changed since the head: detect retrains
      runs.push({ p, detected });
    }
    const [one, two] = runs;
    expect(one.detected.retrain!.adopted).toBe(true);
    expect(one.detected.head.type).toBe('boosted');
    expect(one.detected.head.learnedFrom.recordingsWithHumanLabels).toBe(2);
    // The unlabelled recording c.wav gains the faint whistles it had on day one only as silence.
    const c = one.detected.recordings.find((r) => r.path === 'c.wav')!;
    expect(sounds(c).length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(getModelPayload(one.p.db, one.detected.head.id))).toBe(JSON.stringify(getModelPayload(two.p.db, two.detected.head.id)));
    expect(two.detected.recordings.map((r) => r.regions)).toEqual(one.detected.recordings.map((r) => r.regions));
  });

  it('gives a single busy recording regions and says what it learned from', async () => {
    let s = whiteNoise(RATE, 2, 0.002, 9);
    for (let t = 0; t < 2; t += 0.25) s = mixAt(s, fmWhistle({ sampleRate: RATE, durationSeconds: 0.24, startHz: 3000, endHz: 6000, amplitude: 0.05 }), RATE, t);
    const p = await project({ 'busy.wav': encodeWav([s], { sampleRate: RATE, format: 'pcm16' }) });
    await detectProject(p);
    const rec = listRecordings(p.db)[0];
    createLabel(p.db, { recordingId: rec.id, startSample: 0, endSample: 2 * RATE, value: 'sound' }); // all of it is sound
    const result = await detectProject(p);
    expect(result.recordings[0].regions.length).toBeGreaterThan(0);
    expect(result.retrain).not.toBeNull();
    expect(result.retrain!.decision.length).toBeGreaterThan(10);
    expect(result.head.learnedFrom).toBeDefined();
  });
});
