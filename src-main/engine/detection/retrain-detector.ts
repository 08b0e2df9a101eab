/**
 * Retraining the detection head from people's corrections, without ever
 * adopting a worse head silently:
 * 1. every human label counts, frame by frame (frame-labels.ts);
 * 2. a boosted head is trained on them plus the teacher's decisions elsewhere;
 * 3. it is compared with the active head on human labels neither learned
 *    from (head-selection.ts: folds by recording, or by time blocks in a
 *    one-recording project);
 * 4. it is stored either way, with both scores, and becomes active only when
 *    it scores better (a tie goes to the head whose frame probabilities
 *    are closer to the held-out labels; an exact tie keeps the active one);
 *    the user can activate any stored head;
 * 5. when it becomes active, every recording's frames are predicted again and
 *    its regions derived (human labels still win frame by frame).
 * Only cached frame features are read: no audio is decoded.
 *
 * Memory is bounded: the training recordings are every recording with human
 * labels plus other recordings (in a seeded order) up to MAX_TRAINING_FRAMES.
 */
import { throwIfCancelled } from '../util/cancel';
import { SonotypeError } from '../../../src-shared/errors';
import { createRng } from '../util/random';
import { putFrameProbabilities, pruneFrameProbabilities } from '../store/frame-data';
import { getModel, type StoredModel } from '../store/models';
import type { RecordingRecord } from '../store/recordings';
import { ensureActiveHead, listDetectionHeads, loadHeadPayload, setActiveHead, storeDetectionHead, describeHead } from './detection-heads';
import type { DetectionProject, HeadSummary, HeldOutEvaluation, LearnedFrom, ProgressListener, RetrainResult } from './detect-types';
import { predictFrames, trainBoostedHead, type HeadPayload, type RecordingFrames, type TrainedOnLabels } from './frames/detection-head';
import { humanFrameTargets } from './frames/frame-labels';
import type { FrameRegionParams } from './frames/frame-regions';
import { brierImprovementZ, crossValidate, isBetterHead, makeFolds, recipeOf, type HeldOutScore } from './frames/head-selection';
import { hasCurrentFeatures, humanRangesOf, loadRecordingFrames } from './recording-frames';
import { deriveAndStoreFrameRegions, frameRegionParamsFor } from './region-refresh';
import { analysableRecordings } from './analysable-recordings';

/** About 2.8 hours of 5-ms frames: the most the training keeps in memory at once. */
const MAX_TRAINING_FRAMES = 2_000_000;

export interface RetrainOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  regionParams?: Partial<FrameRegionParams>;
  /** Seed of the training-frame sample (stored with the head); default 1. */
  seed?: number;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  throwIfCancelled(signal, 'Retraining the detector');
}

/** What a stored head learned from (teacher heads: nothing). */
export function learnedFromOf(m: StoredModel): LearnedFrom {
  const l = m.metrics.learnedFrom as Partial<LearnedFrom> | undefined;
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    teacherFrames: n(l?.teacherFrames), humanFrames: n(l?.humanFrames), humanSoundFrames: n(l?.humanSoundFrames),
    humanSilenceFrames: n(l?.humanSilenceFrames), recordingsWithHumanLabels: n(l?.recordingsWithHumanLabels),
  };
}

export function headSummary(m: StoredModel): HeadSummary {
  return {
    id: m.id, version: m.version, type: m.normalisation.type === 'boosted' ? 'boosted' : 'teacher',
    description: describeHead(m), learnedFrom: learnedFromOf(m), metrics: m.metrics,
  };
}

/** Recordings to train on: those with human labels, then others in a seeded order while the frame budget lasts. */
function trainingRecordings(project: DetectionProject, recordings: RecordingRecord[], labelled: Set<number>, seed: number): RecordingFrames[] {
  const out: RecordingFrames[] = [];
  let frames = 0;
  for (const r of recordings.filter((x) => labelled.has(x.id))) {
    const f = loadRecordingFrames(project.db, r);
    out.push(f);
    frames += f.frames;
  }
  const others = recordings.filter((x) => !labelled.has(x.id));
  const random = createRng(seed + 7919);
  for (let i = others.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [others[i], others[j]] = [others[j], others[i]];
  }
  for (const r of others) {
    if (frames >= MAX_TRAINING_FRAMES) break;
    const f = loadRecordingFrames(project.db, r);
    out.push(f);
    frames += f.frames;
  }
  return out;
}

