/**
 * detectProject / retrainHead end to end on synthesised recordings whose
 * silent stretches are known by construction: noise with whistles, clicks and
 * burst pulses; a file starting with exact digital zeros; a very quiet file
 * (float WAV, noise at −94 dBFS). Runs on the WASM backend (tfjs-node is not
 * installed here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProject, type Project } from '../project/open-project';
import { scanProject } from '../project/scan-project';
import { concat, digitalSilence, synthScene, type SceneSegment } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { createLabel, ensureFeatureConfig, listModels, listRecordings, listSilencePredictions, listWindows } from '../store';
import { detectProject } from './detect-project';
import { retrainHead } from './retrain-head';
import { loadEmbeddedWindows } from './head-training';
import type { DetectProgress } from './detect-types';

const RATE = 16_000;
const SECONDS = 20;

interface SynthFile {
  name: string;
  samples: Float32Array;
  /** Sound segments in seconds; everything else is silence. */
  sounds: SceneSegment[];
  format: 'pcm16' | 'float32';
}

function makeFiles(): SynthFile[] {
  const a: SceneSegment[] = [
    { kind: 'whistle', startSeconds: 2, endSeconds: 5 },
    { kind: 'clicks', startSeconds: 9, endSeconds: 11 },
    { kind: 'burst', startSeconds: 14, endSeconds: 17 },
  ];
  // b: 5 s of exact zeros (a recorder's lead-in), then noise with sounds.
  const bTail: SceneSegment[] = [
    { kind: 'whistle', startSeconds: 2, endSeconds: 4.5 },
    { kind: 'burst', startSeconds: 8, endSeconds: 10.5 },
  ];
  const b = concat(digitalSilence(RATE, 5), synthScene(RATE, bTail, SECONDS - 5, 0.002, 5));
  const c: SceneSegment[] = [
    { kind: 'clicks', startSeconds: 3, endSeconds: 6 },
    { kind: 'whistle', startSeconds: 9, endSeconds: 12 },
    { kind: 'burst', startSeconds: 15, endSeconds: 17.5 },
  ];
  // c: the same kind of scene 40 dB quieter (noise at about −94 dBFS): only relative levels matter.
  const quiet = synthScene(RATE, c, SECONDS, 0.002, 9).map((v) => v * 0.01);
  return [
    { name: 'a.wav', samples: synthScene(RATE, a, SECONDS, 0.002, 3), sounds: a, format: 'pcm16' },
    { name: 'b.wav', samples: b, sounds: bTail.map((s) => ({ ...s, startSeconds: s.startSeconds + 5, endSeconds: s.endSeconds + 5 })), format: 'pcm16' },
    { name: 'c.wav', samples: quiet, sounds: c, format: 'float32' },
  ];
}

/** Truth per window: 'silence', 'sound', or 'mixed' when it straddles a boundary (no single truth). */
function windowTruth(startSeconds: number, endSeconds: number, sounds: SceneSegment[]): 'silence' | 'sound' | 'mixed' {
  let overlap = 0;
  for (const s of sounds) overlap += Math.max(0, Math.min(endSeconds, s.endSeconds) - Math.max(startSeconds, s.startSeconds));
  if (overlap <= 0) return 'silence';
  return overlap >= endSeconds - startSeconds - 1e-9 ? 'sound' : 'mixed';
}

let root: string;
let project: Project;
let files: SynthFile[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sonotype-detect-'));
  mkdirSync(join(root, 'audio'));
  files = makeFiles();
  for (const f of files) writeFileSync(join(root, 'audio', f.name), encodeWav([f.samples], { sampleRate: RATE, format: f.format }));
  project = await openProject(join(root, 'project'), { audioRoot: join(root, 'audio') });
  await scanProject(project);
}, 30_000);

