/**
 * `detect`: silence/sound regions for every recording of a project at frame
 * resolution (one ~5-ms hop), doing only the work that is missing or stale:
 * 1. features — recordings that are new or changed are decoded (at their own
 *    rate) and their frame features cached (recording-frames.ts);
 * 2. head — the active detection head; the first run creates the label-free
 *    teacher head. When human labels changed since the newest head was
 *    trained (or when asked), the head is retrained, and the new one becomes
 *    active only if it scores better on held-out human labels
 *    (retrain-detector.ts);
 * 3. predicting — frames of recordings without cached probabilities for the
 *    active head;
 * 4. regions — derived again where probabilities, settings or human labels
 *    changed (human labels win frame by frame);
 * 5. embeddings, only when asked (`embed`): window labels and encoder
 *    embeddings for the map and other users of embeddings
 *    (window-analysis.ts). Regions never wait for them.
 * Steps 1 and 5 can run on other machines (`features`, `analysis`: the
 * distributed stages of engine/distributed, the same analysis code on
 * `sonotype worker` processes); the rest always runs here.
 * A second run over an unchanged project decodes and computes nothing.
 * Results are deterministic: the same audio, labels and settings give the
 * same regions, run after run.
 */
import { throwIfCancelled } from '../util/cancel';
import { SonotypeError } from '../../../src-shared/errors';
import { getFrameProbabilities, putFrameProbabilities } from '../store/frame-data';
import { listModels } from '../store/models';
import type { RecordingRecord } from '../store/recordings';
import { lastHumanLabelChange } from '../store/labels';
import { DETECTION_HEAD_KIND, ensureActiveHead, loadHeadPayload } from './detection-heads';
import type { DetectionProject, DetectResult, DetectWork, ProgressListener, RecordingDetection, RetrainResult } from './detect-types';
import { predictFrames } from './frames/detection-head';
import type { FrameRegionParams } from './frames/frame-regions';
import { analysableRecordings } from './analysable-recordings';
import { computeRecordingFeatures, hasCurrentFeatures, loadRecordingFrames } from './recording-frames';
import { currentStoredRegions, deriveAndStoreFrameRegions, frameRegionParamsFor } from './region-refresh';
import { headSummary, retrainDetector } from './retrain-detector';
import type { Region } from './regions';
import type { BackendPreference } from '../models/backend';
import type { AnalysisStage, FeaturesStage } from './analysis-stage';
import { embedProjectWindows } from './window-analysis';

export { localAnalysis } from './window-analysis';
import { isolateRecording, nothingAnalysable, withoutFailed, type RecordingFailure } from './recording-failures';

export interface DetectOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Region settings (threshold, smoothing, merge gap, minimum length); default: the last ones used, else the defaults. */
  regionParams?: Partial<FrameRegionParams>;
  /** Retrain the head even if no human label changed since the newest one. */
  retrainHead?: boolean;
  /** Seed for a retrain (stored with the head). */
  seed?: number;
  /** Also embed the model windows with the project's encoder (step 5). */
  embed?: boolean;
  /** tfjs backend for the encoder (default 'auto'). */
  backend?: BackendPreference;
  /** Encoder worker threads for step 5 (default: one per core once there are enough windows; 0 = this thread). */
  encoderWorkers?: number;
  /** Windows per encoder call (default 64). */
  batchSize?: number;
  /** Runs step 5 elsewhere (distributedAnalysis: on workers through BullMQ); default: in this process. */
  analysis?: AnalysisStage;
  /** Runs step 1 elsewhere (distributedFeatures: on workers through BullMQ); default: in this process. */
  features?: FeaturesStage;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  throwIfCancelled(signal, 'Detection');
}

