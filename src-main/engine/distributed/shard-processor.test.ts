import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamAudioRange } from '../audio';
import { analyseRecordingUnit, analyseWindowShard } from '../detection/analysis-units';
import { defaultFeatureConfig, recordingWindowCount } from '../features';
import { initBackend } from '../models/backend';
import { defaultModelDir } from '../models/encoder-registry';
import { readAudioBlocks } from '../audio';
import { concat, digitalSilence, fmWhistle, whiteNoise } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { ModelCache, publishModel } from './model-store';
import { floorsPathFor, parseShardReturn, shardJobId, type FramesJob, type WindowsJob } from './shard-jobs';
import { frameAnalysisFor } from '../detection/frames/frame-analysis';
import { extractFrameFeatures, floorBinCount, segmentFrames } from '../detection/frames/frame-features';
import { processShardJob, type ProcessorContext } from './shard-processor';
import { decodeFramesResult, decodeRecordingResult, decodeWindowsResult, encodeFloorsFile } from './shard-results';
import { ensureWorkArea, openStorageRoot, type StorageRoot } from './storage-root';

let base: string;
let root: StorageRoot;
let ctx: ProcessorContext;
let encoderHash: string;
const rate = 44_100; // resampled to 48 kHz: shard edges must line up with the resampler too
const config = defaultFeatureConfig(48_000);
let samples: Float32Array;

