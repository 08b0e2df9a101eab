/**
 * `detect`: silence/sound regions for every recording of a project, doing
 * only the work that is missing or stale:
 * 1. labels & windows — heuristic silence labels for recordings that have
 *    none for this file version and feature config, and their window rows;
 * 2. embedding — the encoder over windows without a cached embedding;
 * 3. training — a silence head when there is none for this encoder, when
 *    human labels changed since it was trained, or when asked to;
 * 4. predicting — the head over windows without a prediction;
 * 5. regions — derived again where predictions or region settings changed.
 * A second run over an unchanged project decodes and computes nothing.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { initBackend, type BackendPreference } from '../models/backend';
import { loadProjectEncoder, loadStoredModel } from '../models/encoder-registry';
import { ensureFeatureConfig } from '../store/feature-configs';
import type { StoredModel } from '../store/models';
import type { RecordingRecord } from '../store/recordings';
import { listWindows, type StoredWindow } from '../store/windows';
import { countPredictions, lastHumanLabelChange, listSilenceHeads, windowsWithoutEmbedding } from './detection-queries';
import type { DetectionProject, DetectResult, DetectWork, HeadSummary, ProgressListener, RecordingDetection } from './detect-types';
import { embedRecordingWindows } from './embed-windows';
import { loadEmbeddedWindows } from './head-training';
import { deliveredFrames, deriveAndStoreRegions, storedRegions } from './project-regions';
import { computeHeuristicLabels, ensureWindows, heuristicLabelState } from './recording-windows';
import { analysableRecordings, regionParamsFor, retrainHead, writePredictions } from './retrain-head';
import type { Region, RegionParams } from './regions';
import { isolateRecording, nothingAnalysable, withoutFailed, type RecordingFailure } from './recording-failures';
import type { AnalysisStage } from './analysis-stage';

export interface DetectOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Region settings (threshold, smoothing, merge gap, minimum length); default: the last ones used, else the defaults. */
  regionParams?: Partial<RegionParams>;
  /** Train a new head even if the current one is up to date. */
  retrainHead?: boolean;
  /** tfjs backend (default 'auto': tfjs-node, else WASM, else CPU). */
  backend?: BackendPreference;
  /** Windows per encoder call (default 64). */
  batchSize?: number;
  /** Runs steps 1–2 elsewhere (distributedAnalysis: on workers through BullMQ); default: in this process. */
  analysis?: AnalysisStage;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SonotypeError('CANCELLED', 'Detection was cancelled.');
}