function heldOutEvaluation(active: HeldOutScore | null, candidate: HeldOutScore, labelledIds: number[]): HeldOutEvaluation {
  return {
    by: candidate.by, folds: candidate.folds, windows: candidate.frames,
    testRecordingIds: labelledIds, trainRecordingIds: labelledIds, truthSource: 'human',
    before: active?.confusion ?? null, beforeBalancedAccuracy: active?.balancedAccuracy ?? null,
    after: candidate.confusion, afterBalancedAccuracy: candidate.balancedAccuracy,
    beforeOnsetF1: active?.onsetF1 ?? null, afterOnsetF1: candidate.onsetF1,
    beforeScore: active?.score ?? null, afterScore: candidate.score,
  };
}

/** Predicts every recording with `head` and derives its regions; returns how many recordings were done. */
export function predictAllRecordings(
  project: DetectionProject,
  headId: number,
  payload: HeadPayload,
  recordings: readonly RecordingRecord[],
  params: FrameRegionParams,
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): number {
  onProgress?.({ phase: 'predicting', done: 0, total: recordings.length, itemsLabel: 'recordings' });
  recordings.forEach((recording, i) => {
    throwIfAborted(signal);
    const frames = loadRecordingFrames(project.db, recording);
    const p = predictFrames(payload, frames);
    putFrameProbabilities(project.db, headId, recording.id, frames.analysisKey, p);
    deriveAndStoreFrameRegions(project.db, headId, recording, frames, p, params);
    onProgress?.({ phase: 'predicting', done: i + 1, total: recordings.length, itemsLabel: 'recordings', recording: recording.path });
  });
  return recordings.length;
}

