import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliCommand } from '../main';
import { abortOnInterrupt } from '../interrupt';
import { UsageError, EXIT_OK } from '../exit-codes';
import { formatDuration, formatTable, type CliIo } from '../output';
import { DISTRIBUTED_DETECT_FLAGS, queueProgressPrinter, redisFromFlags } from './distributed-flags';
import { choiceFlag, numberFlag, positiveNumberFlag } from '../flag-values';
import { SonotypeError } from '../../../src-shared/errors';
import { BACKEND_PREFERENCES } from '../../../src-shared/job-kinds';
import { openProject, type Project } from '../../engine/project/open-project';
import { projectDbPath } from '../../engine/store/database';
import { runRecordedJob } from '../../engine/jobs/recorded-job';
import { clearSetting, getSetting, setSetting } from '../../engine/store/settings';
import type { DetectProgress, DetectResult } from '../../engine/detection/detect-types';
import type { FrameRegionParams } from '../../engine/detection/frames/frame-regions';

/**
 * `sonotype detect [--project <dir>] [--json] [--threshold p] [--smoothing n]
 * [--merge-gap s] [--min-length s] [--band low-high] [--tonal on|off] [--retrain-head] [--seed n]
 * [--embed [--backend auto|wasm|cpu]]`
 *
 * Silence/sound regions for every recording of a project at frame resolution
 * (~5 ms). Runs in-process and only computes what is missing or stale (frame
 * features, the head when human labels changed, probabilities, regions); the
 * region settings are stored with the result, the band in the project.
 * `--embed` also embeds the model windows with the project's encoder (for
 * the map and other uses of embeddings; detection itself does not need them).
 *
 * With `--distributed redis://HOST:PORT [--storage DIR] [--shard-minutes 10]
 * [--precision f32|f16] [--queue NAME] [--redis-ca FILE]` the window labels
 * and embeddings are computed by `sonotype worker` processes instead; this
 * process coordinates and is the only one writing to the project. Ctrl-C
 * stops it; running the same command again resumes.
 */
