/**
 * `detect --distributed --embed`: the window stage of detect
 * (analysis-stage.ts: the map's heuristic window labels, window rows and
 * encoder embeddings) run on workers. The coordinator plans one recording
 * job per recording whose window labels are missing or stale, and windows
 * jobs of about `shardSeconds` for windows without an embedding (a WAV file
 * is cut into shards whose windows are bit-identical to the whole-file pass;
 * other formats, and per-recording normalisation, go whole). It publishes
 * the encoder by hash (and a window-level head when the stage is given one:
 * its probabilities then come back with the embeddings), and writes each
 * result into the project as it arrives — it is the only writer — after
 * checking its checksum and that its windows are the project's windows.
 * Frame features, what detection's regions come from, are the features
 * stage's (distributed-features.ts).
 */
import { join } from 'node:path';
import { SonotypeError, toErrorInfo } from '../../../src-shared/errors';
import type { FeatureConfig, WindowSpan } from '../../../src-shared/feature-types';
import { hasExactRandomAccess } from '../audio';
import type { AnalysisStage, AnalysisStageInput } from '../detection/analysis-stage';
import { DEFAULT_EMBED_BATCH, recordingUnitSpans } from '../detection/analysis-units';
import { recordFailure } from '../detection/recording-failures';
import { heuristicLabelState, storeHeuristicLabels, storeWindowSpans } from '../detection/recording-windows';
import { recordingWindowCount } from '../features';
import { putEmbeddings, windowsWithoutEmbedding } from '../store/embeddings';
import { putSilencePredictions } from '../store/predictions';
import type { RecordingRecord } from '../store/recordings';
import { listWindows, type StoredWindow } from '../store/windows';
import { publishModel } from './model-store';
import type { RedisSettings } from './redis-url';
import { DEFAULT_QUEUE, shardJobId, type RecordingJob, type ShardKind, type ShardReturn, type WindowsJob } from './shard-jobs';
import type { PlannedJob, QueueProgress } from './shard-queue';
import { decodeRecordingResult, decodeWindowsResult, readShardAnswer, type RecordingResult, type WindowsResult } from './shard-results';
import { runStageJobs } from './stage-jobs';
import { ensureWorkArea, type StorageRoot } from './storage-root';

export interface DistributedOptions {
  redis: RedisSettings;
  /** The shared folder as mounted on this machine; every recording must be inside it. */
  storage: StorageRoot;
  queue?: string;
  /** Target shard length (default 600 s): window shards are whole encoder batches, frame ranges whole noise-floor segments. */
  shardSeconds?: number;
  /** Embeddings as float32 (default; identical to local detect) or float16 (half the bytes, ~3 significant digits). */
  precision?: 'f32' | 'f16';
  attempts?: number;
  backoffMs?: number;
  maxRejections?: number;
  redisTimeoutMs?: number;
  log?: (line: string) => void;
  /** Queue-level progress (in addition to the detect progress events). */
  onQueueProgress?: (progress: QueueProgress) => void;
  /** Each result written into the project, with its size (capacity figures). */
  onResult?: (kind: ShardKind, answer: ShardReturn) => void;
}

export const DEFAULT_SHARD_SECONDS = 600;

/** Windows per shard: about `seconds` of audio, rounded to whole encoder batches (so shards batch like the whole file). */
export function shardWindowCount(config: FeatureConfig, seconds: number): number {
  const windowsPerSecond = config.analysisSampleRate / (config.hopSize * config.windowStride);
  return Math.max(1, Math.round((seconds * windowsPerSecond) / DEFAULT_EMBED_BATCH)) * DEFAULT_EMBED_BATCH;
}

interface RecordingPlan {
  recording: RecordingRecord;
  state: 'current' | 'stale' | 'absent';
  labelsPending: boolean;
  windows: StoredWindow[] | null;
  /** Windows results that arrived before the recording's window rows existed. */
  held: { result: WindowsResult; wholeFile: boolean }[];
  failed: boolean;
}

/** A job and the recordings it is for: identical files (same content) share one job and its result. */
type Planned = PlannedJob & { recordingIds: number[] };

type Prepared =
  | { kind: 'recording'; result: RecordingResult; spans: WindowSpan[] }
  | { kind: 'windows'; result: WindowsResult };

/** The distributed analysis stage for detectProject (see the file header). */
export function distributedAnalysis(options: DistributedOptions): AnalysisStage {
  return (input) => runDistributedAnalysis(input, options);
}

