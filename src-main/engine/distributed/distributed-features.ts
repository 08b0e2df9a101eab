/**
 * `detect --distributed`, step 1: the frame features of every new or changed
 * recording, computed by `sonotype worker` processes — the decoding and
 * spectral work that dominates detection. A recording up to about
 * `shardSeconds` (and any file without exact random access) is one job. A
 * longer WAV is cut into frame ranges of about `shardSeconds` on noise-floor
 * segment boundaries (frame-features.ts), in two rounds: 'floors' jobs give
 * each range's noise-floor statistics; the coordinator joins them into the
 * recording's floors file on the shared storage (named by the hash of the
 * file's content and analysis, so a resumed run reuses it), and 'frames'
 * jobs then compute each range's features against it. Put together, the
 * ranges are bit for bit the whole-file features.
 *
 * Job ids are hashes of the file's content, the analysis (and the range and
 * floors), so a re-run enqueues nothing. Each result is checked (checksum,
 * job, shape, length) and cached by the same function as local detect
 * (storeRecordingFeatures) once the whole recording is there; the head,
 * probabilities and regions then follow on this machine exactly as after a
 * local step 1.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SonotypeError, toErrorInfo } from '../../../src-shared/errors';
import { hasExactRandomAccess } from '../audio';
import type { FeaturesStage, FeaturesStageInput } from '../detection/analysis-stage';
import type { FrameAnalysis } from '../detection/frames/frame-analysis';
import {
  BASE_DIMS, floorBinCount, frameRanges, noiseFloorLevelDb, segmentFloorsOf, segmentFrames, type FloorStatistics, type FrameRange,
} from '../detection/frames/frame-features';
import { recordFailure } from '../detection/recording-failures';
import { analysisKeyOf, frameAnalysisOf, storeRecordingFeatures } from '../detection/recording-frames';
import { frameCount } from '../features';
import type { RecordingRecord } from '../store/recordings';
import { DEFAULT_SHARD_SECONDS, type DistributedOptions } from './distributed-analysis';
import { DEFAULT_QUEUE, floorsKeyFor, floorsPathFor, shardJobId, type FloorsJob, type FramesJob, type ShardReturn } from './shard-jobs';
import type { PlannedJob } from './shard-queue';
import { decodeFloorsFile, decodeFloorsResult, decodeFramesResult, encodeFloorsFile, readShardAnswer, type FramesResult } from './shard-results';
import { resultChecksum } from './result-codec';
import { runStageJobs } from './stage-jobs';
import { ensureWorkArea, writeFileAtomic } from './storage-root';

/** A long recording cut into frame ranges; identical files (same content and analysis) share one plan. */
interface LongPlan {
  recordings: RecordingRecord[];
  analysis: FrameAnalysis;
  floorsJob: Omit<FloorsJob, 'range'>;
  key: string;
  ranges: FrameRange[];
  stats: (FloorStatistics | null)[];
  /** The floors file once written (or found from an earlier run). */
  floors: { key: string; checksum: string; noiseFloorDb: number | null } | null;
  writingFloors: boolean;
  parts: (FramesResult | null)[];
  /** Applied parts (floors or ranges) kept finished in Redis until what they are part of is written. */
  kept: { job: PlannedJob; answer: ShardReturn }[];
  done: boolean;
  failed: boolean;
}

/** A job and the recordings it is for: a whole recording, or one range of a long one (`long`). */
type Planned = PlannedJob & { recordings: RecordingRecord[]; data: FramesJob | FloorsJob; long?: { plan: LongPlan; index: number } };

type Prepared = ({ kind: 'frames'; result: FramesResult } | { kind: 'floors'; stats: FloorStatistics }) & { answer: ShardReturn };

/** The distributed features stage for detectProject (see the file header). */
export function distributedFeatures(options: DistributedOptions): FeaturesStage {
  return (input) => runDistributedFeatures(input, options);
}

