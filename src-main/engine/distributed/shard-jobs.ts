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
import { FLOORS_DIR, RESULTS_DIR } from './storage-root';

/** Bump when analysis code changes what a job computes: old results then no longer match. */
export const ENGINE_VERSION = 'sonotype-analysis-1';
export const DEFAULT_QUEUE = 'sonotype-analysis';
/** BullMQ's key prefix for Sonotype's queues. */
export const QUEUE_PREFIX = 'sonotype';

/**
 * frames: a recording's detection frame features, or those of a frame range of a long one; floors: a frame
 * range's noise-floor statistics (a long recording's first pass); recording: its heuristic window labels;
 * windows: encoder embeddings of a window range.
 */
export type ShardKind = 'frames' | 'floors' | 'recording' | 'windows';
export const SHARD_KINDS: readonly ShardKind[] = ['frames', 'floors', 'recording', 'windows'];

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
  tonal: v.optional(v.literal(true)),
});

/** Frames [firstFrame, endFrame) of a long recording, on noise-floor segment boundaries; endFrame null: to the end. */
const frameRange = v.strictObject({ firstFrame: wholeNumber, endFrame: v.nullable(wholeNumber) });

export const framesJobSchema = v.strictObject({
  v: v.literal(1),
  recording: recordingRef,
  analysis: frameAnalysis,
  /** The analysis's cache key (feature set + analysis), part of the job's identity. */
  analysisKey: v.pipe(v.string(), v.maxLength(4000)),
  precision: v.picklist(['f32', 'f16']),
  /** A range of a long recording (absent: the whole file), computed against the recording's floors file. */
  range: v.optional(frameRange),
  /** The floors file (`.sonotype-work/floors/<key>.bin`) and its checksum: named by hash, never by path. */
  floors: v.optional(v.strictObject({ key: sha256, checksum: sha256 })),
});

export const floorsJobSchema = v.strictObject({
  v: v.literal(1),
  recording: recordingRef,
  analysis: frameAnalysis,
  analysisKey: v.pipe(v.string(), v.maxLength(4000)),
  range: frameRange,
});

export type FramesJob = v.InferOutput<typeof framesJobSchema>;
export type FloorsJob = v.InferOutput<typeof floorsJobSchema>;
export type RecordingJob = v.InferOutput<typeof recordingJobSchema>;
export type WindowsJob = v.InferOutput<typeof windowsJobSchema>;
export type ShardJob =
  | { kind: 'frames'; data: FramesJob }
  | { kind: 'floors'; data: FloorsJob }
  | { kind: 'recording'; data: RecordingJob }
  | { kind: 'windows'; data: WindowsJob };

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

function checkFrameJob(what: string, job: FramesJob | FloorsJob): void {
  const { analysis, recording, range } = job;
  if (analysis.sampleRate !== recording.sampleRate || analysis.channel >= recording.channels || analysis.hopSize > analysis.fftSize) {
    throw new SonotypeError('INVALID_ARGUMENT', `Refused ${what}: its analysis (${analysis.sampleRate} Hz, channel ${analysis.channel}) does not fit the recording.`);
  }
  if (range && range.endFrame !== null && range.endFrame <= range.firstFrame) {
    throw new SonotypeError('INVALID_ARGUMENT', `Refused ${what}: empty frame range ${range.firstFrame}–${range.endFrame}.`);
  }
}

/** Checks a job from Redis; throws INVALID_ARGUMENT naming the first problem. */
export function parseShardJob(name: string, data: unknown): ShardJob {
  if (name === 'frames') {
    const r = v.safeParse(framesJobSchema, data);
    if (!r.success) rejected('a frames job', r.issues);
    checkFrameJob('a frames job', r.output);
    if (!r.output.range !== !r.output.floors) throw new SonotypeError('INVALID_ARGUMENT', 'Refused a frames job: a frame range needs its floors file, and only a range has one.');
    return { kind: 'frames', data: r.output };
  }
  if (name === 'floors') {
    const r = v.safeParse(floorsJobSchema, data);
    if (!r.success) rejected('a floors job', r.issues);
    checkFrameJob('a floors job', r.output);
    return { kind: 'floors', data: r.output };
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

/** What stands for a recording's content in ids: its hash or, without one (hashing failed at scan), path, size and length. */
function contentOf(recording: FramesJob['recording']): string {
  return recording.hash ?? `${recording.path}|${recording.sizeBytes}|${recording.frames}`;
}

/** The id of a job: its kind plus the hash of everything that determines its result. */
export function shardJobId(job: ShardJob): string {
  const { recording } = job.data;
  const content = contentOf(recording);
  let identity: object;
  if (job.kind === 'frames') {
    const { analysisKey, precision, range, floors } = job.data;
    identity = { engine: ENGINE_VERSION, kind: job.kind, content, analysis: analysisKey, precision, ...(range ? { range, floors: floors?.checksum } : {}) };
  } else if (job.kind === 'floors') {
    identity = { engine: ENGINE_VERSION, kind: job.kind, content, analysis: job.data.analysisKey, range: job.data.range };
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

const JOB_PREFIX: Record<ShardKind, string> = { frames: 'frm', floors: 'flr', recording: 'rec', windows: 'win' };

const JOB_ID = /^(frm|flr|rec|win)-[0-9a-f]{64}$/;

/** Where a large result of job `jobId` is written (relative to the storage root). */
export function resultPathFor(jobId: string): string {
  if (!JOB_ID.test(jobId)) throw new SonotypeError('INVALID_ARGUMENT', `Refused a job with an unexpected id '${jobId.slice(0, 80)}'.`);
  return `${RESULTS_DIR}/${jobId}.bin`;
}

/** The key of a recording's floors file: its content and frame analysis (the floors do not depend on how it is cut). */
export function floorsKeyFor(job: FloorsJob): string {
  const identity = { engine: ENGINE_VERSION, kind: 'segment-floors', content: contentOf(job.recording), analysis: job.analysisKey };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

/** Where the floors file with key `key` (a hex SHA-256) lies (relative to the storage root). */
export function floorsPathFor(key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new SonotypeError('INVALID_ARGUMENT', `Refused a floors key '${key.slice(0, 80)}'.`);
  return `${FLOORS_DIR}/${key}.bin`;
}