async function runDistributedAnalysis(input: AnalysisStageInput, options: DistributedOptions): Promise<Map<number, StoredWindow[]>> {
  const { project, config, featureConfigId, encoder, head, work } = input;
  const { storage } = options;
  const log = options.log ?? (() => {});
  ensureWorkArea(storage);
  if (!encoder.stored.filesPath) throw new SonotypeError('NOT_FOUND', `The encoder ${encoder.description} has no saved weights to give the workers.`);
  const encoderHash = await publishModel(storage, join(project.dir, encoder.stored.filesPath));
  const headHash = head?.filesPath ? await publishModel(storage, join(project.dir, head.filesPath)) : null;
  const plans = new Map<number, RecordingPlan>();
  const planned = new Map<string, Planned>();
  const addJob = (job: PlannedJob, recordingId: number): void => {
    const same = planned.get(job.id);
    if (same) same.recordingIds.push(recordingId);
    else planned.set(job.id, { ...job, recordingIds: [recordingId] });
  };
  const shardLength = shardWindowCount(config, options.shardSeconds ?? DEFAULT_SHARD_SECONDS);
  const fail = (plan: RecordingPlan, error: unknown): void => {
    if (plan.failed) return;
    plan.failed = true;
    plan.held = [];
    recordFailure(project.db, plan.recording, input.failures, error);
  };

  for (const recording of input.recordings) {
    const plan: RecordingPlan = { recording, state: 'absent', labelsPending: false, windows: null, held: [], failed: false };
    plans.set(recording.id, plan);
    const relPath = storage.relativeOf(project.resolveRecordingPath(recording.path));
    if (!relPath) {
      fail(plan, new SonotypeError('INVALID_ARGUMENT', `${recording.path} is not inside the storage folder ${storage.dir}, so workers cannot read it. Give --storage the shared folder that holds every recording.`));
      continue;
    }
    const ref = {
      path: relPath, hash: recording.hash, sampleRate: recording.sampleRate!, channels: recording.channels!,
      frames: recording.frames ?? 0, sizeBytes: recording.sizeBytes,
    };
    plan.state = heuristicLabelState(project.db, recording, featureConfigId);
    const stored = listWindows(project.db, recording.id, featureConfigId);
    const exact = hasExactRandomAccess(recording.container) && ref.frames > 0 && config.normalisation !== 'recording';
    const total = exact ? recordingWindowCount(ref.frames, ref.sampleRate, config) : null;
    const needLabels = plan.state !== 'current' || stored.length === 0 || (total !== null && stored.length !== total);
    plan.labelsPending = needLabels;
    plan.windows = needLabels ? null : stored;
    if (needLabels) {
      const data: RecordingJob = { v: 1, recording: ref, featureConfig: config };
      addJob({ id: shardJobId({ kind: 'recording', data }), name: 'recording', data }, recording.id);
    }
    // Which windows lack an embedding (all of them when the window rows are about to be made).
    const lacking = needLabels ? null : windowsWithoutEmbedding(project.db, encoder.stored.id, recording.id, featureConfigId);
    const missingAt = (first: number, end: number): boolean => {
      if (!lacking) return true;
      for (let i = first; i < end; i++) if (lacking.has(stored[i].id)) return true;
      return false;
    };
    const ranges: { first: number; end: number | null }[] = [];
    if (total === null) {
      if (missingAt(0, stored.length)) ranges.push({ first: 0, end: null });
    } else {
      for (let first = 0; first < total; first += shardLength) {
        const end = Math.min(total, first + shardLength);
        if (missingAt(first, end)) ranges.push({ first, end });
      }
    }
    for (const range of ranges) {
      const data: WindowsJob = { v: 1, recording: ref, featureConfig: config, range, encoder: encoderHash, head: headHash, precision: options.precision ?? 'f32' };
      addJob({ id: shardJobId({ kind: 'windows', data }), name: 'windows', data }, recording.id);
    }
  }
  // Recording jobs first: a recording's windows results wait for its window rows.
  const jobs = [...planned.values()];
  jobs.sort((a, b) => (a.name === b.name ? 0 : a.name === 'recording' ? -1 : 1));
  const shards = jobs.filter((j) => j.name === 'windows').length;
  log(`${jobs.length} jobs to run (${jobs.length - shards} recordings to label, ${shards} shards to embed) on queue '${options.queue ?? DEFAULT_QUEUE}' at ${options.redis.display}`);

  const applyWindows = (plan: RecordingPlan, result: WindowsResult, wholeFile: boolean): void => {
    const windows = plan.windows ?? (plan.windows = listWindows(project.db, plan.recording.id, featureConfigId));
    if (wholeFile && result.count !== windows.length) {
      throw new SonotypeError('INVALID_ARGUMENT', `${plan.recording.path} gave ${result.count} windows but has ${windows.length}: it changed since it was scanned. Scan the project again.`);
    }
    const rows = Array.from({ length: result.count }, (_, i) => {
      const row = windows[result.first + i];
      if (!row || row.startNativeSample !== result.startNative[i] || row.endNativeSample !== result.endNative[i]) {
        throw new SonotypeError('INVALID_ARGUMENT', `${plan.recording.path} changed since it was scanned (window ${result.first + i} does not match). Scan the project again.`);
      }
      return row;
    });
    putEmbeddings(project.db, encoder.stored.id, rows.map((row, i) => ({ windowId: row.id, vector: result.embeddings.slice(i * result.dims, (i + 1) * result.dims) })));
    if (head && result.pSilence) putSilencePredictions(project.db, head.id, rows.map((row, i) => ({ windowId: row.id, p: result.pSilence![i] })));
    work.windowsEmbedded += result.count;
  };

  /** Reads and checks a result (concurrently with others); nothing is written here. */
  const prepare = async (job: PlannedJob, answer: ShardReturn): Promise<Prepared> => {
    const plan = plans.get((job as Planned).recordingIds[0])!;
    const bytes = await readShardAnswer(storage, answer);
    if (job.name === 'windows') return { kind: 'windows', result: decodeWindowsResult(bytes, answer.checksum, job.id) };
    const result = decodeRecordingResult(bytes, answer.checksum, job.id);
    const spans = recordingUnitSpans(result.nativeFrames, result.analysisSamples, plan.recording.sampleRate!, config);
    if (spans.length !== result.silent.length) throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: ${result.silent.length} decisions for ${spans.length} windows.`);
    return { kind: 'recording', result, spans };
  };

  /** Writes one prepared result for one of its recordings; a per-file problem fails that recording, a database error ends the run. */
  const commitOne = (plan: RecordingPlan, job: PlannedJob, prepared: Prepared): void => {
    if (plan.failed) return;
    try {
      if (prepared.kind === 'recording') {
        const rec = plan.recording;
        storeHeuristicLabels(project, rec, config, { spans: prepared.spans, silent: prepared.result.silent, nativeFrames: prepared.result.nativeFrames });
        const { windows, replaced } = storeWindowSpans(project, rec, featureConfigId, prepared.spans, plan.state === 'stale');
        plan.windows = windows;
        plan.labelsPending = false;
        work.heuristicRecordings++;
        if (replaced) work.windowRowsReplaced++;
        for (const held of plan.held.splice(0)) applyWindows(plan, held.result, held.wholeFile);
        return;
      }
      const wholeFile = (job.data as WindowsJob).range.end === null;
      if (plan.labelsPending) plan.held.push({ result: prepared.result, wholeFile });
      else applyWindows(plan, prepared.result, wholeFile);
    } catch (error) {
      if (toErrorInfo(error).code === 'DATABASE') throw error;
      fail(plan, error);
    }
  };

  const started = performance.now();
  if (jobs.length > 0) {
    await runStageJobs(options, input, { phase: 'embedding', itemsLabel: 'shards' }, {
      jobs,
      verify: prepare,
      // One transaction per batch: a savepoint per result keeps a failing file's writes out.
      commit: (batch) => project.db.transaction(() => {
        for (const { job, prepared } of batch) {
          for (const id of (job as Planned).recordingIds) project.db.transaction(() => commitOne(plans.get(id)!, job, prepared));
        }
      }),
      onFailure: (job, error) => {
        for (const id of (job as Planned).recordingIds) fail(plans.get(id)!, new SonotypeError(error.code, `a ${job.name} job kept failing: ${error.message}`));
      },
    });
  }
  work.embeddingSeconds += (performance.now() - started) / 1000;
  const windowsOf = new Map<number, StoredWindow[]>();
  for (const plan of plans.values()) {
    if (plan.failed) continue;
    if (plan.labelsPending) {
      fail(plan, new SonotypeError('INTERNAL', `${plan.recording.path}: its recording job never finished.`));
      continue;
    }
    windowsOf.set(plan.recording.id, plan.windows ?? listWindows(project.db, plan.recording.id, featureConfigId));
  }
  return windowsOf;
}