export const detectCommand: CliCommand = {
  name: 'detect',
  synopsis:
    'detect [--project <dir>] [--json] [--threshold p] [--smoothing n] [--merge-gap s] [--min-length s] [--band low-high] [--retrain-head] [--seed n] [--embed] [--distributed redis://HOST:PORT [--storage DIR] [--shard-minutes 10]]   silence/sound regions of every recording',
  options: {
    project: { type: 'string' },
    json: { type: 'boolean', default: false },
    threshold: { type: 'string' },
    smoothing: { type: 'string' },
    'merge-gap': { type: 'string' },
    'min-length': { type: 'string' },
    band: { type: 'string' },
    tonal: { type: 'string' },
    'retrain-head': { type: 'boolean', default: false },
    seed: { type: 'string' },
    embed: { type: 'boolean', default: false },
    backend: { type: 'string' },
    ...DISTRIBUTED_DETECT_FLAGS,
  },
  async run({ positionals, values, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (detect works on the whole project; use --project <dir>)`);
    const regionParams = regionParamsFromFlags(values);
    const band = bandFromFlag(values.band);
    const tonal = choiceFlag(values, 'tonal', ['on', 'off'] as const);
    const seed = numberFlag(values, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
    const backend = choiceFlag(values, 'backend', BACKEND_PREFERENCES) ?? 'auto';
    const distributed = values.distributed === undefined ? null : distributedSettings(values);
    const project = await openExistingProject(values.project as string | undefined);
    const stop = abortOnInterrupt();
    try {
      if (band) setSetting(project.db, 'detectionBand', band);
      // Tonal mode stays on for the project until turned off (like the band): the app shows and edits the same setting.
      if (tonal === 'on') setSetting(project.db, 'detectionTonal', true);
      if (tonal === 'off') clearSetting(project.db, 'detectionTonal');
      const { detectProject } = await import('../../engine/detection/detect-project');
      const showProgress = Boolean(process.stderr.isTTY);
      const stages = distributed ? await distributedStages(distributed, project, io, showProgress) : undefined;
      const retrainHead = Boolean(values['retrain-head']);
      const embed = Boolean(values.embed);
      // Recorded as a 'detect' job in the project, so the app (open on the same project) lists it live.
      const jobParams = { regionParams, ...(retrainHead ? { retrainHead } : {}), ...(seed !== undefined ? { seed } : {}), ...(embed ? { embed } : {}), backend };
      const result = await runRecordedJob(project.db, 'detect', jobParams, (report) =>
        detectProject(project, {
          regionParams,
          retrainHead,
          seed,
          embed,
          backend,
          signal: stop.signal,
          ...stages,
          onProgress: (p) => {
            report({
              phase: p.phase, done: p.done, total: p.total, itemsLabel: p.itemsLabel, message: 'started from the command line',
              ...(p.itemsPerSecond ? { itemsPerSecond: p.itemsPerSecond } : {}),
            });
            if (showProgress && !distributed) process.stderr.write(`\r${progressLine(p)}`.padEnd(100));
          },
        }), { signal: stop.signal });
      if (showProgress) process.stderr.write('\r'.padEnd(100) + '\r');
      io.out(values.json ? JSON.stringify(detectJson(result)) : formatDetection(result, getSetting(project.db, 'detectionTonal') === true));
      return EXIT_OK;
    } finally {
      stop.release();
      project.close();
    }
  },
};

/** `--band 2000-20000` (either end may be empty: `--band 2000-`) as { lowHz?, highHz? }. */
export function bandFromFlag(raw: unknown): { lowHz?: number; highHz?: number } | undefined {
  if (raw === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)?\s*-\s*(\d+(?:\.\d+)?)?\s*$/.exec(String(raw));
  const lowHz = m?.[1] === undefined ? undefined : Number(m[1]);
  const highHz = m?.[2] === undefined ? undefined : Number(m[2]);
  if (!m || (lowHz === undefined && highHz === undefined) || (lowHz !== undefined && highHz !== undefined && lowHz >= highHz)) {
    throw new UsageError(`--band must be <lowHz>-<highHz> with low < high (either end may be left out), got '${String(raw)}'`);
  }
  return { ...(lowHz !== undefined ? { lowHz } : {}), ...(highHz !== undefined ? { highHz } : {}) };
}

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

/** The stages that hand the audio work (frame features; window embeddings with --embed) to `sonotype worker` processes. */
async function distributedStages(settings: DistributedSettings, project: Project, io: CliIo, tty: boolean) {
  const { distributedAnalysis } = await import('../../engine/distributed/distributed-analysis');
  const { distributedFeatures } = await import('../../engine/distributed/distributed-features');
  const { openStorageRoot } = await import('../../engine/distributed/storage-root');
  const options = {
    ...settings,
    storage: openStorageRoot(settings.storage ?? project.audioRoot),
    log: (line: string) => io.err(`${tty ? '\r' : ''}${line}`),
    onQueueProgress: queueProgressPrinter(io, tty),
  };
  return { features: distributedFeatures(options), analysis: distributedAnalysis(options) };
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
export function regionParamsFromFlags(values: Record<string, unknown>): Partial<FrameRegionParams> {
  const params: Partial<FrameRegionParams> = {};
  const threshold = numberFlag(values, 'threshold', (n) => n >= 0 && n <= 1, 'a probability between 0 and 1');
  const smoothing = numberFlag(values, 'smoothing', (n) => Number.isInteger(n) && n >= 1 && n % 2 === 1, 'an odd whole number of frames ≥ 1');
  const mergeGap = numberFlag(values, 'merge-gap', (n) => n >= 0, 'a number of seconds ≥ 0');
  const minLength = numberFlag(values, 'min-length', (n) => n >= 0, 'a number of seconds ≥ 0');
  if (threshold !== undefined) params.threshold = threshold;
  if (smoothing !== undefined) params.smoothingFrames = smoothing;
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
 * `{"backend", "model", "regions": [{"path", "startSeconds", "endSeconds", "kind", "pSilence"}], "head", "regionParams"}`,
 * the regions of each recording tiling it from 0 to its end. Do not rename fields.
 * When some recordings could not be analysed, `"errors": [{"path", "code", "message"}]`
 * lists them (they have no regions); the key is absent otherwise.
 */
export function detectJson(result: DetectResult) {
  return {
    backend: 'none (the frame detector runs in plain JavaScript; no tfjs)',
    model: result.head.description,
    regions: result.recordings.flatMap((r) =>
      r.regions.map((g) => ({ path: r.path, startSeconds: g.startSeconds, endSeconds: g.endSeconds, kind: g.kind, pSilence: g.pSilence })),
    ),
    head: { id: result.head.id, version: result.head.version, type: result.head.type, learnedFrom: result.head.learnedFrom },
    regionParams: result.regionParams,
    ...(result.retrain ? { retrain: { adopted: result.retrain.adopted, decision: result.retrain.decision } } : {}),
    ...(result.failures.length > 0 ? { errors: result.failures.map((f) => ({ path: f.path, code: f.error.code, message: f.error.message })) } : {}),
  };
}

function formatDetection(result: DetectResult, tonal: boolean): string {
  const rows = result.recordings.map((r) => {
    const silent = r.regions.filter((g) => g.kind === 'silence').reduce((s, g) => s + g.endSeconds - g.startSeconds, 0);
    const sound = r.regions.filter((g) => g.kind === 'sound').length;
    return [r.path, formatDuration(r.durationSeconds), String(r.frames), r.durationSeconds > 0 ? `${((100 * silent) / r.durationSeconds).toFixed(1)}%` : '-', String(sound)];
  });
  const p = result.regionParams;
  const w = result.work;
  const l = result.head.learnedFrom;
  const rate = w.audioSecondsDecoded > 0 ? `, ${w.audioSecondsDecoded.toFixed(1)} s of audio` : '';
  return [
    formatTable(['file', 'duration', 'frames', 'silence', 'sound regions'], rows, [false, true, true, true, true]),
    '',
    `head:    ${result.head.description}${w.headTrained ? ' (trained now)' : ''}`,
    `learned from: ${l.humanFrames > 0 ? `${l.humanSoundFrames} sound and ${l.humanSilenceFrames} silence frames labelled by people in ${l.recordingsWithHumanLabels} recording(s), plus ${l.teacherFrames} frames of the label-free detector` : 'no labels (label-free detector)'}`,
    ...(result.retrain ? [`retrain: ${result.retrain.decision}`] : []),
    ...(tonal ? ['tonal:   on — faint narrow-band contours (whistles, up-calls) count as sound; `--tonal off` turns it off'] : []),
    `regions: threshold ${p.threshold}, smoothing ${p.smoothingFrames} frames, merge gap ${p.mergeGapSeconds} s, minimum sound ${p.minSoundSeconds} s`,
    `work:    ${w.recordingsDecoded} recordings decoded${rate}, ${w.recordingsPredicted} predicted, ${w.regionsDerived} recordings' regions derived (${result.seconds.toFixed(1)} s)`,
    ...(result.failures.length > 0
      ? ['', `${result.failures.length} recording${result.failures.length === 1 ? '' : 's'} could not be analysed (left out; rescan after repairing them):`,
        ...result.failures.map((f) => `  ${f.path}: ${f.error.message}`)]
      : []),
  ].join('\n');
}