beforeAll(async () => {
  await initBackend('wasm');
  base = mkdtempSync(join(tmpdir(), 'sonotype-shard-'));
  mkdirSync(join(base, 'storage', 'site1'), { recursive: true });
  samples = concat(whiteNoise(rate, 2, 0.01, 5), fmWhistle({ sampleRate: rate, durationSeconds: 1, startHz: 6000, endHz: 12000, amplitude: 0.3 }), digitalSilence(rate, 1), whiteNoise(rate, 1.5, 0.01, 6));
  writeFileSync(join(base, 'storage', 'site1', 'a.wav'), encodeWav([samples], { sampleRate: rate, format: 'pcm16' }));
  writeFileSync(join(base, 'secret.wav'), encodeWav([samples], { sampleRate: rate, format: 'pcm16' }));
  root = openStorageRoot(join(base, 'storage'));
  ensureWorkArea(root);
  encoderHash = await publishModel(root, join(defaultModelDir(), 'encoder-v3'));
  ctx = { root, models: new ModelCache(root), worker: 'test', backend: 'wasm' };
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

function windowsJob(first: number, end: number | null, path = 'site1/a.wav'): WindowsJob {
  return {
    v: 1,
    recording: { path, hash: 'a'.repeat(64), sampleRate: rate, channels: 1, frames: samples.length, sizeBytes: 1 },
    featureConfig: config,
    range: { first, end },
    encoder: encoderHash,
    head: null,
    precision: 'f32',
  };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('shard processor', () => {
  it('a windows job gives the embeddings of the same windows of the whole file, bit for bit', async () => {
    const total = recordingWindowCount(samples.length, rate, config);
    const job = windowsJob(5, 17);
    const id = shardJobId({ kind: 'windows', data: job });
    const answer = parseShardReturn(await processShardJob(id, 'windows', job, ctx));
    const result = decodeWindowsResult(Buffer.from(answer.inline!, 'base64'), answer.checksum, id);
    expect(result.first).toBe(5);
    expect(result.count).toBe(12);

    const encoder = await ctx.models.get(encoderHash);
    const whole: Float32Array[] = [];
    const abs = join(root.dir, 'site1', 'a.wav');
    await analyseWindowShard((s, e) => streamAudioRange(abs, 0, s, e), rate, samples.length, config, { first: 0, end: Infinity }, { encoder }, {
      onBatch: (b) => b.spans.forEach((_, i) => whole.push(b.embeddings.slice(i * b.dims, (i + 1) * b.dims))),
    });
    expect(whole.length).toBe(total);
    for (let i = 0; i < result.count; i++) {
      const got = result.embeddings.subarray(i * result.dims, (i + 1) * result.dims);
      // Shards start on window 5 while the whole-file batches start on 0: batch composition may differ in the last bits.
      got.forEach((v, d) => expect(Math.abs(v - whole[5 + i][d])).toBeLessThan(1e-5));
    }
    expect(tf.memory().numTensors).toBeLessThan(200);
  });

  it('a recording job gives the heuristic decisions of the recording unit', async () => {
    const job = { v: 1, recording: windowsJob(0, null).recording, featureConfig: config };
    const id = shardJobId({ kind: 'recording', data: job as never });
    const answer = parseShardReturn(await processShardJob(id, 'recording', job, ctx));
    const result = decodeRecordingResult(Buffer.from(answer.inline!, 'base64'), answer.checksum, id);
    const abs = join(root.dir, 'site1', 'a.wav');
    const local = await analyseRecordingUnit(() => readAudioBlocks(abs), rate, samples.length, config);
    expect(result.nativeFrames).toBe(samples.length);
    expect(Array.from(result.silent)).toEqual(Array.from(local.silent));
    expect(result.silent).toContain(0);
    expect(result.silent).toContain(1);
  });

  it('a frames job gives the frame features of local detect, bit for bit', async () => {
    const analysis = frameAnalysisFor(rate);
    const job: FramesJob = { v: 1, recording: windowsJob(0, null).recording, analysis: { ...analysis }, analysisKey: 'k', precision: 'f32' };
    const id = shardJobId({ kind: 'frames', data: job });
    expect(id).toMatch(/^frm-[0-9a-f]{64}$/);
    const answer = parseShardReturn(await processShardJob(id, 'frames', job, { ...ctx, inlineLimit: 0 }));
    expect(answer.path).toBe(`.sonotype-work/results/${id}.bin`);
    const result = decodeFramesResult(readFileSync(join(root.dir, answer.path!)), answer.checksum, id);
    const abs = join(root.dir, 'site1', 'a.wav');
    const local = await extractFrameFeatures(() => readAudioBlocks(abs), analysis);
    expect(result).toMatchObject({ frames: local.frames, nativeFrames: samples.length, dims: local.dims, noiseFloorDb: local.noiseFloorDb });
    expect(Buffer.from(result.data.buffer).equals(Buffer.from(local.data.buffer, local.data.byteOffset, local.data.byteLength))).toBe(true);
    // An analysis that does not fit the recording is refused before any decoding.
    const wrongRate = { ...job, analysis: { ...job.analysis, sampleRate: 48_000 } };
    expect(await refusal(processShardJob(shardJobId({ kind: 'frames', data: wrongRate }), 'frames', wrongRate, ctx))).toMatch(/does not fit the recording/);
  });

  it('a frames job of a range reads its floors file by key, and only the one with its checksum', async () => {
    const analysis = frameAnalysisFor(rate);
    const whole: FramesJob = { v: 1, recording: windowsJob(0, null).recording, analysis: { ...analysis }, analysisKey: 'k', precision: 'f32' };
    const range = { firstFrame: 0, endFrame: segmentFrames(analysis) };
    const run = (job: unknown) => refusal(processShardJob('frm-' + 'e'.repeat(64), 'frames', job, ctx));
    expect(await run({ ...whole, range })).toMatch(/a frame range needs its floors file/);
    expect(await run({ ...whole, range, floors: { key: '../../secret', checksum: '0'.repeat(64) } })).toMatch(/Refused a frames job: floors\.key/);
    const key = 'f'.repeat(64);
    const file = encodeFloorsFile({ key, bins: floorBinCount(analysis), floors: [null], noiseFloorDb: null });
    expect(await run({ ...whole, range, floors: { key, checksum: file.checksum } })).toMatch(/floors.*(does not exist|no such)/i);
    writeFileSync(join(root.dir, floorsPathFor(key)), file.bytes);
    expect(await run({ ...whole, range, floors: { key, checksum: '0'.repeat(64) } })).toMatch(/checksum/);
  });

  it('large results go to a file in the work area, named by the job id', async () => {
    const job = windowsJob(0, 8);
    const id = shardJobId({ kind: 'windows', data: job });
    const answer = parseShardReturn(await processShardJob(id, 'windows', job, { ...ctx, inlineLimit: 100 }));
    expect(answer.inline).toBeNull();
    expect(answer.path).toBe(`.sonotype-work/results/${id}.bin`);
    const bytes = readFileSync(join(root.dir, answer.path!));
    expect(decodeWindowsResult(bytes, answer.checksum, id).count).toBe(8);
  });

  it('refuses paths outside the storage root, malformed jobs and a file that is not the scanned one', async () => {
    const id = (job: WindowsJob) => shardJobId({ kind: 'windows', data: job });
    for (const path of ['../secret.wav', join(base, 'secret.wav'), 'site1/../../secret.wav']) {
      const job = windowsJob(0, 4, path);
      expect(await refusal(processShardJob(id(job), 'windows', job, ctx))).toMatch(/Refused path/);
    }
    expect(await refusal(processShardJob('win-' + 'b'.repeat(64), 'windows', { ...windowsJob(0, 4), extra: 1 }, ctx))).toMatch(/Refused a windows job/);
    expect(await refusal(processShardJob('win-' + 'b'.repeat(64), 'delete-everything', {}, ctx))).toMatch(/unknown kind/);
    expect(await refusal(processShardJob('../../etc/passwd', 'windows', windowsJob(0, 4), ctx))).toMatch(/unexpected id/);
    const changed = { ...windowsJob(0, 4), recording: { ...windowsJob(0, 4).recording, frames: samples.length + 1 } };
    expect(await refusal(processShardJob(id(changed), 'windows', changed, ctx))).toMatch(/not the file that was scanned/);
    const unknownModel = { ...windowsJob(0, 4), encoder: 'c'.repeat(64) };
    expect(await refusal(processShardJob(id(unknownModel), 'windows', unknownModel, ctx))).toMatch(/does not exist/);
  });

  it('job ids change with anything that changes the result, and only then', () => {
    const a = shardJobId({ kind: 'windows', data: windowsJob(0, 64) });
    expect(shardJobId({ kind: 'windows', data: windowsJob(0, 64) })).toBe(a);
    expect(shardJobId({ kind: 'windows', data: { ...windowsJob(0, 64), recording: { ...windowsJob(0, 64).recording, path: 'elsewhere.wav' } } })).toBe(a);
    expect(shardJobId({ kind: 'windows', data: windowsJob(64, 128) })).not.toBe(a);
    expect(shardJobId({ kind: 'windows', data: { ...windowsJob(0, 64), precision: 'f16' } })).not.toBe(a);
    expect(shardJobId({ kind: 'windows', data: { ...windowsJob(0, 64), head: 'd'.repeat(64) } })).not.toBe(a);
    expect(shardJobId({ kind: 'windows', data: { ...windowsJob(0, 64), featureConfig: defaultFeatureConfig(48_000, { hopSize: 128 }) } })).not.toBe(a);
    expect(a).toMatch(/^win-[0-9a-f]{64}$/);
  });
});
