/**
 * What travels through Redis: the two kinds of analysis jobs, their ids and
 * what a worker answers. Everything a worker receives is checked here before
 * it touches a file (valibot schemas: the type and the runtime check in one).
 *
 * Job ids are content hashes — recording content, time range, feature config,
 * models, result precision and ENGINE_VERSION — so enqueueing the same work
 * twice is a no-op in BullMQ, and a result is valid for any project holding
 * the same recording. Paths in jobs are relative to the storage root; the
 * result path and model folders are derived from ids and hashes, never taken
 * from the job.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { featureConfigKey } from '../features';
import { RESULTS_DIR } from './storage-root';

/** Bump when analysis code changes what a job computes: old results then no longer match. */
export const ENGINE_VERSION = 'sonotype-analysis-1';
export const DEFAULT_QUEUE = 'sonotype-analysis';
/** BullMQ's key prefix for Sonotype's queues. */
export const QUEUE_PREFIX = 'sonotype';

/** frames: a recording's detection frame features; recording: its heuristic window labels; windows: encoder embeddings of a window range. */
export type ShardKind = 'frames' | 'recording' | 'windows';
export const SHARD_KINDS: readonly ShardKind[] = ['frames', 'recording', 'windows'];

const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a hex SHA-256'));
const wholeNumber = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

const recordingRef = v.strictObject({
  /** Path relative to the storage root. */
  path: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
  /** Content hash from the scan (identity of the job; the worker does not re-hash multi-GB files). */
  hash: v.nullable(sha256),
  sampleRate: v.pipe(v.number(), v.integer(), v.minValue(1)),
  channels: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Length in samples from the scan (exact for WAV; ranges need it). */
  frames: wholeNumber,
  sizeBytes: wholeNumber,
});

const featureConfig = v.pipe(
  v.looseObject({ version: v.literal(1) }),
  v.transform((c) => c as unknown as FeatureConfig),
);

export const recordingJobSchema = v.strictObject({
  v: v.literal(1),
  recording: recordingRef,
  featureConfig,
});

export const windowsJobSchema = v.strictObject({
  v: v.literal(1),
  recording: recordingRef,
  featureConfig,
  /** Window indices [first, end); end may be null: to the end of the file. */
  range: v.strictObject({ first: wholeNumber, end: v.nullable(wholeNumber) }),
  encoder: sha256,
  head: v.nullable(sha256),
  precision: v.picklist(['f32', 'f16']),
});

/** The frame analysis of a recording (detection/frames/frame-analysis.ts), as the coordinator decided it. */
const frameAnalysis = v.strictObject({
  version: v.literal(1),
  sampleRate: v.pipe(v.number(), v.integer(), v.minValue(1000)),
  channel: v.pipe(v.number(), v.integer(), v.minValue(0)),
  fftSize: v.pipe(v.number(), v.integer(), v.minValue(16), v.maxValue(1 << 20)),
  hopSize: v.pipe(v.number(), v.integer(), v.minValue(1)),
  lowHz: v.pipe(v.number(), v.finite(), v.minValue(0)),
  highHz: v.pipe(v.number(), v.finite(), v.minValue(0)),
  floorSegmentSeconds: v.pipe(v.number(), v.finite(), v.minValue(0.001)),
  floorQuantile: v.pipe(v.number(), v.finite(), v.minValue(0.0001), v.maxValue(0.5)),
});

export const framesJobSchema = v.strictObject({
  v: v.literal(1),
  recording: recordingRef,
  analysis: frameAnalysis,
  /** The analysis's cache key (feature set + analysis), part of the job's identity. */
  analysisKey: v.pipe(v.string(), v.maxLength(4000)),
  precision: v.picklist(['f32', 'f16']),
});

export type FramesJob = v.InferOutput<typeof framesJobSchema>;
export type RecordingJob = v.InferOutput<typeof recordingJobSchema>;
export type WindowsJob = v.InferOutput<typeof windowsJobSchema>;
export type ShardJob = { kind: 'frames'; data: FramesJob } | { kind: 'recording'; data: RecordingJob } | { kind: 'windows'; data: WindowsJob };

