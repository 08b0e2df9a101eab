/**
 * Lightweight stand-ins for `sonotype worker` (tests and the coordinator
 * bench): real BullMQ workers on the real queue whose computation is a stub
 * — results of the right shape (spans, counts, 128-d vectors) computed from
 * the job alone, without reading audio — so the coordinator's own speed is
 * what gets measured.
 */
import { Worker } from 'bullmq';
import { frameCount, resampledLength, validateFeatureConfig, windowSpan } from '../../features';
import { recordingWindowCount } from '../../features';
import type { RedisSettings } from '../redis-url';
import { DEFAULT_QUEUE, parseShardJob, QUEUE_PREFIX, type ShardReturn } from '../shard-jobs';
import { encodeFloorsResult, encodeFramesResult, encodeRecordingResult, encodeWindowsResult } from '../shard-results';
import { BASE_DIMS, floorBinCount, segmentFrames } from '../../detection/frames/frame-features';
import { BinHistograms } from '../../detection/noise-floor';

export const FAKE_DIMS = 128;

/** The stub result of one job, as a worker would return it. */
export function fakeShardAnswer(jobId: string, name: string, data: unknown): ShardReturn {
  const job = parseShardJob(name, data);
  const { recording } = job.data;
  if (job.kind === 'frames' || job.kind === 'floors') {
    const { analysis, range } = job.data;
    const total = frameCount(recording.frames, analysis);
    const firstFrame = range?.firstFrame ?? 0;
    const frames = (range?.endFrame ?? total) - firstFrame;
    let encoded;
    if (job.kind === 'floors') {
      // One segment per stub result: the coordinator checks how they fit, not what they say.
      const bins = floorBinCount(analysis);
      const histogram = new BinHistograms(bins);
      encoded = encodeFloorsResult(jobId, { firstSegment: firstFrame / segmentFrames(analysis), perSegment: Array.from({ length: Math.round(frames / segmentFrames(analysis)) }, () => null), histogram });
    } else {
      encoded = encodeFramesResult(
        {
          jobId, firstFrame, frames, nativeFrames: range?.endFrame ? null : recording.frames, dims: BASE_DIMS, noiseFloorDb: range ? null : -60,
          data: Float32Array.from({ length: frames * BASE_DIMS }, (_, i) => (i % 97) / 4),
        },
        job.data.precision,
      );
    }
    return { v: 1, checksum: encoded.checksum, bytes: encoded.bytes.length, path: null, inline: encoded.bytes.toString('base64'), worker: 'fake', seconds: 0 };
  }
  const config = validateFeatureConfig(job.data.featureConfig);
  const nA = resampledLength(recording.frames, recording.sampleRate, config.analysisSampleRate);
  const total = recordingWindowCount(recording.frames, recording.sampleRate, config);
  let encoded;
  if (job.kind === 'recording') {
    encoded = encodeRecordingResult({
      jobId, nativeFrames: recording.frames, analysisSamples: nA, noiseFloorDb: -60,
      silent: Uint8Array.from({ length: total }, (_, i) => (i % 3 === 0 ? 0 : 1)),
    });
  } else {
    const first = job.data.range.first;
    const count = Math.min(total, job.data.range.end ?? total) - first;
    const spans = Array.from({ length: count }, (_, i) => windowSpan(first + i, nA, recording.sampleRate, recording.frames, config));
    encoded = encodeWindowsResult(
      {
        jobId, first, count, dims: FAKE_DIMS,
        embeddings: Float32Array.from({ length: count * FAKE_DIMS }, (_, i) => ((i * 7919) % 1000) / 1000),
        pSilence: null,
        startNative: Float64Array.from(spans, (s) => s.startNativeSample),
        endNative: Float64Array.from(spans, (s) => s.endNativeSample),
        backend: 'stub',
      },
      job.data.precision,
    );
  }
  return { v: 1, checksum: encoded.checksum, bytes: encoded.bytes.length, path: null, inline: encoded.bytes.toString('base64'), worker: 'fake', seconds: 0 };
}

/** Starts `count` fake workers of `concurrency` slots each on the queue. */
export async function startFakeWorkers(redis: RedisSettings, count: number, concurrency: number, queue = DEFAULT_QUEUE): Promise<{ close(): Promise<void> }> {
  const workers = Array.from({ length: count }, (_, i) =>
    new Worker(queue, async (job) => fakeShardAnswer(String(job.id), job.name, job.data), {
      connection: { ...redis.options }, prefix: QUEUE_PREFIX, concurrency, name: `fake-${i}`,
    }),
  );
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return { close: async () => void (await Promise.all(workers.map((w) => w.close()))) };
}
