/**
 * Retraining the silence head and re-deriving every region, from cached
 * embeddings only: the encoder never runs here, which is what makes a
 * correction → new detections loop take seconds.
 *
 * With labelled windows in two or more recordings, a second head is trained
 * on a split *by recording* (groupedSplit) and scored on the held-out
 * recordings, next to the previous head's stored predictions on the same
 * windows: the before/after comparison the app shows after a retrain.
 */
import type * as tf from '@tensorflow/tfjs';
import { SonotypeError } from '../../../src-shared/errors';
import { storeModel } from '../models/encoder-registry';
import { ensureFeatureConfig } from '../store/feature-configs';
import type { StoredModel } from '../store/models';
import { listSilencePredictions, putSilencePredictions } from '../store/predictions';
import { listRecordings, type RecordingRecord } from '../store/recordings';
import { ENCODER_KINDS } from '../models/encoder-registry';
import { listModels } from '../store/models';
import { confusionMatrix } from './confusion';
import { deliveredFramesByRecording, listSilenceHeads, pruneHeadPredictions, regionSourceParamsOf, SILENCE_HEAD_KIND } from './detection-queries';
import type { DetectionProject, HeldOutEvaluation, ProgressListener, RetrainResult } from './detect-types';
import { groupedSplit } from './event-scores';
import { countLabels, gatherEmbeddings, loadEmbeddedWindows, predictHead, trainHeadOnWindows, type EmbeddedWindows } from './head-training';
import { deriveAndStoreRegions } from './project-regions';
import { DEFAULT_REGION_PARAMS, resolveRegionParams, type RegionParams, type WindowProbability } from './regions';

export interface RetrainOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Region settings; default: those of the previous head's regions, else the defaults. */
  regionParams?: Partial<RegionParams>;
  /** Score a head trained without some recordings on those recordings (default true). */
  evaluate?: boolean;
  /** Share of the labelled recordings held out for that score (default 0.25). */
  testFraction?: number;
  seed?: number;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SonotypeError('CANCELLED', 'Retraining the silence detector was cancelled.');
}

/** The encoder loadProjectEncoder would pick (newest of any kind), without loading its weights. */
export function newestEncoder(project: DetectionProject): StoredModel | undefined {
  return ENCODER_KINDS.flatMap((k) => listModels(project.db, k)).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)[0];
}

/** Recordings detection works on: scanned without error and present. */
export function analysableRecordings(project: DetectionProject): RecordingRecord[] {
  return listRecordings(project.db).filter((r) => r.status === 'ok' && !r.missing);
}

/** Region settings to use: explicit ones over those stored with `headId`'s regions over the defaults. */
export function regionParamsFor(project: DetectionProject, headId: number | null, explicit: Partial<RegionParams> = {}): RegionParams {
  const stored = headId === null ? null : regionSourceParamsOf(project.db, headId);
  const inherited: Partial<RegionParams> = {};
  if (stored) {
    for (const key of Object.keys(DEFAULT_REGION_PARAMS) as (keyof RegionParams)[]) {
      if (key !== 'version' && typeof stored[key] === 'number') (inherited as Record<string, number>)[key] = stored[key] as number;
    }
  }
  return resolveRegionParams({ ...inherited, ...explicit });
}

/**
 * Trains a new head from the current labels, predicts every cached window,
 * re-derives every recording's regions. Fails with NOT_FOUND when nothing has
 * been embedded yet (run detection first).
 */