/** What a worker returns for a job (BullMQ stores it as the job's return value). */
export const shardReturnSchema = v.strictObject({
  v: v.literal(1),
  checksum: sha256,
  bytes: wholeNumber,
  /** Result file relative to the storage root, when it was too large to travel inline. */
  path: v.nullable(v.string()),
  /** The result itself (base64), when small. */
  inline: v.nullable(v.string()),
  worker: v.string(),
  seconds: v.number(),
});
export type ShardReturn = v.InferOutput<typeof shardReturnSchema>;

function rejected(what: string, issues: readonly v.BaseIssue<unknown>[]): never {
  const issue = issues[0];
  const path = v.getDotPath(issue);
  throw new SonotypeError('INVALID_ARGUMENT', `Refused ${what}: ${path ? `${path}: ` : ''}${issue.message}`);
}

/** Checks a job from Redis; throws INVALID_ARGUMENT naming the first problem. */
export function parseShardJob(name: string, data: unknown): ShardJob {
  if (name === 'frames') {
    const r = v.safeParse(framesJobSchema, data);
    if (!r.success) rejected('a frames job', r.issues);
    const { analysis, recording } = r.output;
    if (analysis.sampleRate !== recording.sampleRate || analysis.channel >= recording.channels || analysis.hopSize > analysis.fftSize) {
      throw new SonotypeError('INVALID_ARGUMENT', `Refused a frames job: its analysis (${analysis.sampleRate} Hz, channel ${analysis.channel}) does not fit the recording.`);
    }
    return { kind: 'frames', data: r.output };
  }
  if (name === 'recording') {
    const r = v.safeParse(recordingJobSchema, data);
    if (!r.success) rejected('a recording job', r.issues);
    return { kind: 'recording', data: r.output };
  }
  if (name === 'windows') {
    const r = v.safeParse(windowsJobSchema, data);
    if (!r.success) rejected('a windows job', r.issues);
    if (r.output.range.end !== null && r.output.range.end <= r.output.range.first) {
      throw new SonotypeError('INVALID_ARGUMENT', `Refused a windows job: empty range ${r.output.range.first}–${r.output.range.end}.`);
    }
    return { kind: 'windows', data: r.output };
  }
  throw new SonotypeError('INVALID_ARGUMENT', `Refused a job of unknown kind '${name}'.`);
}

/** Checks a worker's answer; throws CORRUPT_DATA. */
export function parseShardReturn(value: unknown): ShardReturn {
  const r = v.safeParse(shardReturnSchema, typeof value === 'string' ? safeJson(value) : value);
  if (!r.success) {
    const issue = r.issues[0];
    throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: the worker's answer is malformed (${v.getDotPath(issue) ?? ''} ${issue.message}).`);
  }
  if ((r.output.path === null) === (r.output.inline === null)) throw new SonotypeError('CORRUPT_DATA', 'Shard result rejected: it names neither or both of a file and inline bytes.');
  return r.output;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The id of a job: its kind plus the hash of everything that determines its result. */
export function shardJobId(job: ShardJob): string {
  const { recording } = job.data;
  // Without a content hash (hashing failed at scan), the file's path, size and length stand in.
  const content = recording.hash ?? `${recording.path}|${recording.sizeBytes}|${recording.frames}`;
  let identity: object;
  if (job.kind === 'frames') {
    identity = { engine: ENGINE_VERSION, kind: job.kind, content, analysis: job.data.analysisKey, precision: job.data.precision };
  } else {
    const config = job.data.featureConfig;
    identity = {
      engine: ENGINE_VERSION, kind: job.kind, content,
      channel: Math.min(config.channel, recording.channels - 1),
      config: featureConfigKey(config),
      ...(job.kind === 'windows' ? { range: job.data.range, encoder: job.data.encoder, head: job.data.head, precision: job.data.precision } : {}),
    };
  }
  const digest = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
  return `${JOB_PREFIX[job.kind]}-${digest}`;
}

const JOB_PREFIX: Record<ShardKind, string> = { frames: 'frm', recording: 'rec', windows: 'win' };

const JOB_ID = /^(frm|rec|win)-[0-9a-f]{64}$/;

/** Where a large result of job `jobId` is written (relative to the storage root). */
export function resultPathFor(jobId: string): string {
  if (!JOB_ID.test(jobId)) throw new SonotypeError('INVALID_ARGUMENT', `Refused a job with an unexpected id '${jobId.slice(0, 80)}'.`);
  return `${RESULTS_DIR}/${jobId}.bin`;
}