async function runDistributedFeatures(input: FeaturesStageInput, options: DistributedOptions): Promise<void> {
  const { project, work } = input;
  const { storage } = options;
  const log = options.log ?? (() => {});
  const precision = options.precision ?? 'f32';
  const shardSeconds = options.shardSeconds ?? DEFAULT_SHARD_SECONDS;
  ensureWorkArea(storage);
  const failed = new Set<number>();
  const fail = (recording: RecordingRecord, error: unknown): void => {
    if (failed.has(recording.id)) return;
    failed.add(recording.id);
    recordFailure(project.db, recording, input.failures, error);
  };
  /** Parts whose whole is written (or failed): their jobs can leave Redis. */
  const released: { job: PlannedJob; answer: ShardReturn }[] = [];
  const release = (plan: LongPlan): void => {
    released.push(...plan.kept);
    plan.kept = [];
  };
  const failPlan = (plan: LongPlan, error: unknown): void => {
    plan.failed = true;
    plan.parts = [];
    release(plan);
    for (const recording of plan.recordings) fail(recording, error);
  };

  const whole = new Map<string, Planned>();
  const long = new Map<string, LongPlan>();
  for (const recording of input.recordings) {
    try {
      const relPath = storage.relativeOf(project.resolveRecordingPath(recording.path));
      if (!relPath) {
        throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} is not inside the storage folder ${storage.dir}, so workers cannot read it. Give --storage the shared folder that holds every recording.`);
      }
      const analysis = frameAnalysisOf(project.db, recording);
      const ref = { path: relPath, hash: recording.hash, sampleRate: recording.sampleRate!, channels: recording.channels!, frames: recording.frames ?? 0, sizeBytes: recording.sizeBytes };
      const analysisKey = analysisKeyOf(analysis);
      const ranges = hasExactRandomAccess(recording.container) && ref.frames > 0 ? frameRanges(analysis, ref.frames, shardSeconds) : [];
      if (ranges.length > 1) {
        const floorsJob = { v: 1 as const, recording: ref, analysis: { ...analysis }, analysisKey };
        const key = floorsKeyFor({ ...floorsJob, range: ranges[0] });
        const same = long.get(key);
        if (same) same.recordings.push(recording);
        else {
          long.set(key, {
            recordings: [recording], analysis, floorsJob, key, ranges, stats: ranges.map(() => null), floors: null,
            writingFloors: false, parts: ranges.map(() => null), kept: [], done: false, failed: false,
          });
        }
        continue;
      }
      const data: FramesJob = { v: 1, recording: ref, analysis: { ...analysis }, analysisKey, precision };
      const id = shardJobId({ kind: 'frames', data });
      const same = whole.get(id);
      if (same) same.recordings.push(recording);
      else whole.set(id, { id, name: 'frames', data, recordings: [recording] });
    } catch (error) {
      if (toErrorInfo(error).code === 'DATABASE') throw error;
      fail(recording, error);
    }
  }

  /** The frames jobs of a long recording's ranges, against its floors file. */
  const rangeJobs = (plan: LongPlan): Planned[] =>
    plan.ranges.map((range, index) => {
      const data: FramesJob = { ...plan.floorsJob, precision, range, floors: { key: plan.floors!.key, checksum: plan.floors!.checksum } };
      return { id: shardJobId({ kind: 'frames', data }), name: 'frames', data, recordings: plan.recordings, long: { plan, index } };
    });

  // Long recordings: their floors file from an earlier run, else a floors job per range.
  const jobs: Planned[] = [...whole.values()];
  const discard: string[] = [];
  for (const plan of long.values()) {
    const floorsJobs = plan.ranges.map((range, index): Planned => {
      const data: FloorsJob = { ...plan.floorsJob, range };
      return { id: shardJobId({ kind: 'floors', data }), name: 'floors', data, recordings: plan.recordings, long: { plan, index } };
    });
    plan.floors = await existingFloors(plan);
    if (plan.floors) {
      discard.push(...floorsJobs.map((j) => j.id));
      jobs.push(...rangeJobs(plan));
    } else jobs.push(...floorsJobs);
  }
  if (jobs.length === 0) return;

  async function existingFloors(plan: LongPlan): Promise<LongPlan['floors']> {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(storage.dir, floorsPathFor(plan.key)));
    } catch {
      return null;
    }
    try {
      const file = decodeFloorsFile(bytes, undefined, plan.key);
      if (file.bins !== floorBinCount(plan.analysis)) return null;
      return { key: plan.key, checksum: resultChecksum(bytes), noiseFloorDb: file.noiseFloorDb };
    } catch (error) {
      log(`the floors file ${floorsPathFor(plan.key)} is unusable (${toErrorInfo(error).message}): computing the floors again`);
      return null;
    }
  }

  const audioSeconds = [...whole.values(), ...[...long.values()].map((p) => ({ recordings: p.recordings }))].reduce((s, j) => s + (j.recordings[0].durationSeconds ?? 0), 0);
  const longNote = long.size ? `, ${long.size} of them in ranges of about ${Math.round(shardSeconds)} s` : '';
  log(`${whole.size + long.size} recordings to analyse (${(audioSeconds / 3600).toFixed(2)} h of audio${longNote}) on queue '${options.queue ?? DEFAULT_QUEUE}' at ${options.redis.display}`);

  /** Reads a result and checks it fits its recording (and range); nothing is written here. */
  const verify = async (job: PlannedJob, answer: Parameters<typeof readShardAnswer>[1]): Promise<Prepared> => {
    const { data, recordings, long: part } = job as Planned;
    const recording = recordings[0];
    const bytes = await readShardAnswer(storage, answer);
    if (job.name === 'floors') {
      const { stats } = decodeFloorsResult(bytes, answer.checksum, job.id);
      const range = part!.plan.ranges[part!.index];
      const perRange = range.endFrame === null ? null : (range.endFrame - range.firstFrame) / segmentFrames(data.analysis);
      if (stats.firstSegment * segmentFrames(data.analysis) !== range.firstFrame || stats.histogram.binCount !== floorBinCount(data.analysis) || (perRange !== null && stats.perSegment.length !== perRange)) {
        throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: noise-floor statistics of segments ${stats.firstSegment}+${stats.perSegment.length} for frames ${range.firstFrame}–${range.endFrame ?? 'end'}.`);
      }
      return { kind: 'floors', stats, answer };
    }
    const result = decodeFramesResult(bytes, answer.checksum, job.id);
    if (result.dims !== BASE_DIMS) throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: ${result.dims} features per frame, ${BASE_DIMS} expected.`);
    const range = part ? part.plan.ranges[part.index] : { firstFrame: 0, endFrame: null };
    if (result.firstFrame !== range.firstFrame) throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: it starts at frame ${result.firstFrame}, not ${range.firstFrame}.`);
    if (range.endFrame !== null) {
      if (result.nativeFrames !== null || result.frames !== range.endFrame - range.firstFrame) {
        throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: ${result.frames} frames for frames ${range.firstFrame}–${range.endFrame}.`);
      }
      return { kind: 'frames', result, answer };
    }
    // Whole frames cover the decoded samples: a different count is a damaged result.
    if (result.nativeFrames === null || result.firstFrame + result.frames !== frameCount(result.nativeFrames, data.analysis)) {
      throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: ${result.frames} frames from frame ${result.firstFrame} for ${result.nativeFrames} samples.`);
    }
    // WAV lengths are exact: a worker that decoded another length read another file.
    if (hasExactRandomAccess(recording.container) && result.nativeFrames !== recording.frames) {
      throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} on the worker has ${result.nativeFrames} samples, ${recording.frames} when it was scanned: it changed. Scan the project again.`);
    }
    return { kind: 'frames', result, answer };
  };

  /** Caches a recording's features (one savepoint per recording) and counts the work. */
  const store = (recordings: readonly RecordingRecord[], analysis: FrameAnalysis, f: Omit<FramesResult, 'jobId' | 'firstFrame' | 'nativeFrames'> & { nativeFrames: number }): void => {
    for (const recording of recordings) {
      if (failed.has(recording.id)) continue;
      project.db.transaction(() => storeRecordingFeatures(project.db, recording, { ...f, analysis }));
      work.recordingsDecoded++;
      work.audioSecondsDecoded += f.nativeFrames / analysis.sampleRate;
    }
  };

  /** A long recording's ranges put together, once every one has arrived. */
  const assemble = (plan: LongPlan): void => {
    if (plan.failed || plan.done || plan.parts.some((p) => !p)) return;
    const parts = plan.parts as FramesResult[];
    const frames = parts.reduce((s, p) => s + p.frames, 0);
    const data = new Float32Array(frames * BASE_DIMS);
    for (const p of parts) data.set(p.data, p.firstFrame * BASE_DIMS);
    plan.done = true;
    plan.parts = [];
    release(plan);
    store(plan.recordings, plan.analysis, { frames, dims: BASE_DIMS, data, nativeFrames: parts.at(-1)!.nativeFrames!, noiseFloorDb: plan.floors!.noiseFloorDb });
  };

  /** After the last floors result of a long recording: its floors file on the storage, and the jobs of its ranges. */
  const followUp = async (job: PlannedJob): Promise<Planned[]> => {
    const part = (job as Planned).long;
    if (job.name !== 'floors' || !part) return [];
    const { plan } = part;
    if (plan.failed || plan.floors || plan.writingFloors || plan.stats.some((s) => !s)) return [];
    plan.writingFloors = true;
    try {
      const floors = segmentFloorsOf(plan.analysis, plan.stats as FloorStatistics[]);
      const noiseFloorDb = noiseFloorLevelDb(floors);
      const file = encodeFloorsFile({ key: plan.key, bins: floorBinCount(plan.analysis), floors, noiseFloorDb });
      await writeFileAtomic(join(storage.dir, floorsPathFor(plan.key)), file.bytes);
      plan.floors = { key: plan.key, checksum: file.checksum, noiseFloorDb };
      plan.stats = [];
      release(plan);
      return rangeJobs(plan);
    } catch (error) {
      if (toErrorInfo(error).code === 'DATABASE') throw error;
      failPlan(plan, error);
      return [];
    }
  };

  const started = performance.now();
  await runStageJobs(options, input, { phase: 'features', itemsLabel: long.size ? 'shards' : 'recordings' }, {
    jobs,
    discard,
    verify,
    // One transaction per batch, a savepoint per recording; a long recording's ranges wait in memory for the last one.
    commit: (batch) =>
      project.db.transaction(() => {
        for (const { job, prepared } of batch) {
          const { data, recordings, long: part } = job as Planned;
          if (part) part.plan.kept.push({ job, answer: prepared.answer });
          if (!part) {
            const r = (prepared as Extract<Prepared, { kind: 'frames' }>).result;
            store(recordings, data.analysis, { ...r, nativeFrames: r.nativeFrames! });
          } else if (part.plan.failed) release(part.plan);
          else if (prepared.kind === 'floors') part.plan.stats[part.index] = prepared.stats;
          else {
            part.plan.parts[part.index] = prepared.result;
            assemble(part.plan);
          }
        }
      }),
    followUp,
    laterJobs: () => [...long.values()].reduce((s, p) => s + (p.floors || p.failed ? 0 : p.ranges.length), 0),
    retain: (job) => !!(job as Planned).long,
    release: () => released.splice(0),
    onFailure: (job, error) => {
      const { recordings, long: part } = job as Planned;
      const why = new SonotypeError(error.code, `its ${job.name} job kept failing: ${error.message}`);
      if (part) failPlan(part.plan, why);
      else for (const recording of recordings) fail(recording, why);
    },
  });
  log(`features of ${input.recordings.length - failed.size} recordings received in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
