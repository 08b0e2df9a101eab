import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliCommand } from '../main';
import { UsageError, EXIT_OK } from '../exit-codes';
import { formatDuration, formatTable, type CliIo } from '../output';
import { DISTRIBUTED_DETECT_FLAGS, queueProgressPrinter, redisFromFlags } from './distributed-flags';
import { numberFlag, positiveNumberFlag } from '../number-flags';
import { SonotypeError } from '../../../src-shared/errors';
import { openProject, type Project } from '../../engine/project/open-project';
import { projectDbPath } from '../../engine/store/database';
import { runRecordedJob } from '../../engine/jobs/recorded-job';
import type { DetectProgress, DetectResult } from '../../engine/detection/detect-types';
import type { RegionParams } from '../../engine/detection/regions';

/**
 * `sonotype detect [--project <dir>] [--json] [--threshold p] [--smoothing n]
 * [--merge-gap s] [--min-length s] [--retrain-head] [--backend auto|wasm|cpu]`
 *
 * Silence/sound regions for every recording of a project. Runs in-process
 * and only computes what is missing or stale (heuristic labels, windows,
 * embeddings, the silence head, predictions, regions); the region settings
 * are stored with the result.
 *
 * With `--distributed redis://HOST:PORT [--storage DIR] [--shard-minutes 10]
 * [--precision f32|f16] [--queue NAME] [--redis-ca FILE]` the labels and
 * embeddings are computed by `sonotype worker` processes instead; this
 * process coordinates and is the only one writing to the project. Ctrl-C
 * stops it; running the same command again resumes.
 */
export const detectCommand: CliCommand = {
  name: 'detect',
  synopsis:
    'detect [--project <dir>] [--json] [--threshold p] [--smoothing n] [--merge-gap s] [--min-length s] [--retrain-head] [--distributed redis://HOST:PORT [--storage DIR] [--shard-minutes 10]]   silence/sound regions of every recording',
  options: {
    project: { type: 'string' },
    json: { type: 'boolean', default: false },
    threshold: { type: 'string' },
    smoothing: { type: 'string' },
    'merge-gap': { type: 'string' },
    'min-length': { type: 'string' },
    'retrain-head': { type: 'boolean', default: false },
    backend: { type: 'string' },
    ...DISTRIBUTED_DETECT_FLAGS,
  },
  async run({ positionals, values, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (detect works on the whole project; use --project <dir>)`);
    const regionParams = regionParamsFromFlags(values);
    const backend = values.backend === undefined ? 'auto' : String(values.backend);
    if (!['auto', 'wasm', 'cpu', 'tensorflow'].includes(backend)) throw new UsageError(`--backend must be auto, wasm, cpu or tensorflow, got '${backend}'`);
    const distributed = values.distributed === undefined ? null : distributedSettings(values);
    const project = await openExistingProject(values.project as string | undefined);
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      // tfjs is loaded only here, so the rest of the CLI starts fast.
      const { detectProject } = await import('../../engine/detection/detect-project');
      const showProgress = Boolean(process.stderr.isTTY);
      const analysis = distributed ? await distributedStage(distributed, project, io, showProgress) : undefined;
      const retrainHead = Boolean(values['retrain-head']);
      // Recorded as a 'detect' job in the project, so the app (open on the same project) lists it live.
      const jobParams = { regionParams, ...(retrainHead ? { retrainHead } : {}), backend };
      const result = await runRecordedJob(project.db, 'detect', jobParams, (report) =>
        detectProject(project, {
          regionParams,
          retrainHead,
          backend: backend as 'auto' | 'wasm' | 'cpu' | 'tensorflow',
          signal: stop.signal,
          analysis,
          onProgress: (p) => {
            report({
              phase: p.phase, done: p.done, total: p.total, itemsLabel: p.itemsLabel, message: 'started from the command line',
              ...(p.itemsPerSecond ? { itemsPerSecond: p.itemsPerSecond } : {}),
            });
            if (showProgress && !distributed) process.stderr.write(`\r${progressLine(p)}`.padEnd(100));
          },
        }), { signal: stop.signal });
      if (showProgress) process.stderr.write('\r'.padEnd(100) + '\r');
      io.out(values.json ? JSON.stringify(detectJson(result)) : formatDetection(result));
      return EXIT_OK;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      project.close();
    }
  },
};

type DistributedSettings = ReturnType<typeof distributedSettings>;

/** The distributed flags, checked before anything is opened. */
function distributedSettings(values: Record<string, unknown>) {
  const precision = values.precision === undefined ? 'f32' : String(values.precision);
  if (precision !== 'f32' && precision !== 'f16') throw new UsageError(`--precision must be f32 or f16, got '${precision}'`);
  const retryDelay = positiveNumberFlag(values, 'retry-delay');
  const redisTimeout = positiveNumberFlag(values, 'redis-timeout');
  return {
    redis: redisFromFlags(values.distributed, values, 'distributed'),
    storage: values.storage as string | undefined,
    queue: values.queue as string | undefined,
    shardSeconds: (positiveNumberFlag(values, 'shard-minutes') ?? 10) * 60,
    precision: precision as 'f32' | 'f16',
    backoffMs: retryDelay === undefined ? undefined : retryDelay * 1000,
    redisTimeoutMs: redisTimeout === undefined ? undefined : redisTimeout * 1000,
  };
}

/** The analysis stage that hands the work to `sonotype worker` processes. */
async function distributedStage(settings: DistributedSettings, project: Project, io: CliIo, tty: boolean) {
  const { distributedAnalysis } = await import('../../engine/distributed/distributed-analysis');
  const { openStorageRoot } = await import('../../engine/distributed/storage-root');
  const storage = openStorageRoot(settings.storage ?? project.audioRoot);
  return distributedAnalysis({
    ...settings,
    storage,
    log: (line) => io.err(`${tty ? '\r' : ''}${line}`),
    onQueueProgress: queueProgressPrinter(io, tty),
  });
}

/** Opens the project in `dir` (default: the current folder), refusing to create one. */
export async function openExistingProject(dir: string | undefined): Promise<Project> {
  const projectDir = resolve(dir ?? '.');
  if (!existsSync(projectDbPath(projectDir))) {
    throw new SonotypeError('NOT_FOUND', `No Sonotype project in ${projectDir} (no sonotype.db): run \`sonotype scan <folder> --project ${projectDir}\` first.`);
  }
  return openProject(projectDir);
}

