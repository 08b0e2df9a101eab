/**
 * The result kinds as binary (result-codec.ts): what a worker packs and
 * what the coordinator checks before writing anything to the project; and
 * the floors file of a long recording, which the coordinator packs the same
 * way for the workers.
 */
import { readFile } from 'node:fs/promises';
import { SonotypeError, toErrorInfo } from '../../../src-shared/errors';
import type { ShardReturn } from './shard-jobs';
import type { StorageRoot } from './storage-root';
import { decodeResult, encodeResult, requireArray, type EncodedResult } from './result-codec';
import { BinHistograms, HISTOGRAM_LEVELS } from '../detection/noise-floor';
import type { FloorStatistics, SegmentFloors } from '../detection/frames/frame-features';

/**
 * A frames job's result: frame features (frames × dims) as its frame analysis computed them — of the whole
 * recording, or of frames [firstFrame, firstFrame + frames) of a long one (then nativeFrames is known to the
 * last range only, and the noise floor level comes with the floors file).
 */
export interface FramesResult {
  jobId: string;
  firstFrame: number;
  frames: number;
  nativeFrames: number | null;
  dims: number;
  noiseFloorDb: number | null;
  data: Float32Array;
}

export function encodeFramesResult(r: FramesResult, precision: 'f32' | 'f16'): EncodedResult {
  const { jobId, firstFrame, frames, nativeFrames, dims, noiseFloorDb } = r;
  return encodeResult({ kind: 'frames', jobId, firstFrame, frames, nativeFrames, dims, noiseFloorDb }, [{ name: 'features', dtype: precision, data: r.data }]);
}

/** Verifies and unpacks a frames job's result (CORRUPT_DATA when anything is off). */
export function decodeFramesResult(bytes: Uint8Array, checksum: string | undefined, jobId: string): FramesResult {
  const decoded = decodeResult(bytes, checksum);
  checkJob(decoded.meta, 'frames', jobId);
  const frames = wholeNumber(decoded.meta.frames, 'frames');
  const dims = wholeNumber(decoded.meta.dims, 'dims');
  const data = requireArray(decoded, 'features', Float32Array, frames * dims);
  for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i])) corrupt(`feature value ${i} is not a number.`);
  const { nativeFrames } = decoded.meta;
  return {
    jobId, frames, dims, data,
    firstFrame: wholeNumber(decoded.meta.firstFrame ?? 0, 'firstFrame'),
    nativeFrames: nativeFrames === null ? null : wholeNumber(nativeFrames, 'nativeFrames'),
    noiseFloorDb: numberOrNull(decoded.meta.noiseFloorDb, 'noiseFloorDb'),
  };
}

/** A floors job's result: noise-floor statistics of a frame range (detection/frames/frame-features.ts, pass 1). */
export interface FloorsResult {
  jobId: string;
  stats: FloorStatistics;
}

export function encodeFloorsResult(jobId: string, stats: FloorStatistics): EncodedResult {
  const { perSegment, histogram } = stats;
  const bins = histogram.binCount;
  const counts = histogram.toCounts();
  return encodeResult(
    { kind: 'floors', jobId, firstSegment: stats.firstSegment, segments: perSegment.length, bins, histogramFrames: histogram.frames },
    [
      { name: 'present', dtype: 'u8', data: Uint8Array.from(perSegment, (q) => (q ? 1 : 0)) },
      { name: 'quantiles', dtype: 'f64', data: packSegments(perSegment, bins) },
      { name: 'histogram', dtype: 'i32', data: new Int32Array(counts.buffer, counts.byteOffset, counts.length) },
    ],
  );
}