export async function retrainHead(project: DetectionProject, options: RetrainOptions = {}): Promise<RetrainResult> {
  const started = performance.now();
  const config = project.featureConfig();
  if (!config) throw new SonotypeError('INVALID_CONFIG', 'The project has no feature configuration yet: scan it first.');
  const encoder = newestEncoder(project);
  const featureConfigId = ensureFeatureConfig(project.db, config);
  const recordings = analysableRecordings(project);
  const set = encoder ? loadEmbeddedWindows(project.db, encoder.id, featureConfigId, recordings.map((r) => r.id)) : null;
  if (!encoder || !set || set.windowIds.length === 0) {
    throw new SonotypeError('NOT_FOUND', 'No cached embeddings yet: run `sonotype detect` first.');
  }
  const previous = listSilenceHeads(project.db, encoder.id)[0] ?? null;
  const params = regionParamsFor(project, previous?.id ?? null, options.regionParams);
  const seed = options.seed ?? 1;
  throwIfAborted(options.signal);

  options.onProgress?.({ phase: 'training', done: 0, total: 1, itemsLabel: 'epochs' });
  const heldOut = options.evaluate === false ? null : await evaluateHeldOut(project, set, previous, options.testFraction ?? 0.25, seed, params.threshold);
  throwIfAborted(options.signal);
  const trained = await trainHeadOnWindows(set, { seed });
  let head: StoredModel;
  try {
    throwIfAborted(options.signal);
    const labelled = countLabels(set);
    const metrics = {
      trainingLoss: trained.loss,
      trainingAccuracy: trained.accuracy,
      examples: trained.plan.examples,
      epochs: trained.plan.epochs,
      labelledWindows: labelled.windows,
      labelsBySource: labelled.bySource,
      ...(heldOut ? { heldOut } : {}),
    };
    head = await storeModel(project.dir, project.db, trained.head, {
      kind: SILENCE_HEAD_KIND, featureConfig: config, parentModelId: encoder.id, metrics,
      normalisation: { input: 'embedding', encoderModelId: encoder.id, encoderKind: encoder.kind },
    });
    options.onProgress?.({ phase: 'training', done: 1, total: 1, itemsLabel: 'epochs' });
    const p = writePredictions(project, head.id, trained.head, set, options.onProgress);
    deriveAllRegions(project, head.id, recordings, featureConfigId, set, p, params, options.onProgress);
    pruneHeadPredictions(project.db, previous ? [head.id, previous.id] : [head.id]);
    return {
      head: { id: head.id, version: head.version, metrics },
      previousHeadId: previous?.id ?? null,
      labelled,
      training: { ...trained.plan, loss: trained.loss, accuracy: trained.accuracy, seconds: trained.seconds },
      heldOut,
      predictionsWritten: p.length,
      regionsDerived: recordings.length,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    trained.head.dispose();
  }
}

/** Predicts every window of `set` with `head`, stores the probabilities and returns them (in `set` order). */
export function writePredictions(project: DetectionProject, headId: number, head: tf.LayersModel, set: EmbeddedWindows, onProgress?: ProgressListener): Float32Array {
  const n = set.windowIds.length;
  onProgress?.({ phase: 'predicting', done: 0, total: n, itemsLabel: 'windows' });
  const p = predictHead(head, set.data, set.dims);
  putSilencePredictions(project.db, headId, Array.from(set.windowIds, (windowId, i) => ({ windowId, p: p[i] })));
  onProgress?.({ phase: 'predicting', done: n, total: n, itemsLabel: 'windows' });
  return p;
}

/** Regions of every recording from the probabilities just predicted for `set` (no database round trip). */
function deriveAllRegions(
  project: DetectionProject,
  headId: number,
  recordings: readonly RecordingRecord[],
  featureConfigId: number,
  set: EmbeddedWindows,
  p: Float32Array,
  params: RegionParams,
  onProgress?: ProgressListener,
): void {
  const frames = deliveredFramesByRecording(project.db, featureConfigId);
  const byRecording = new Map<number, WindowProbability[]>();
  for (let i = 0; i < set.windowIds.length; i++) {
    const list = byRecording.get(set.recordingIds[i]) ?? byRecording.set(set.recordingIds[i], []).get(set.recordingIds[i])!;
    list.push({ span: { startNativeSample: set.startNativeSample[i], endNativeSample: set.endNativeSample[i] }, pSilence: p[i] });
  }
  onProgress?.({ phase: 'regions', done: 0, total: recordings.length, itemsLabel: 'recordings' });
  recordings.forEach((recording, i) => {
    const nativeFrames = frames.get(recording.id) ?? recording.frames ?? 0;
    deriveAndStoreRegions(project.db, headId, recording, nativeFrames, params, byRecording.get(recording.id) ?? []);
    onProgress?.({ phase: 'regions', done: i + 1, total: recordings.length, itemsLabel: 'recordings', recording: recording.path });
  });
}

/**
 * The held-out before/after scores (see the file header), a window counting
 * as silence when p ≥ threshold; null when the labels do not allow a split.
 * "before" is the previous head as it was deployed, so it may have been
 * trained on these recordings' earlier labels; "after" has not seen them.
 */
async function evaluateHeldOut(
  project: DetectionProject,
  set: EmbeddedWindows,
  previous: StoredModel | null,
  testFraction: number,
  seed: number,
  threshold: number,
): Promise<HeldOutEvaluation | null> {
  const labelledRecordings = [...new Set(Array.from(set.recordingIds).filter((_, i) => set.silence[i] >= 0))];
  if (labelledRecordings.length < 2) return null;
  const split = groupedSplit(labelledRecordings, testFraction, seed);
  const testSet = new Set(split.test);
  const rows = Array.from(set.silence.keys()).filter((i) => set.silence[i] >= 0);
  const testRows = rows.filter((i) => testSet.has(set.recordingIds[i]));
  const trainRows = rows.filter((i) => !testSet.has(set.recordingIds[i]));
  const humanRows = testRows.filter((i) => set.source[i] === 'human');
  const truthRows = humanRows.length ? humanRows : testRows;
  if (truthRows.length === 0) return null;
  let trained;
  try {
    trained = await trainHeadOnWindows(set, { rows: trainRows, seed, budget: 0.5 });
  } catch (error) {
    if (error instanceof SonotypeError && error.code === 'INVALID_ARGUMENT') return null; // one class only in the training part
    throw error;
  }
  try {
    const p = predictHead(trained.head, gatherEmbeddings(set, truthRows), set.dims);
    const truth = truthRows.map((r) => set.silence[r] === 1);
    const after = confusionMatrix(truth, Array.from(p, (v) => v >= threshold));
    let before = null;
    if (previous) {
      const stored = new Map<number, number>();
      for (const recId of split.test) for (const s of listSilencePredictions(project.db, previous.id, recId)) stored.set(s.windowId, s.p);
      if (truthRows.every((r) => stored.has(set.windowIds[r]))) {
        before = confusionMatrix(truth, truthRows.map((r) => stored.get(set.windowIds[r])! >= threshold));
      }
    }
    return {
      testRecordingIds: split.test,
      trainRecordingIds: split.train,
      truthSource: humanRows.length ? 'human' : 'all-labels',
      windows: truthRows.length,
      before,
      after,
    };
  } finally {
    trained.head.dispose();
  }
}