/** Runs detection over the whole project (see the file header) and returns every recording's regions. */
export async function detectProject(project: DetectionProject, options: DetectOptions = {}): Promise<DetectResult> {
  const started = performance.now();
  const { signal, onProgress } = options;
  if (!project.featureConfig()) throw new SonotypeError('INVALID_CONFIG', 'The project has no recordings scanned yet: scan it first (`sonotype scan`).');
  const work: DetectWork = {
    recordingsDecoded: 0, audioSecondsDecoded: 0, headTrained: false, recordingsPredicted: 0, regionsDerived: 0,
    heuristicRecordings: 0, windowRowsReplaced: 0, windowsEmbedded: 0, embeddingSeconds: 0,
  };
  // A recording that fails (damaged file…) gets an error row and is left out; the others go on.
  const failures: RecordingFailure[] = [];
  let recordings = analysableRecordings(project);
  const changed = await analyseRecordings(project, recordings, work, options, failures);
  recordings = withoutFailed(recordings, failures);
  throwIfAborted(signal);
  if (recordings.length === 0 && failures.length > 0) throw nothingAnalysable(failures);

  let head = ensureActiveHead(project);
  let retrain: RetrainResult | null = null;
  const newestHead = listModels(project.db, DETECTION_HEAD_KIND)[0];
  const humanChange = lastHumanLabelChange(project.db);
  if (options.retrainHead || (humanChange !== null && humanChange >= newestHead.createdAt)) {
    retrain = await retrainDetector(project, { signal, onProgress, regionParams: options.regionParams, seed: options.seed });
    work.headTrained = retrain.labelled.windows > 0;
    work.recordingsPredicted += retrain.recordingsPredicted;
    head = ensureActiveHead(project);
  }
  throwIfAborted(signal);
  const payload = loadHeadPayload(project.db, head.id);
  const params = frameRegionParamsFor(project.db, head.id, options.regionParams);
  const out: RecordingDetection[] = [];
  onProgress?.({ phase: 'regions', done: 0, total: recordings.length, itemsLabel: 'recordings' });
  for (const [i, recording] of recordings.entries()) {
    throwIfAborted(signal);
    const done = await isolateRecording(project.db, recording, failures, signal, () => {
      const frames = loadRecordingFrames(project.db, recording);
      let p = changed.has(recording.id) ? null : getFrameProbabilities(project.db, head.id, recording.id, frames.analysisKey);
      let regions: Region[] | null = null;
      if (!p || p.length !== frames.frames) {
        p = predictFrames(payload, frames);
        putFrameProbabilities(project.db, head.id, recording.id, frames.analysisKey, p);
        work.recordingsPredicted++;
      } else regions = currentStoredRegions(project.db, head.id, recording, params, frames.analysisKey);
      if (!regions) {
        regions = deriveAndStoreFrameRegions(project.db, head.id, recording, frames, p, params).regions;
        work.regionsDerived++;
      }
      const rate = recording.sampleRate ?? frames.analysis.sampleRate;
      return {
        recordingId: recording.id, path: recording.path, sampleRate: rate, nativeFrames: frames.nativeFrames,
        durationSeconds: frames.nativeFrames / rate, frames: frames.frames, regions,
      };
    });
    if (done) out.push(done);
    onProgress?.({ phase: 'regions', done: i + 1, total: recordings.length, itemsLabel: 'recordings', recording: recording.path });
  }
  let encoder: DetectResult['encoder'] = null;
  if (options.embed) {
    const embedded = withoutFailed(recordings, failures);
    encoder = await embedProjectWindows(project, embedded, work, failures, options);
    const failed = new Set(failures.map((f) => f.recordingId));
    out.splice(0, out.length, ...out.filter((r) => !failed.has(r.recordingId)));
    if (out.length === 0 && failures.length > 0) throw nothingAnalysable(failures);
  }
  return {
    head: headSummary(head),
    regionParams: params,
    recordings: out,
    failures,
    encoder,
    work,
    retrain,
    audioSeconds: out.reduce((s, r) => s + r.durationSeconds, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Step 1: frame features of new or changed recordings. Returns the ids analysed now. */
async function analyseRecordings(
  project: DetectionProject,
  recordings: readonly RecordingRecord[],
  work: DetectWork,
  options: DetectOptions,
  failures: RecordingFailure[],
): Promise<Set<number>> {
  // A recording whose check throws (a rate detection cannot use…) is analysed below, where its error is isolated.
  const missing = recordings.filter((r) => {
    try {
      return !hasCurrentFeatures(project.db, r);
    } catch {
      return true;
    }
  });
  if (options.features && missing.length > 0) {
    await options.features({ project, recordings: missing, work, signal: options.signal, onProgress: options.onProgress, failures });
    return new Set(missing.map((r) => r.id));
  }
  const total = missing.reduce((s, r) => s + (r.durationSeconds ?? 0), 0);
  const started = performance.now();
  let done = 0;
  options.onProgress?.({ phase: 'features', done: 0, total, itemsLabel: 'seconds' });
  for (const recording of missing) {
    throwIfAborted(options.signal);
    const seconds = await isolateRecording(project.db, recording, failures, options.signal, () => computeRecordingFeatures(project, recording, options.signal));
    done += recording.durationSeconds ?? seconds ?? 0;
    if (seconds === undefined) continue;
    work.recordingsDecoded++;
    work.audioSecondsDecoded += seconds;
    const elapsed = (performance.now() - started) / 1000;
    options.onProgress?.({ phase: 'features', done, total, itemsLabel: 'seconds', itemsPerSecond: elapsed > 0 ? done / elapsed : undefined, recording: recording.path });
  }
  return new Set(missing.map((r) => r.id));
}
