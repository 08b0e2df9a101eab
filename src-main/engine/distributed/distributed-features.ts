/**
 * `detect --distributed`, step 1: the frame features of every new or changed
 * recording, computed by `sonotype worker` processes — the decoding and
 * spectral work that dominates detection. One job per recording (the noise
 * floor is a whole-file statistic); its id is the hash of the file's content
 * and of the frame analysis, so a re-run enqueues nothing. Each result is
 * checked (checksum, job, shape, length) and cached by the same function as
 * local detect (storeRecordingFeatures); the head, probabilities and regions
 * then follow on this machine exactly as after a local step 1.
 */
import { SonotypeError, toErrorInfo } from '../../../src-shared/errors';
import type { FeaturesStage, FeaturesStageInput } from '../detection/analysis-stage';
import { BASE_DIMS } from '../detection/frames/frame-features';
import { recordFailure } from '../detection/recording-failures';
import { analysisKeyOf, frameAnalysisOf, storeRecordingFeatures } from '../detection/recording-frames';
import type { RecordingRecord } from '../store/recordings';
import type { DistributedOptions } from './distributed-analysis';
import { DEFAULT_QUEUE, shardJobId, type FramesJob } from './shard-jobs';
import type { PlannedJob } from './shard-queue';
import { decodeFramesResult, readShardAnswer, type FramesResult } from './shard-results';
import { runStageJobs } from './stage-jobs';
import { ensureWorkArea } from './storage-root';

/** A job and the recordings it is for: identical files (same content and analysis) share one job and its result. */
type Planned = PlannedJob & { recordings: RecordingRecord[]; data: FramesJob };

/** The distributed features stage for detectProject (see the file header). */
export function distributedFeatures(options: DistributedOptions): FeaturesStage {
  return (input) => runDistributedFeatures(input, options);
}

async function runDistributedFeatures(input: FeaturesStageInput, options: DistributedOptions): Promise<void> {
  const { project, work } = input;
  const { storage } = options;
  const log = options.log ?? (() => {});
  ensureWorkArea(storage);
  const failed = new Set<number>();
  const fail = (recording: RecordingRecord, error: unknown): void => {
    if (failed.has(recording.id)) return;
    failed.add(recording.id);
    recordFailure(project.db, recording, input.failures, error);
  };

  const planned = new Map<string, Planned>();
  for (const recording of input.recordings) {
    try {
      const relPath = storage.relativeOf(project.resolveRecordingPath(recording.path));
      if (!relPath) {
        throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} is not inside the storage folder ${storage.dir}, so workers cannot read it. Give --storage the shared folder that holds every recording.`);
      }
      const analysis = frameAnalysisOf(project.db, recording);
      const data: FramesJob = {
        v: 1,
        recording: { path: relPath, hash: recording.hash, sampleRate: recording.sampleRate!, channels: recording.channels!, frames: recording.frames ?? 0, sizeBytes: recording.sizeBytes },
        analysis: { ...analysis },
        analysisKey: analysisKeyOf(analysis),
        precision: options.precision ?? 'f32',
      };
      const id = shardJobId({ kind: 'frames', data });
      const same = planned.get(id);
      if (same) same.recordings.push(recording);
      else planned.set(id, { id, name: 'frames', data, recordings: [recording] });
    } catch (error) {
      if (toErrorInfo(error).code === 'DATABASE') throw error;
      fail(recording, error);
    }
  }
  const jobs = [...planned.values()];
  if (jobs.length === 0) return;
  const audioSeconds = jobs.reduce((s, j) => s + (j.recordings[0].durationSeconds ?? 0), 0);
  log(`${jobs.length} recordings to analyse (${(audioSeconds / 3600).toFixed(2)} h of audio) on queue '${options.queue ?? DEFAULT_QUEUE}' at ${options.redis.display}`);

  /** Reads a result and checks it fits the recording; nothing is written here. */
  const verify = async (job: PlannedJob, answer: Parameters<typeof readShardAnswer>[1]): Promise<FramesResult> => {
    const { data, recordings } = job as Planned;
    const recording = recordings[0];
    const result = decodeFramesResult(await readShardAnswer(storage, answer), answer.checksum, job.id);
    if (result.dims !== BASE_DIMS) throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: ${result.dims} features per frame, ${BASE_DIMS} expected.`);
    // Whole frames cover the decoded samples: a different count is a damaged result.
    if (result.frames !== Math.ceil(result.nativeFrames / data.analysis.hopSize)) {
      throw new SonotypeError('CORRUPT_DATA', `Shard result rejected: ${result.frames} frames for ${result.nativeFrames} samples.`);
    }
    // WAV lengths are exact: a worker that decoded another length read another file.
    if (recording.container === 'wav' || recording.container === 'rf64') {
      if (result.nativeFrames !== recording.frames) {
        throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} on the worker has ${result.nativeFrames} samples, ${recording.frames} when it was scanned: it changed. Scan the project again.`);
      }
    }
    return result;
  };

  const started = performance.now();
  await runStageJobs(options, input, { phase: 'features', itemsLabel: 'recordings' }, {
    jobs,
    verify,
    // One transaction per batch, a savepoint per recording.
    commit: (batch) =>
      project.db.transaction(() => {
        for (const { job, prepared } of batch) {
          const { data, recordings } = job as Planned;
          for (const recording of recordings) {
            if (failed.has(recording.id)) continue;
            project.db.transaction(() => storeRecordingFeatures(project.db, recording, { ...prepared, analysis: data.analysis }));
            work.recordingsDecoded++;
            work.audioSecondsDecoded += prepared.nativeFrames / data.analysis.sampleRate;
          }
        }
      }),
    onFailure: (job, error) => {
      for (const recording of (job as Planned).recordings) fail(recording, new SonotypeError(error.code, `its frames job kept failing: ${error.message}`));
    },
  });
  log(`features of ${input.recordings.length - failed.size} recordings received in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