/** The region settings given on the command line (unset ones keep their stored or default values). */
export function regionParamsFromFlags(values: Record<string, unknown>): Partial<RegionParams> {
  const params: Partial<RegionParams> = {};
  const threshold = numberFlag(values, 'threshold', (n) => n >= 0 && n <= 1, 'a probability between 0 and 1');
  const smoothing = numberFlag(values, 'smoothing', (n) => Number.isInteger(n) && n >= 1 && n % 2 === 1, 'an odd whole number of windows ≥ 1');
  const mergeGap = numberFlag(values, 'merge-gap', (n) => n >= 0, 'a number of seconds ≥ 0');
  const minLength = numberFlag(values, 'min-length', (n) => n >= 0, 'a number of seconds ≥ 0');
  if (threshold !== undefined) params.threshold = threshold;
  if (smoothing !== undefined) params.smoothingWindows = smoothing;
  if (mergeGap !== undefined) params.mergeGapSeconds = mergeGap;
  if (minLength !== undefined) params.minSoundSeconds = minLength;
  return params;
}

function progressLine(p: DetectProgress): string {
  const rate = p.itemsPerSecond ? `, ${p.itemsPerSecond.toFixed(1)} ${p.itemsLabel}/s` : '';
  return `${p.phase}: ${p.done}/${p.total} ${p.itemsLabel}${rate}${p.recording ? ` ${p.recording.slice(-40)}` : ''}`;
}

/**
 * The stable machine-readable shape other tools consume:
 * `{"backend", "model", "regions": [{"path", "startSeconds", "endSeconds", "kind", "pSilence"}]}`,
 * the regions of each recording tiling it from 0 to its end. Do not rename fields.
 * When some recordings could not be analysed, `"errors": [{"path", "code", "message"}]`
 * lists them (the field is absent when there were none).
 */
export function detectJson(result: DetectResult) {
  return {
    backend: `${result.backend.name} (${result.backend.reason})`,
    model: result.encoder.description,
    regions: result.recordings.flatMap((r) =>
      r.regions.map((g) => ({ path: r.path, startSeconds: g.startSeconds, endSeconds: g.endSeconds, kind: g.kind, pSilence: g.pSilence })),
    ),
    ...(result.failures.length > 0 ? { errors: result.failures.map((f) => ({ path: f.path, code: f.error.code, message: f.error.message })) } : {}),
  };
}

function formatDetection(result: DetectResult): string {
  const rows = result.recordings.map((r) => {
    const silent = r.regions.filter((g) => g.kind === 'silence').reduce((s, g) => s + g.endSeconds - g.startSeconds, 0);
    const sound = r.regions.filter((g) => g.kind === 'sound').length;
    return [r.path, formatDuration(r.durationSeconds), String(r.windows), r.durationSeconds > 0 ? `${((100 * silent) / r.durationSeconds).toFixed(1)}%` : '-', String(sound)];
  });
  const p = result.regionParams;
  const w = result.work;
  const rate = w.windowsEmbedded > 0 && w.embeddingSeconds > 0 ? ` at ${(w.windowsEmbedded / w.embeddingSeconds).toFixed(1)} windows/s` : '';
  return [
    formatTable(['file', 'duration', 'windows', 'silence', 'sound regions'], rows, [false, true, true, true, true]),
    '',
    `backend: ${result.backend.name} (${result.backend.reason})`,
    `model:   ${result.encoder.description}; silence head v${result.head.version}${w.headTrained ? ' (trained now)' : ''}`,
    `regions: threshold ${p.threshold}, smoothing ${p.smoothingWindows} windows, merge gap ${p.mergeGapSeconds} s, minimum sound ${p.minSoundSeconds} s`,
    `work:    ${w.heuristicRecordings} recordings labelled by the heuristic, ${w.windowsEmbedded} windows embedded${rate}, ` +
      `${w.predictionsWritten} predictions, ${w.regionsDerived} recordings' regions derived (${result.seconds.toFixed(1)} s)`,
    ...(result.failures.length > 0
      ? ['', `${result.failures.length} recording${result.failures.length === 1 ? '' : 's'} could not be analysed (left out; rescan after repairing them):`,
        ...result.failures.map((f) => `  ${f.path}: ${f.error.message}`)]
      : []),
  ].join('\n');
}