afterAll(() => {
  project?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Window accuracy of the newest head's stored predictions against the known truth (mixed windows excluded). */
function accuracy(headId: number): { correct: number; scored: number; mixed: number } {
  const fcId = ensureFeatureConfig(project.db, project.featureConfig()!);
  let correct = 0;
  let scored = 0;
  let mixed = 0;
  for (const rec of listRecordings(project.db)) {
    const file = files.find((f) => f.name === rec.path)!;
    const windows = new Map(listWindows(project.db, rec.id, fcId).map((w) => [w.id, w]));
    for (const p of listSilencePredictions(project.db, headId, rec.id)) {
      const w = windows.get(p.windowId)!;
      const truth = windowTruth(w.startNativeSample / RATE, w.endNativeSample / RATE, file.sounds);
      if (truth === 'mixed') {
        mixed++;
        continue;
      }
      scored++;
      if ((p.p >= 0.5) === (truth === 'silence')) correct++;
    }
  }
  return { correct, scored, mixed };
}

describe('detectProject on synthesised recordings', () => {
  let firstHeadId = 0;

  it('labels, embeds, trains and reaches ≥ 0.95 window accuracy against the known silences', async () => {
    const progress: DetectProgress[] = [];
    const result = await detectProject(project, { backend: 'wasm', onProgress: (p) => progress.push(p) });
    expect(result.backend.name).toBe('wasm');
    expect(result.recordings).toHaveLength(3);
    expect(result.work.heuristicRecordings).toBe(3);
    expect(result.work.headTrained).toBe(true);
    const windows = result.recordings.reduce((s, r) => s + r.windows, 0);
    expect(result.work.windowsEmbedded).toBe(windows);
    expect(progress.some((p) => p.phase === 'embedding' && p.done === windows && (p.itemsPerSecond ?? 0) > 0)).toBe(true);
    console.info(`detect: ${windows} windows embedded at ${(windows / result.work.embeddingSeconds).toFixed(1)} windows/s (${result.backend.reason})`);

    firstHeadId = result.head.id;
    const acc = accuracy(result.head.id);
    expect(acc.scored).toBeGreaterThan(0.8 * windows); // boundary windows are a minority
    expect(acc.scored + acc.mixed).toBe(windows); // every window has a prediction
    console.info(`window accuracy ${acc.correct}/${acc.scored} (${acc.mixed} boundary windows not scored)`);
    expect(acc.correct / acc.scored).toBeGreaterThanOrEqual(0.95);

    // Regions tile each file exactly, in native samples.
    for (const r of result.recordings) {
      const file = files.find((f) => f.name === r.path)!;
      expect(r.nativeFrames).toBe(file.samples.length);
      expect(r.regions[0].startSample).toBe(0);
      expect(r.regions.at(-1)!.endSample).toBe(file.samples.length);
      for (let i = 1; i < r.regions.length; i++) expect(r.regions[i].startSample).toBe(r.regions[i - 1].endSample);
      // Every synthesised sound lies (mostly) inside a sound region.
      for (const s of file.sounds) {
        const mid = (s.startSeconds + s.endSeconds) / 2;
        expect(r.regions.find((g) => g.startSeconds <= mid && mid < g.endSeconds)?.kind).toBe('sound');
      }
    }
  }, 90_000);

  it('recomputes nothing on a second run over the unchanged project', async () => {
    const modelsBefore = listModels(project.db).length;
    const embeddingsBefore = (project.db.statement('SELECT count(*) AS n FROM embeddings').get() as { n: number }).n;
    const result = await detectProject(project, { backend: 'wasm' });
    expect(result.work).toMatchObject({
      heuristicRecordings: 0, windowRowsReplaced: 0, windowsEmbedded: 0, headTrained: false, predictionsWritten: 0, regionsDerived: 0,
    });
    expect(result.head.id).toBe(firstHeadId);
    expect(listModels(project.db).length).toBe(modelsBefore);
    expect((project.db.statement('SELECT count(*) AS n FROM embeddings').get() as { n: number }).n).toBe(embeddingsBefore);
  }, 30_000);

  it('re-derives regions from the cache when only the region settings change', async () => {
    const result = await detectProject(project, { backend: 'wasm', regionParams: { mergeGapSeconds: 2, minSoundSeconds: 0.5 } });
    expect(result.work).toMatchObject({ windowsEmbedded: 0, headTrained: false, regionsDerived: 3 });
    expect(result.regionParams).toMatchObject({ mergeGapSeconds: 2, minSoundSeconds: 0.5, threshold: 0.5 });
    const stored = project.db.statement('SELECT DISTINCT source_params_json AS p FROM regions WHERE model_id = ?').all(result.head.id) as { p: string }[];
    expect(stored.map((s) => JSON.parse(s.p))).toEqual([expect.objectContaining({ mergeGapSeconds: 2, minSoundSeconds: 0.5, headModelId: result.head.id })]);
  }, 30_000);

  it('lets a human label override the heuristic one and retrains from cached embeddings only', async () => {
    const rec = listRecordings(project.db).find((r) => r.path === 'a.wav')!;
    const fcId = ensureFeatureConfig(project.db, project.featureConfig()!);
    const windows = listWindows(project.db, rec.id, fcId);
    // A window inside the silent stretch 5–9 s of a.wav, which the heuristic calls silence.
    const target = windows.find((w) => w.startNativeSample >= 6 * RATE)!;
    const encoderId = listModels(project.db, 'encoder-v3')[0].id;
    const before = loadEmbeddedWindows(project.db, encoderId, fcId, [rec.id]);
    const at = before.windowIds.indexOf(target.id);
    expect(before.silence[at]).toBe(1);
    expect(before.source[at]).toBe('heuristic');

    createLabel(project.db, { recordingId: rec.id, startSample: target.startNativeSample, endSample: target.endNativeSample, value: 'sound' });
    const after = loadEmbeddedWindows(project.db, encoderId, fcId, [rec.id]);
    expect(after.silence[at]).toBe(0);
    expect(after.source[at]).toBe('human');

    const embeddingsBefore = (project.db.statement('SELECT count(*) AS n FROM embeddings').get() as { n: number }).n;
    const started = performance.now();
    const retrained = await retrainHead(project);
    const seconds = (performance.now() - started) / 1000;
    console.info(`retrain + re-derive (${retrained.predictionsWritten} windows): ${seconds.toFixed(2)} s`);
    expect(retrained.labelled.bySource.human).toBeGreaterThanOrEqual(1);
    expect(retrained.previousHeadId).not.toBeNull();
    expect(retrained.head.id).not.toBe(firstHeadId);
    expect(retrained.heldOut).not.toBeNull();
    expect(retrained.heldOut!.testRecordingIds.length).toBeGreaterThan(0);
    // Split by recording: no recording on both sides.
    expect(retrained.heldOut!.testRecordingIds.filter((id) => retrained.heldOut!.trainRecordingIds.includes(id))).toEqual([]);
    expect(retrained.heldOut!.before).not.toBeNull(); // the previous head's stored predictions on the same windows
    const m = retrained.heldOut!.after.counts;
    expect(m[0][0] + m[0][1] + m[1][0] + m[1][1]).toBe(retrained.heldOut!.windows);
    expect((project.db.statement('SELECT count(*) AS n FROM embeddings').get() as { n: number }).n).toBe(embeddingsBefore);
    const acc = accuracy(retrained.head.id);
    expect(acc.correct / acc.scored).toBeGreaterThanOrEqual(0.95);

    // The head is newer than the label, so the next detect keeps it.
    const again = await detectProject(project, { backend: 'wasm' });
    expect(again.work.headTrained).toBe(false);
    expect(again.head.id).toBe(retrained.head.id);
  }, 60_000);
});