/** Verifies and unpacks a floors job's result (CORRUPT_DATA when anything is off). */
export function decodeFloorsResult(bytes: Uint8Array, checksum: string, jobId: string): FloorsResult {
  const decoded = decodeResult(bytes, checksum);
  checkJob(decoded.meta, 'floors', jobId);
  const segments = wholeNumber(decoded.meta.segments, 'segments');
  const bins = wholeNumber(decoded.meta.bins, 'bins');
  const present = requireArray(decoded, 'present', Uint8Array, segments);
  const quantiles = requireArray(decoded, 'quantiles', Float64Array, segments * bins);
  const counts = requireArray(decoded, 'histogram', Int32Array, bins * HISTOGRAM_LEVELS);
  let counted = 0;
  for (const c of counts) {
    if (c < 0) corrupt('a histogram count is negative.');
    counted += c;
  }
  const histogramFrames = wholeNumber(decoded.meta.histogramFrames, 'histogramFrames');
  if (counted !== histogramFrames * bins) corrupt(`the histogram holds ${counted} values for ${histogramFrames} frames of ${bins} bins.`);
  return {
    jobId,
    stats: {
      firstSegment: wholeNumber(decoded.meta.firstSegment, 'firstSegment'),
      perSegment: unpackSegments(present, quantiles, bins),
      histogram: BinHistograms.fromCounts(bins, new Uint32Array(counts.buffer, counts.byteOffset, counts.length), histogramFrames),
    },
  };
}

/** The floors file of a long recording: every segment's floor, and the recording's noise floor level. */
export interface FloorsFile {
  key: string;
  bins: number;
  floors: SegmentFloors;
  noiseFloorDb: number | null;
}

export function encodeFloorsFile(f: FloorsFile): EncodedResult {
  return encodeResult(
    { kind: 'segment-floors', key: f.key, segments: f.floors.length, bins: f.bins, noiseFloorDb: f.noiseFloorDb },
    [
      { name: 'present', dtype: 'u8', data: Uint8Array.from(f.floors, (q) => (q ? 1 : 0)) },
      { name: 'floors', dtype: 'f64', data: packSegments(f.floors, f.bins) },
    ],
  );
}

/** Verifies and unpacks a floors file (CORRUPT_DATA when anything is off; `checksum` undefined: its own trailer is trusted). */
export function decodeFloorsFile(bytes: Uint8Array, checksum: string | undefined, key: string): FloorsFile {
  const decoded = decodeResult(bytes, checksum);
  if (decoded.meta.kind !== 'segment-floors' || decoded.meta.key !== key) corrupt(`the floors file is not the one of key ${key.slice(0, 12)}….`);
  const segments = wholeNumber(decoded.meta.segments, 'segments');
  const bins = wholeNumber(decoded.meta.bins, 'bins');
  const present = requireArray(decoded, 'present', Uint8Array, segments);
  const values = requireArray(decoded, 'floors', Float64Array, segments * bins);
  return { key, bins, floors: unpackSegments(present, values, bins), noiseFloorDb: numberOrNull(decoded.meta.noiseFloorDb, 'noiseFloorDb') };
}

/** Per-segment rows (null: absent) as one bins-wide matrix; absent rows hold NaN. */
function packSegments(rows: readonly (Float64Array | null)[], bins: number): Float64Array {
  const out = new Float64Array(rows.length * bins).fill(NaN);
  rows.forEach((q, s) => q && out.set(q, s * bins));
  return out;
}

function unpackSegments(present: Uint8Array, values: Float64Array, bins: number): (Float64Array | null)[] {
  return Array.from(present, (p, s) => (p ? values.slice(s * bins, (s + 1) * bins) : null));
}

function numberOrNull(value: unknown, name: string): number | null {
  if (value !== null && typeof value !== 'number') corrupt(`'${name}' is not a number.`);
  return value as number | null;
}

/** A recording job's result: the recording unit without its spans (they follow from the lengths). */
export interface RecordingResult {
  jobId: string;
  nativeFrames: number;
  analysisSamples: number;
  noiseFloorDb: number | null;
  silent: Uint8Array;
}

/** A windows job's result: contiguous windows [first, first + count). */
export interface WindowsResult {
  jobId: string;
  first: number;
  count: number;
  dims: number;
  /** count × dims, row-major. */
  embeddings: Float32Array;
  pSilence: Float32Array | null;
  /** Native sample span of each window, for checking against the project's window rows. */
  startNative: Float64Array;
  endNative: Float64Array;
  backend: string;
}

