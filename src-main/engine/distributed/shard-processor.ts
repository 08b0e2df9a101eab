/**
 * What a worker does with one job: check it, resolve its recording inside
 * the storage root, run the analysis it names — a recording's frame features,
 * or for a long one a frame range's noise-floor statistics or features
 * against the floors file (detection/frames/frame-features.ts), its
 * heuristic window labels or a window shard's embeddings
 * (detection/analysis-units.ts): the engine's own code, exactly as local
 * `detect` runs it — pack the result and hand it back inline (small) or as a
 * file in the work area (large).
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { SonotypeError } from '../../../src-shared/errors';
import { probeAudio, readAudioBlocks, streamAudioRange } from '../audio';
import { analyseRecordingUnit, analyseWindowShard } from '../detection/analysis-units';
import { validateFeatureConfig } from '../features';
import type { ModelCache } from './model-store';
import type { EncodedResult } from './result-codec';
import { floorsPathFor, parseShardJob, resultPathFor, type FloorsJob, type FramesJob, type RecordingJob, type ShardReturn, type WindowsJob } from './shard-jobs';
import { decodeFloorsFile, encodeFloorsResult, encodeFramesResult, encodeRecordingResult, encodeWindowsResult } from './shard-results';
import { BASE_DIMS, extractFrameFeatures, floorBinCount, floorStatistics, frameFeaturesOfRange } from '../detection/frames/frame-features';
import { writeFileAtomic, type StorageRoot } from './storage-root';

/** Results up to this size travel inline through Redis; larger ones go to storage. */
export const DEFAULT_INLINE_LIMIT = 64 * 1024;

export interface ProcessorContext {
  root: StorageRoot;
  models: ModelCache;
  /** Name of this worker in logs and results. */
  worker: string;
  /** tfjs backend description (results record it). */
  backend: string;
  inlineLimit?: number;
  signal?: AbortSignal;
  /** Progress inside the job, 0–1. */
  onProgress?: (fraction: number) => void | Promise<void>;
}

export function defaultWorkerName(): string {
  return `${hostname()}:${process.pid}`;
}

/** Checks that the file on this worker is the one the coordinator scanned. */
async function checkRecording(abs: string, job: FramesJob | FloorsJob | RecordingJob | WindowsJob): Promise<void> {
  const info = await probeAudio(abs);
  const r = job.recording;
  if (info.sampleRate !== r.sampleRate || info.channels !== r.channels || info.frames !== r.frames) {
    throw new SonotypeError(
      'INVALID_ARGUMENT',
      `${r.path} on this worker is not the file that was scanned (${info.sampleRate} Hz, ${info.channels} ch, ${info.frames} samples here; ` +
        `${r.sampleRate} Hz, ${r.channels} ch, ${r.frames} samples in the project). Check that every worker mounts the same storage.`,
    );
  }
}

async function runFramesJob(jobId: string, job: FramesJob, abs: string, ctx: ProcessorContext): Promise<EncodedResult> {
  const { analysis, range, floors } = job;
  if (range && floors) {
    // A long recording's range: its features against the floors the coordinator computed from every range.
    const file = decodeFloorsFile(await readFile(await ctx.root.resolveExisting(floorsPathFor(floors.key))), floors.checksum, floors.key);
    if (file.bins !== floorBinCount(analysis)) throw new SonotypeError('INVALID_ARGUMENT', `Refused a frames job: its floors have ${file.bins} bins, the analysis ${floorBinCount(analysis)}.`);
    const open = (start: number, end: number) => streamAudioRange(abs, analysis.channel, start, end, ctx.signal);
    const f = await frameFeaturesOfRange(open, analysis, file.floors, range, { signal: ctx.signal });
    return encodeFramesResult({ jobId, firstFrame: f.firstFrame, frames: f.frames, nativeFrames: f.nativeFrames, dims: BASE_DIMS, noiseFloorDb: null, data: f.data }, job.precision);
  }
  const f = await extractFrameFeatures(() => readAudioBlocks(abs, { channel: analysis.channel, signal: ctx.signal }), analysis, { signal: ctx.signal });
  return encodeFramesResult({ jobId, firstFrame: 0, frames: f.frames, nativeFrames: f.nativeFrames, dims: f.dims, noiseFloorDb: f.noiseFloorDb, data: f.data }, job.precision);
}

async function runFloorsJob(jobId: string, job: FloorsJob, abs: string, ctx: ProcessorContext): Promise<EncodedResult> {
  const { analysis } = job;
  const open = (start: number, end: number) => streamAudioRange(abs, analysis.channel, start, end, ctx.signal);
  return encodeFloorsResult(jobId, await floorStatistics(open, analysis, job.range, { signal: ctx.signal }));
}

