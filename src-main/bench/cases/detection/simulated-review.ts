/**
 * A reviewer simulated through the app's own engine calls: a project of one
 * dev set, day-one detection, then corrections taken from the review queue in
 * its order (mostUncertainRegion, as the app's "Next uncertain" does) and
 * answered from the truth, with a retrain after each round; or one whole file
 * labelled from the truth. Scores are computed on the regions the app shows.
 */
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { mostUncertainRegion } from '../../../engine/store/review-queries';
import type { TimeInterval } from '../../../engine/detection/confusion';
import { detectProject } from '../../../engine/detection/detect-project';
import { activeHead } from '../../../engine/detection/detection-heads';
import { refreshRecordingRegions } from '../../../engine/detection/region-refresh';
import { retrainDetector } from '../../../engine/detection/retrain-detector';
import { addDetectionCounts, detectionCounts, scoresFromCounts, type DetectionScores } from '../../../engine/detection/scoring/detection-metrics';
import { openProject, type Project } from '../../../engine/project/open-project';
import { scanProject } from '../../../engine/project/scan-project';
import { createLabel } from '../../../engine/store/labels';
import { listRecordings, type RecordingRecord } from '../../../engine/store/recordings';
import { listRegions } from '../../../engine/store/regions';
import type { DevSet } from './dev-sets';

/** A project holding copies of a dev set's files (the shared folder is never written). */
export async function devSetProject(tmpDir: string, set: DevSet): Promise<Project> {
  const root = await mkdtemp(join(tmpDir, `${set.name}-`));
  const audio = join(root, 'audio');
  await mkdir(audio);
  for (const f of set.files) await copyFile(f.path, join(audio, f.name));
  const project = await openProject(join(root, 'project'), { audioRoot: audio });
  await scanProject(project);
  return project;
}

const eventsOf = (set: DevSet, r: RecordingRecord) => set.files.find((f) => f.name === r.path)?.events ?? [];

/** Scores of the regions the app shows for the set's recordings (optionally only some). */
export function scoreProject(project: Project, set: DevSet, only?: (r: RecordingRecord) => boolean): DetectionScores {
  const head = activeHead(project.db)!;
  const counts = listRecordings(project.db)
    .filter((r) => !only || only(r))
    .map((r) => {
      const rate = r.sampleRate!;
      const regions = listRegions(project.db, r.id, { modelId: head.id });
      const sound = regions.filter((g) => g.kind === 'sound').map((g) => ({ startSeconds: g.startSample / rate, endSeconds: g.endSample / rate }));
      return detectionCounts(sound, eventsOf(set, r), regions[regions.length - 1].endSample / rate);
    });
  return scoresFromCounts(addDetectionCounts(counts));
}

/**
 * What a reviewer answers for [from, to) s: the true events there (sound) and
 * the gaps between them (silence), the span widened to whole events.
 */
export function labelFromTruth(project: Project, recording: RecordingRecord, events: readonly TimeInterval[], from: number, to: number): number {
  const rate = recording.sampleRate!;
  const inside = events.filter((e) => e.endSeconds > from && e.startSeconds < to).sort((a, b) => a.startSeconds - b.startSeconds);
  const start = Math.min(from, ...inside.map((e) => e.startSeconds));
  const end = Math.max(to, ...inside.map((e) => e.endSeconds));
  const frames = recording.frames ?? Math.round((recording.durationSeconds ?? 0) * rate);
  const put = (a: number, b: number, value: string) => {
    const s = Math.max(0, Math.round(a * rate));
    const e = Math.min(frames, Math.round(b * rate));
    if (e > s) createLabel(project.db, { recordingId: recording.id, startSample: s, endSample: e, value });
  };
  let at = start;
  for (const e of inside) {
    put(at, e.startSeconds, 'silence');
    put(e.startSeconds, e.endSeconds, 'sound');
    at = Math.max(at, e.endSeconds);
  }
  put(at, end, 'silence');
  return inside.length;
}

export interface CurvePoint {
  /** Corrections asked for (the round's k). */
  k: number;
  /** Corrections made (fewer when the review queue ran out). */
  made: number;
  scores: DetectionScores;
  adopted: boolean | null;
  activeHeadVersion: number;
}

/** Day one, then rounds of corrections up to each k in `ks`, each followed by a retrain. */
export async function correctionCurve(project: Project, set: DevSet, ks: readonly number[]): Promise<CurvePoint[]> {
  await detectProject(project);
  const points: CurvePoint[] = [{ k: 0, made: 0, scores: scoreProject(project, set), adopted: null, activeHeadVersion: activeHead(project.db)!.version }];
  let done = 0;
  let after: { path: string; sample: number } | null = null;
  for (const k of ks.filter((x) => x > 0)) {
    while (done < k) {
      const next = mostUncertainRegion(project.db, after);
      if (!next) break;
      const recording = listRecordings(project.db).find((r) => r.id === next.recording_id)!;
      const rate = recording.sampleRate!;
      labelFromTruth(project, recording, eventsOf(set, recording), next.start_sample / rate, next.end_sample / rate);
      refreshRecordingRegions(project.db, recording.id); // what the label handlers do after every edit
      after = { path: recording.path, sample: next.start_sample };
      done++;
    }
    const retrain = await retrainDetector(project);
    points.push({ k, made: done, scores: scoreProject(project, set), adopted: retrain.adopted, activeHeadVersion: activeHead(project.db)!.version });
  }
  return points;
}

/** Labels the first file wholly from the truth, retrains, and scores the other files before and after. */
export async function wholeFileTeaching(project: Project, set: DevSet): Promise<{ before: DetectionScores; after: DetectionScores; adopted: boolean; taught: string }> {
  await detectProject(project);
  const [first] = listRecordings(project.db);
  const others = (r: RecordingRecord) => r.id !== first.id;
  const before = scoreProject(project, set, others);
  labelFromTruth(project, first, eventsOf(set, first), 0, first.durationSeconds ?? 0);
  const retrain = await retrainDetector(project);
  return { before, after: scoreProject(project, set, others), adopted: retrain.adopted, taught: first.path };
}