/** Retrains the head from the current labels (see the file header). NOT_FOUND when detect never ran. */
export async function retrainDetector(project: DetectionProject, options: RetrainOptions = {}): Promise<RetrainResult> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const recordings = analysableRecordings(project);
  if (recordings.length === 0 || !recordings.every((r) => hasCurrentFeatures(project.db, r))) {
    throw new SonotypeError('NOT_FOUND', 'Some recordings have not been analysed for detection yet: run `sonotype detect` first.');
  }
  const previous = ensureActiveHead(project);
  const activePayload = loadHeadPayload(project.db, previous.id);
  const params = frameRegionParamsFor(project.db, previous.id, options.regionParams);
  const rangesOf = new Map(recordings.map((r) => [r.id, humanRangesOf(project.db, r.id).ranges] as const));
  const labelled = new Set(recordings.filter((r) => rangesOf.get(r.id)!.length > 0).map((r) => r.id));
  const trainedOn: TrainedOnLabels[] = [...labelled].map((id) => ({ recordingId: id, ranges: rangesOf.get(id)! }));
  throwIfAborted(options.signal);

  if (labelled.size === 0) {
    return unchanged(previous, 'No human labels yet: the label-free detector stays active. Mark some regions as sound or silence, then retrain.', started);
  }
  options.onProgress?.({ phase: 'training', done: 0, total: 1, itemsLabel: 'folds' });
  const recs = trainingRecordings(project, recordings, labelled, seed);
  const truth = new Map<number, Int8Array>();
  for (const r of recs) if (labelled.has(r.recordingId)) truth.set(r.recordingId, humanFrameTargets(rangesOf.get(r.recordingId)!, r.analysis, r.frames, r.nativeFrames));
  const trainStarted = performance.now();
  let trained;
  try {
    trained = trainBoostedHead(recs, truth, trainedOn, { teacher: activePayload.teacher, seed });
  } catch (error) {
    if (error instanceof SonotypeError && error.code === 'INVALID_ARGUMENT') {
      return unchanged(previous, 'The labels and the detector together hold only one class (all sound or all silence): nothing to learn from yet.', started);
    }
    throw error;
  }
  const trainSeconds = (performance.now() - trainStarted) / 1000;
  throwIfAborted(options.signal);

  const split = makeFolds(truth);
  options.onProgress?.({ phase: 'training', done: 0, total: split.folds.length * 2, itemsLabel: 'folds' });
  const candidateScore = crossValidate(recipeOf(trained.payload, recs), recs, truth, trainedOn, split, params, rangesOf);
  throwIfAborted(options.signal);
  const activeTrainedOn = activePayload.type === 'boosted' ? activePayload.trainedOn : [];
  const activeScore = crossValidate(recipeOf(activePayload, recs), recs, truth, activeTrainedOn, split, params, rangesOf);
  options.onProgress?.({ phase: 'training', done: split.folds.length * 2, total: split.folds.length * 2, itemsLabel: 'folds' });
  const c = candidateScore.score;
  const a = activeScore.score;
  const adopted = isBetterHead(candidateScore, activeScore);
  const tie = c !== null && a !== null && Math.abs(c - a) <= 1e-9;
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`);
  const brier = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
  const z = tie ? brierImprovementZ(candidateScore.squaredErrors, activeScore.squaredErrors) : null;
  const tieNote = z !== null
    ? `; a tie, so the frame probabilities decided: Brier score ${brier(candidateScore.brier)} vs ${brier(activeScore.brier)}, the new head's ${z > 0 ? 'closer to' : 'no closer to'} the held-out labels (${z.toFixed(1)} standard errors)`
    : '';
  const decision = adopted
    ? `New head adopted: held-out score ${pct(c)} vs ${pct(a)} for the active head (mean of balanced accuracy and onset-F1 on ${candidateScore.frames} labelled frames, ${split.folds.length} ${split.by === 'recording' ? 'recording' : 'time-block'} folds${tieNote}).`
    : c === null
      ? 'The new head was kept inactive: the labels could not be split to score it on labels it did not learn from.'
      : `The new head was kept inactive: it scored ${pct(c)} on held-out human labels, the active head ${pct(a)} (mean of balanced accuracy and onset-F1${tieNote}). Activate it from the head history to use it anyway.`;
  const heldOut = heldOutEvaluation(activeScore, candidateScore, [...labelled]);
  const metrics = {
    learnedFrom: trained.counts,
    seed,
    lossCurve: trained.lossCurve,
    trainingSeconds: trainSeconds,
    heldOut: {
      by: split.by, folds: split.folds.length, frames: candidateScore.frames, candidate: candidateScore.score, active: activeScore.score, activeHeadId: previous.id,
      candidateBalancedAccuracy: candidateScore.balancedAccuracy, activeBalancedAccuracy: activeScore.balancedAccuracy,
      candidateOnsetF1: candidateScore.onsetF1, activeOnsetF1: activeScore.onsetF1, candidateBrier: candidateScore.brier, activeBrier: activeScore.brier, tieBreakZ: z,
    },
    adopted,
  };
  const head = storeDetectionHead(project, trained.payload, metrics);
  let recordingsPredicted = 0;
  if (adopted) {
    setActiveHead(project.db, head.id);
    recordingsPredicted = predictAllRecordings(project, head.id, trained.payload, recordings, params, options.onProgress, options.signal);
    pruneFrameProbabilities(project.db, [head.id, previous.id]);
  }
  const counts = trained.counts;
  return {
    head: headSummary(getModel(project.db, head.id)!),
    previousHeadId: previous.id,
    activeHeadId: adopted ? head.id : previous.id,
    adopted,
    decision,
    labelled: {
      windows: counts.humanFrames, silence: counts.humanSilenceFrames, sound: counts.humanSoundFrames,
      bySource: { human: counts.humanFrames, teacher: counts.teacherFrames },
    },
    training: {
      loss: trained.lossCurve[trained.lossCurve.length - 1] ?? 0, examples: counts.humanFrames + counts.teacherFrames,
      epochs: trained.payload.trees.trees.length, batchSize: counts.humanFrames + counts.teacherFrames, seconds: trainSeconds,
    },
    heldOut,
    recordingsPredicted,
    regionsDerived: recordingsPredicted,
    seconds: (performance.now() - started) / 1000,
  };
}

function unchanged(active: StoredModel, decision: string, started: number): RetrainResult {
  return {
    head: headSummary(active), previousHeadId: active.id, activeHeadId: active.id, adopted: false, decision,
    labelled: { windows: 0, silence: 0, sound: 0, bySource: {} },
    training: { loss: 0, examples: 0, epochs: 0, batchSize: 0, seconds: 0 },
    heldOut: null, recordingsPredicted: 0, regionsDerived: 0, seconds: (performance.now() - started) / 1000,
  };
}

/** Activates a stored head: predicts every recording with it (from cached features) and derives the regions. */
export function activateDetectionHead(project: DetectionProject, headId: number, options: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): HeadSummary {
  const head = setActiveHead(project.db, headId);
  const payload = loadHeadPayload(project.db, head.id);
  const recordings = analysableRecordings(project).filter((r) => hasCurrentFeatures(project.db, r));
  predictAllRecordings(project, head.id, payload, recordings, frameRegionParamsFor(project.db, head.id), options.onProgress, options.signal);
  pruneFrameProbabilities(project.db, listDetectionHeads(project.db).slice(0, 2).map((h) => h.id).concat(head.id));
  return headSummary(head);
}