async function runRecordingJob(jobId: string, job: RecordingJob, abs: string, ctx: ProcessorContext): Promise<EncodedResult> {
  const config = validateFeatureConfig(job.featureConfig);
  const channel = Math.min(config.channel, job.recording.channels - 1);
  const unit = await analyseRecordingUnit(() => readAudioBlocks(abs, { channel, signal: ctx.signal }), job.recording.sampleRate, job.recording.frames, config, ctx.signal);
  return encodeRecordingResult({ jobId, nativeFrames: unit.nativeFrames, analysisSamples: unit.analysisSamples, noiseFloorDb: unit.noiseFloorDb, silent: unit.silent });
}

async function runWindowsJob(jobId: string, job: WindowsJob, abs: string, ctx: ProcessorContext): Promise<EncodedResult> {
  const config = validateFeatureConfig(job.featureConfig);
  const channel = Math.min(config.channel, job.recording.channels - 1);
  const [encoder, head] = await Promise.all([ctx.models.get(job.encoder), job.head ? ctx.models.get(job.head) : Promise.resolve(null)]);
  const first = job.range.first;
  const end = job.range.end ?? Infinity;
  const expected = Number.isFinite(end) ? end - first : 0;
  let dims = 0;
  let count = 0;
  let embeddings = new Float32Array(0);
  let pSilence: Float32Array | null = head ? new Float32Array(0) : null;
  let startNative = new Float64Array(0);
  let endNative = new Float64Array(0);
  const grow = <T extends Float32Array | Float64Array>(a: T, need: number): T => {
    if (need <= a.length) return a;
    const bigger = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2, 1024));
    bigger.set(a);
    return bigger;
  };
  let lastReport = performance.now();
  await analyseWindowShard(
    (start, stop) => streamAudioRange(abs, channel, start, stop, ctx.signal),
    job.recording.sampleRate,
    job.recording.frames,
    config,
    { first, end },
    { encoder, head },
    {
      signal: ctx.signal,
      onBatch: async (batch) => {
        if (batch.spans[0].index !== first + count) throw new SonotypeError('INTERNAL', `Window ${batch.spans[0].index} arrived where ${first + count} was expected.`);
        dims = batch.dims;
        const n = batch.spans.length;
        embeddings = grow(embeddings, (count + n) * dims);
        embeddings.set(batch.embeddings, count * dims);
        if (pSilence && batch.pSilence) {
          pSilence = grow(pSilence, count + n);
          pSilence.set(batch.pSilence, count);
        }
        startNative = grow(startNative, count + n);
        endNative = grow(endNative, count + n);
        batch.spans.forEach((s, i) => {
          startNative[count + i] = s.startNativeSample;
          endNative[count + i] = s.endNativeSample;
        });
        count += n;
        if (ctx.onProgress && performance.now() - lastReport > 1000) {
          lastReport = performance.now();
          await ctx.onProgress(expected > 0 ? Math.min(1, count / expected) : 0);
        }
      },
    },
  );
  if (expected > 0 && count !== expected) {
    throw new SonotypeError('INVALID_ARGUMENT', `${job.recording.path} gave ${count} windows where ${expected} were expected: it changed since it was scanned.`);
  }
  return encodeWindowsResult(
    {
      jobId, first, count, dims,
      embeddings: embeddings.subarray(0, count * dims),
      pSilence: pSilence ? (pSilence as Float32Array).subarray(0, count) : null,
      startNative: startNative.subarray(0, count),
      endNative: endNative.subarray(0, count),
      backend: ctx.backend,
    },
    job.precision,
  );
}

/** Runs one job (`name` + `data` as BullMQ hands them over) and returns the answer for Redis. */
export async function processShardJob(jobId: string, name: string, data: unknown, ctx: ProcessorContext): Promise<ShardReturn> {
  const started = performance.now();
  const resultPath = resultPathFor(jobId);
  const job = parseShardJob(name, data);
  const abs = await ctx.root.resolveExisting(job.data.recording.path);
  await checkRecording(abs, job.data);
  const result =
    job.kind === 'frames' ? await runFramesJob(jobId, job.data, abs, ctx)
    : job.kind === 'floors' ? await runFloorsJob(jobId, job.data, abs, ctx)
    : job.kind === 'recording' ? await runRecordingJob(jobId, job.data, abs, ctx)
    : await runWindowsJob(jobId, job.data, abs, ctx);
  const inline = result.bytes.length <= (ctx.inlineLimit ?? DEFAULT_INLINE_LIMIT);
  if (!inline) await writeFileAtomic(await ctx.root.resolveForWrite(resultPath), result.bytes);
  return {
    v: 1,
    checksum: result.checksum,
    bytes: result.bytes.length,
    path: inline ? null : resultPath,
    inline: inline ? result.bytes.toString('base64') : null,
    worker: ctx.worker,
    seconds: (performance.now() - started) / 1000,
  };
}