/** Runs detection over the whole project (see the file header) and returns every recording's regions. */
export async function detectProject(project: DetectionProject, options: DetectOptions = {}): Promise<DetectResult> {
  const started = performance.now();
  const { signal, onProgress } = options;
  const config = project.featureConfig();
  if (!config) throw new SonotypeError('INVALID_CONFIG', 'The project has no feature configuration yet: scan it first (`sonotype scan`).');
  const featureConfigId = ensureFeatureConfig(project.db, config);
  const work: DetectWork = {
    heuristicRecordings: 0, windowRowsReplaced: 0, windowsEmbedded: 0, embeddingSeconds: 0,
    headTrained: false, predictionsWritten: 0, regionsDerived: 0,
  };
  const backend = await initBackend(options.backend ?? 'auto');
  const encoder = await loadProjectEncoder(project.dir, project.db, config);
  try {
    // A recording that fails (damaged file…) gets an error row and is left out; the others go on.
    const failures: RecordingFailure[] = [];
    let recordings = analysableRecordings(project);
    // Whether the head is up to date does not depend on steps 1–2 (they add machine labels only), and an
    // up-to-date head lets a distributed run bring back probabilities with the embeddings.
    let head = listSilenceHeads(project.db, encoder.stored.id)[0];
    const humanChange = lastHumanLabelChange(project.db);
    const stale = !head || options.retrainHead || (humanChange !== null && humanChange > head.createdAt);
    const windowsOf = await (options.analysis ?? localAnalysis(options))({
      project, recordings, config, featureConfigId, encoder, head: stale ? null : head, work, signal, onProgress, failures,
    });
    recordings = withoutFailed(recordings, failures);
    throwIfAborted(signal);
    if (recordings.length === 0 && failures.length > 0) throw nothingAnalysable(failures);
    const params = regionParamsFor(project, head?.id ?? null, options.regionParams);
    const regionsOf = new Map<number, Region[]>();
    let repredicted = new Set<number>();
    if (stale) {
      const retrained = await retrainHead(project, { signal, onProgress, regionParams: params });
      head = listSilenceHeads(project.db, encoder.stored.id)[0];
      work.headTrained = true;
      work.predictionsWritten = retrained.predictionsWritten;
      work.regionsDerived = retrained.regionsDerived;
    } else {
      repredicted = await predictMissing(project, head, recordings, windowsOf, featureConfigId, work, options);
    }
    throwIfAborted(signal);
    onProgress?.({ phase: 'regions', done: 0, total: recordings.length, itemsLabel: 'recordings' });
    for (const [i, recording] of recordings.entries()) {
      const windows = windowsOf.get(recording.id)!;
      await isolateRecording(project.db, recording, failures, signal, () => {
        let regions = storedRegions(project.db, head.id, recording, params);
        if (!regions || repredicted.has(recording.id)) {
          regions = deriveAndStoreRegions(project.db, head.id, recording, deliveredFrames(recording, windows), params);
          work.regionsDerived++;
        }
        regionsOf.set(recording.id, regions);
      });
      onProgress?.({ phase: 'regions', done: i + 1, total: recordings.length, itemsLabel: 'recordings', recording: recording.path });
    }
    recordings = withoutFailed(recordings, failures);
    return {
      backend: { name: backend.name, reason: backend.reason },
      encoder: { id: encoder.stored.id, description: encoder.description },
      head: summariseHead(head),
      featureConfig: config,
      regionParams: params,
      recordings: recordings.map((r) => recordingDetection(r, windowsOf.get(r.id)!, regionsOf.get(r.id)!)),
      failures,
      work,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    encoder.model.dispose();
  }
}

/** Steps 1–2 in this process: heuristic labels and window rows, then the embeddings that are missing. */
export function localAnalysis(options: Pick<DetectOptions, 'signal' | 'onProgress' | 'batchSize'> = {}): AnalysisStage {
  return async ({ project, recordings, config, featureConfigId, encoder, work, failures }) => {
    const windowsOf = await labelAndWindowRecordings(project, [...recordings], config, featureConfigId, work, options, failures);
    await embedMissing(project, withoutFailed(recordings, failures), windowsOf, config, featureConfigId, encoder, work, options, failures);
    return windowsOf;
  };
}

function summariseHead(head: StoredModel): HeadSummary {
  return { id: head.id, version: head.version, metrics: head.metrics };
}

function recordingDetection(recording: RecordingRecord, windows: StoredWindow[], regions: Region[]): RecordingDetection {
  const nativeFrames = deliveredFrames(recording, windows);
  const sampleRate = recording.sampleRate ?? 1;
  return {
    recordingId: recording.id, path: recording.path, sampleRate, nativeFrames,
    durationSeconds: nativeFrames / sampleRate, windows: windows.length, regions,
  };
}

/** Step 1: heuristic labels and window rows for recordings that are new or changed. */
async function labelAndWindowRecordings(
  project: DetectionProject,
  recordings: RecordingRecord[],
  config: FeatureConfig,
  featureConfigId: number,
  work: DetectWork,
  options: DetectOptions,
  failures: RecordingFailure[],
): Promise<Map<number, StoredWindow[]>> {
  const windowsOf = new Map<number, StoredWindow[]>();
  for (const [i, recording] of recordings.entries()) {
    throwIfAborted(options.signal);
    options.onProgress?.({ phase: 'labels', done: i, total: recordings.length, itemsLabel: 'recordings', recording: recording.path });
    await isolateRecording(project.db, recording, failures, options.signal, async () => {
      const state = heuristicLabelState(project.db, recording, featureConfigId);
      if (state === 'current') {
        const { windows, replaced } = await ensureWindowsIfMissing(project, recording, config, featureConfigId, options.signal);
        if (replaced) work.windowRowsReplaced++;
        windowsOf.set(recording.id, windows);
        return;
      }
      const heuristic = await computeHeuristicLabels(project, recording, config, options.signal);
      work.heuristicRecordings++;
      // 'stale' = the file changed since its windows were embedded: drop them even if the spans are equal.
      const { windows, replaced } = await ensureWindows(project, recording, config, { spans: heuristic.spans, replace: state === 'stale', signal: options.signal });
      if (replaced) work.windowRowsReplaced++;
      windowsOf.set(recording.id, windows);
    });
  }
  options.onProgress?.({ phase: 'labels', done: recordings.length, total: recordings.length, itemsLabel: 'recordings' });
  return windowsOf;
}

/** Window rows of a recording whose labels are current: the stored ones, streamed only when there are none. */
async function ensureWindowsIfMissing(
  project: DetectionProject,
  recording: RecordingRecord,
  config: FeatureConfig,
  featureConfigId: number,
  signal: AbortSignal | undefined,
): Promise<{ windows: StoredWindow[]; replaced: boolean }> {
  const stored = listWindows(project.db, recording.id, featureConfigId);
  if (stored.length > 0) return { windows: stored, replaced: false };
  return ensureWindows(project, recording, config, { signal });
}

/** Step 2: encoder over windows without a cached embedding. */
async function embedMissing(
  project: DetectionProject,
  recordings: RecordingRecord[],
  windowsOf: Map<number, StoredWindow[]>,
  config: FeatureConfig,
  featureConfigId: number,
  encoder: Awaited<ReturnType<typeof loadProjectEncoder>>,
  work: DetectWork,
  options: DetectOptions,
  failures: RecordingFailure[],
): Promise<void> {
  const missingOf = new Map(recordings.map((r) => [r.id, windowsWithoutEmbedding(project.db, encoder.stored.id, r.id, featureConfigId)]));
  const total = [...missingOf.values()].reduce((s, m) => s + m.size, 0);
  if (total === 0) return;
  const started = performance.now();
  let done = 0;
  options.onProgress?.({ phase: 'embedding', done, total, itemsLabel: 'windows' });
  for (const recording of recordings) {
    const missing = missingOf.get(recording.id)!;
    if (missing.size === 0) continue;
    await isolateRecording(project.db, recording, failures, options.signal, () =>
      embedRecordingWindows(project, recording, config, windowsOf.get(recording.id)!, missing, { model: encoder.model, id: encoder.stored.id }, {
        signal: options.signal,
        batchSize: options.batchSize,
        onBatch: (n) => {
          done += n;
          const seconds = (performance.now() - started) / 1000;
          options.onProgress?.({ phase: 'embedding', done, total, itemsLabel: 'windows', itemsPerSecond: seconds > 0 ? done / seconds : undefined, recording: recording.path });
        },
      }),
    );
  }
  work.windowsEmbedded = done;
  work.embeddingSeconds = (performance.now() - started) / 1000;
}

/** Step 4 with an up-to-date head: predictions for windows that have none (new recordings). Returns the recordings predicted. */
async function predictMissing(
  project: DetectionProject,
  head: StoredModel,
  recordings: RecordingRecord[],
  windowsOf: Map<number, StoredWindow[]>,
  featureConfigId: number,
  work: DetectWork,
  options: DetectOptions,
): Promise<Set<number>> {
  const lacking = recordings.filter((r) => countPredictions(project.db, head.id, r.id, featureConfigId) < windowsOf.get(r.id)!.length);
  if (lacking.length === 0) return new Set();
  const set = loadEmbeddedWindows(project.db, head.parentModelId!, featureConfigId, lacking.map((r) => r.id));
  const model = await loadStoredModel(project.dir, head);
  try {
    work.predictionsWritten += writePredictions(project, head.id, model, set, options.onProgress).length;
  } finally {
    model.dispose();
  }
  return new Set(lacking.map((r) => r.id));
}