/** The bytes of a worker's answer: inline, or its file in the work area (a missing or unreadable one is a damaged result). */
export async function readShardAnswer(storage: StorageRoot, answer: ShardReturn): Promise<Uint8Array> {
  if (answer.inline !== null) return Buffer.from(answer.inline, 'base64');
  try {
    return await readFile(await storage.resolveExisting(answer.path!));
  } catch (cause) {
    throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: cannot read ${answer.path} (${toErrorInfo(cause).message}).`);
  }
}

function corrupt(message: string): never {
  throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: ${message}`);
}

function wholeNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) corrupt(`'${name}' is not a whole number.`);
  return value;
}

export function encodeRecordingResult(r: RecordingResult): EncodedResult {
  return encodeResult(
    { kind: 'recording', jobId: r.jobId, nativeFrames: r.nativeFrames, analysisSamples: r.analysisSamples, noiseFloorDb: r.noiseFloorDb },
    [{ name: 'silent', dtype: 'u8', data: r.silent }],
  );
}

export function encodeWindowsResult(r: WindowsResult, precision: 'f32' | 'f16'): EncodedResult {
  return encodeResult(
    { kind: 'windows', jobId: r.jobId, first: r.first, count: r.count, dims: r.dims, backend: r.backend },
    [
      { name: 'embeddings', dtype: precision, data: r.embeddings },
      ...(r.pSilence ? [{ name: 'pSilence', dtype: 'f32' as const, data: r.pSilence }] : []),
      { name: 'startNative', dtype: 'f64', data: r.startNative },
      { name: 'endNative', dtype: 'f64', data: r.endNative },
    ],
  );
}

function checkJob(meta: Record<string, unknown>, kind: string, jobId: string): void {
  if (meta.kind !== kind) corrupt(`a ${String(meta.kind)} result arrived for a ${kind} job.`);
  if (meta.jobId !== jobId) corrupt(`it belongs to job ${String(meta.jobId).slice(0, 20)}…, not ${jobId.slice(0, 20)}….`);
}

/** Verifies and unpacks a recording job's result (CORRUPT_DATA when anything is off). */
export function decodeRecordingResult(bytes: Uint8Array, checksum: string, jobId: string): RecordingResult {
  const decoded = decodeResult(bytes, checksum);
  checkJob(decoded.meta, 'recording', jobId);
  return {
    jobId,
    nativeFrames: wholeNumber(decoded.meta.nativeFrames, 'nativeFrames'),
    analysisSamples: wholeNumber(decoded.meta.analysisSamples, 'analysisSamples'),
    noiseFloorDb: numberOrNull(decoded.meta.noiseFloorDb, 'noiseFloorDb'),
    silent: requireArray(decoded, 'silent', Uint8Array),
  };
}

/** Verifies and unpacks a windows job's result (CORRUPT_DATA when anything is off). */
export function decodeWindowsResult(bytes: Uint8Array, checksum: string, jobId: string): WindowsResult {
  const decoded = decodeResult(bytes, checksum);
  checkJob(decoded.meta, 'windows', jobId);
  const count = wholeNumber(decoded.meta.count, 'count');
  const dims = wholeNumber(decoded.meta.dims, 'dims');
  const embeddings = requireArray(decoded, 'embeddings', Float32Array, count * dims);
  for (let i = 0; i < embeddings.length; i++) if (!Number.isFinite(embeddings[i])) corrupt(`embedding value ${i} is not finite.`);
  const pSilence = decoded.arrays.has('pSilence') ? requireArray(decoded, 'pSilence', Float32Array, count) : null;
  if (pSilence?.some((p) => !(p >= 0 && p <= 1))) corrupt('a silence probability lies outside [0, 1].');
  return {
    jobId,
    first: wholeNumber(decoded.meta.first, 'first'),
    count,
    dims,
    embeddings,
    pSilence,
    startNative: requireArray(decoded, 'startNative', Float64Array, count),
    endNative: requireArray(decoded, 'endNative', Float64Array, count),
    backend: String(decoded.meta.backend ?? ''),
  };
}
