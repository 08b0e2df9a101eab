/**
 * The two result kinds as binary (result-codec.ts): what a worker packs and
 * what the coordinator checks before writing anything to the project.
 */
import { readFile } from 'node:fs/promises';
import { SonotypeError, toErrorInfo } from '../../../src-shared/errors';
import type { ShardReturn } from './shard-jobs';
import type { StorageRoot } from './storage-root';
import { decodeResult, encodeResult, requireArray, type EncodedResult } from './result-codec';

/** A frames job's result: the recording's frame features (frames × dims) as its frame analysis computed them. */
export interface FramesResult {
  jobId: string;
  frames: number;
  nativeFrames: number;
  dims: number;
  noiseFloorDb: number | null;
  data: Float32Array;
}

export function encodeFramesResult(r: FramesResult, precision: 'f32' | 'f16'): EncodedResult {
  return encodeResult(
    { kind: 'frames', jobId: r.jobId, frames: r.frames, nativeFrames: r.nativeFrames, dims: r.dims, noiseFloorDb: r.noiseFloorDb },
    [{ name: 'features', dtype: precision, data: r.data }],
  );
}

/** Verifies and unpacks a frames job's result (CORRUPT_DATA when anything is off). */
export function decodeFramesResult(bytes: Uint8Array, checksum: string, jobId: string): FramesResult {
  const decoded = decodeResult(bytes, checksum);
  checkJob(decoded.meta, 'frames', jobId);
  const frames = wholeNumber(decoded.meta.frames, 'frames');
  const dims = wholeNumber(decoded.meta.dims, 'dims');
  const floor = decoded.meta.noiseFloorDb;
  if (floor !== null && typeof floor !== 'number') corrupt("'noiseFloorDb' is not a number.");
  const data = requireArray(decoded, 'features', Float32Array, frames * dims);
  for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i])) corrupt(`feature value ${i} is not a number.`);
  return { jobId, frames, nativeFrames: wholeNumber(decoded.meta.nativeFrames, 'nativeFrames'), dims, noiseFloorDb: floor as number | null, data };
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
  const floor = decoded.meta.noiseFloorDb;
  if (floor !== null && typeof floor !== 'number') corrupt("'noiseFloorDb' is not a number.");
  return {
    jobId,
    nativeFrames: wholeNumber(decoded.meta.nativeFrames, 'nativeFrames'),
    analysisSamples: wholeNumber(decoded.meta.analysisSamples, 'analysisSamples'),
    noiseFloorDb: floor as number | null,
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
