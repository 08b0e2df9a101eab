/**
 * Every kind of job, once: its parameters (a valibot schema: the TypeScript
 * type and the runtime check), what it returns, whether the UI may start it,
 * and the phases it reports. Everything else is derived from `JOB_KINDS`:
 * `JobKind`, `StartableJobKind`, the `jobs:start` arguments, the JobRunner's
 * `start()`, each task module's `run()` signature and its typed result.
 *
 * Adding a kind: add an entry here, write the task module in
 * src-main/engine/jobs/tasks and register it in task-registry.ts (the
 * compiler asks for both).
 */
import * as v from 'valibot';
import type { RecordingFeatures, ReconstructionFigure, ScanTotals } from './contract';
import type {
  DetectJobResult, RetrainJobResult, TestSleepJobResult, TilesJobResult, TrainJobResult,
} from './job-results';
import { count, finite, id, returns, type ResultOf, type Returns } from './schemas';
import { clusterRequestSchema, type ClusterJobResult, type TypeHeadReport } from './cluster-types';
import { displaySpectrogramSchema } from './display-types';
import { exportRequestSchema, importOptionsSchema, type ExportReport, type ImportReport } from './exchange-types';

export type { DetectJobResult, RetrainJobResult, TestSleepJobResult, TilesJobResult, TrainJobResult } from './job-results';

interface JobKindSpec {
  params: v.GenericSchema<Record<string, unknown>>;
  result: Returns<unknown>;
  /** Whether the UI may start it with `jobs:start` (the CLI and the engine may start any kind). */
  startable: boolean;
  /** Phases the task reports, in order (the runner adds 'waiting for other jobs' and 'starting'). */
  phases: readonly string[];
}

/** Overrides of the region settings; engine/detection/frames/frame-regions.ts fills in defaults and checks the values. */
const regionParamsOverrides = v.strictObject({
  version: v.optional(v.literal(2)),
  threshold: v.optional(finite),
  smoothingFrames: v.optional(v.number()),
  mergeGapSeconds: v.optional(finite),
  minSoundSeconds: v.optional(finite),
});

/** Which tfjs backend a job uses; 'auto' = tfjs-node when it loads, else WASM, else CPU (engine/models/backend.ts). */
export const BACKEND_PREFERENCES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
const backendPreference = v.optional(v.picklist(BACKEND_PREFERENCES));

/** Seed of a retrain's training sample (stored with the head). */
const seed = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)));

const DETECT_PHASES = ['features', 'labels', 'embedding', 'training', 'predicting', 'regions'] as const;

export const JOB_KINDS = {
  /**
   * Silence detection over the project at frame resolution: frame features of new recordings, the active head
   * (retrained when human labels changed, adopted only when it scores at least as well), probabilities, regions;
   * window embeddings too when asked (only what is missing or stale).
   */
  detect: {
    params: v.strictObject({
      regionParams: v.optional(regionParamsOverrides),
      /** Retrain the head even when the labels have not changed. */
      retrainHead: v.optional(v.boolean()),
      seed,
      /** Also embed the windows with the project's encoder (for the map and other uses of embeddings). */
      embed: v.optional(v.boolean()),
      backend: backendPreference,
      /** Compute labels and embeddings on `sonotype worker` processes through the project's Redis queue ('workers:set'). */
      onWorkers: v.optional(v.boolean()),
    }),
    result: returns<DetectJobResult>(),
    startable: true,
    phases: DETECT_PHASES,
  },
  /**
   * Retrain the detection head from cached frame features and the current labels; the new head becomes active only
   * when it scores at least as well on held-out human labels; both scores are kept with it.
   */
  'retrain-head': {
    params: v.strictObject({
      regionParams: v.optional(regionParamsOverrides),
      seed,
    }),
    result: returns<RetrainJobResult>(),
    startable: true,
    phases: DETECT_PHASES,
  },
  /** Unsupervised encoder training (Convnet V1 / LSTM V3) on a sample of the project's windows; checkpoints every epoch. */
  train: {
    params: v.strictObject({
      model: v.picklist(['v1', 'v3']),
      epochs: v.optional(count),
      batchSize: v.optional(count),
      /** Windows sampled from the project for training (memory: ~32 KiB each). */
      maxWindows: v.optional(count),
      /** LSTM V3 only: predict the next 1 (v3.1) or 10 (v3.4) frames. */
      predictFrames: v.optional(v.union([v.literal(1), v.literal(10)])),
      learningRate: v.optional(v.pipe(finite, v.gtValue(0))),
      seed: v.optional(v.pipe(v.number(), v.integer())),
      /** Threads to train with (data-parallel replicas in worker threads); default: one per core. */
      workers: v.optional(count),
      /** Leave the trained model unsaved (for benchmarks and tests of the loop only). */
      dryRun: v.optional(v.boolean()),
    }),
    result: returns<TrainJobResult>(),
    startable: true,
    phases: ['reading windows', 'training', 'saving'],
  },
  /** Exact spectrogram tile pyramids of the project's recordings (light: I/O bound, one recording at a time). */
  tiles: {
    params: v.strictObject({
      /** Recordings to build (default: every readable recording present on disk). */
      recordingIds: v.optional(v.array(id)),
      /** Display spectrogram settings to build for (default: DEFAULT_DISPLAY_SPECTROGRAM). */
      display: v.optional(displaySpectrogramSchema),
    }),
    result: returns<TilesJobResult>(),
    startable: true,
    phases: ['building tiles'],
  },
  /** Cluster the project's sound regions into sound types (features, DTW, dendrogram, cut, map); names carry over. */
  cluster: {
    params: clusterRequestSchema,
    result: returns<ClusterJobResult>(),
    startable: true,
    phases: ['regions', 'features', 'distances', 'clustering', 'map', 'saving'],
  },
  /** Train the type head on the regions people typed; predicts a type and confidence for every region of the current clustering. */
  'type-head': {
    params: v.strictObject({ seed: v.optional(v.pipe(v.number(), v.integer())) }),
    result: returns<TypeHeadReport>(),
    startable: true,
    phases: ['features', 'training', 'predicting'],
  },
  /**
   * A scan of the project's audio root (new, changed, moved files); the app's project:scan runs it and waits.
   * The CLI scans in-process and records a 'scan' row of its own (engine/project/scan-project.ts).
   */
  scan: {
    /** audioRoot is recorded for information (the CLI's rows carry it); the task scans the project's own root. */
    params: v.strictObject({ audioRoot: v.optional(v.string()) }),
    result: returns<ScanTotals>(),
    startable: false,
    phases: ['scanning'],
  },
  /** The feature pipeline over one recording (frame and window counts); the app's features:describe. */
  features: {
    params: v.strictObject({ recordingId: id }),
    result: returns<RecordingFeatures>(),
    startable: false,
    phases: ['analysing'],
  },
  /** One feature window and its Convnet V1 reconstruction (null without a trained V1); the app's figures:reconstruction. */
  reconstruction: {
    params: v.strictObject({ recordingId: id, windowIndex: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
    result: returns<ReconstructionFigure | null>(),
    startable: false,
    phases: ['reading window', 'reconstructing'],
  },
  /**
   * Labels written as Raven/Audacity tables, labels.csv or per-type WAVs (cluster-wav reads audio: it can take
   * a while); the app's exchange:export runs one and waits. See src-shared/exchange-types.ts.
   */
  export: {
    params: v.strictObject({ request: exportRequestSchema }),
    result: returns<ExportReport>(),
    startable: false,
    phases: ['writing'],
  },
  /**
   * Annotation tables (Raven, Audacity, CSV) read into labels: parse, match rows to recordings, check, then ONE
   * transaction that is ONE undo step, so a cancel or a crash leaves the project as it was. The app's
   * exchange:import stages the tables the page sent as files and runs one; see src-shared/exchange-types.ts.
   */
  import: {
    params: v.strictObject({
      /** Table files: the name shown in messages and stored with the labels, and where the bytes are. */
      tables: v.pipe(v.array(v.strictObject({ name: v.pipe(v.string(), v.minLength(1)), path: v.pipe(v.string(), v.minLength(1)) })), v.minLength(1)),
      options: importOptionsSchema,
      /** Who the history step names (the app's user). */
      author: v.optional(v.nullable(v.string())),
    }),
    result: returns<ImportReport>(),
    startable: false,
    phases: ['reading', 'matching', 'writing'],
  },
  /** Steps of busy or idle work with checkpoints and failure modes: the engine's own tests and benches. */
  'test-sleep': {
    params: v.strictObject({
      steps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      stepMs: v.optional(v.pipe(finite, v.minValue(0))),
      /** Busy-wait instead of sleeping (keeps one core fully loaded). */
      busy: v.optional(v.boolean()),
      checkpointEvery: v.optional(count),
      /** Each completed step index is appended to this file, one per line. */
      logPath: v.optional(v.string()),
      /** Save the completed step indices as a checkpoint file too, and read it back on resume. */
      checkpointFile: v.optional(v.boolean()),
      /** Read this job's own row through ctx.openDb() and return its state. */
      readOwnJob: v.optional(v.boolean()),
      /** How to misbehave when step `failAt` starts. */
      fail: v.optional(v.picklist(['throw', 'exit', 'uncaught', 'ignore-cancel', 'oom'])),
      failAt: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      /** After the last step, wait for a cancel and return the result anyway (work committed before the cancel came). */
      returnAfterCancel: v.optional(v.boolean()),
    }),
    result: returns<TestSleepJobResult>(),
    startable: false,
    phases: ['working'],
  },
} as const satisfies Record<string, JobKindSpec>;

type Kinds = typeof JOB_KINDS;

/** What a job does. */
export type JobKind = keyof Kinds;
/** Jobs the UI may start with `jobs:start`. */
export type StartableJobKind = { [K in JobKind]: Kinds[K]['startable'] extends true ? K : never }[JobKind];
/** A job's parameters (checked by the JobRunner before anything is written). */
export type JobParams<K extends JobKind> = v.InferOutput<Kinds[K]['params']>;
/** What a job of kind K returns when it succeeds (its `result`). */
export type JobResult<K extends JobKind> = ResultOf<Kinds[K]['result']>;
/** Phases a task of kind K reports. */
export type JobPhase<K extends JobKind> = Kinds[K]['phases'][number];

/** `kind, params` of any job: the JobRunner's `start()` arguments. */
export type JobStartArgs = { [K in JobKind]: [kind: K, params: JobParams<K>] }[JobKind];
/** `kind, params` of a job the UI may start: the `jobs:start` arguments. */
export type StartJobArgs = { [K in StartableJobKind]: [kind: K, params: JobParams<K>] }[StartableJobKind];

export const JOB_KIND_NAMES = Object.keys(JOB_KINDS) as JobKind[];
export const STARTABLE_JOB_KINDS = JOB_KIND_NAMES.filter((k): k is StartableJobKind => JOB_KINDS[k].startable);

export function isJobKind(kind: unknown): kind is JobKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(JOB_KINDS, kind);
}

/**
 * The `jobs:start` argument schema: [kind, params], the kind one the UI may
 * start and the params checked by that kind's schema (so a refusal names the
 * parameter at fault, e.g. `1.model: Invalid type: Expected ("v1" | "v3") …`).
 */
export const startJobArgsSchema = v.pipe(
  v.strictTuple([v.picklist(STARTABLE_JOB_KINDS), v.unknown()]),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const [kind, params] = dataset.value;
    const parsed = v.safeParse(JOB_KINDS[kind].params, params);
    if (parsed.success) return [kind, parsed.output];
    const at: v.ArrayPathItem = { type: 'array', origin: 'value', input: dataset.value as unknown[], key: 1, value: params };
    for (const issue of parsed.issues) addIssue({ message: issue.message, path: [at, ...(issue.path ?? [])] });
    return NEVER;
  }),
) as unknown as v.GenericSchema<unknown, StartJobArgs>;

/**
 * The result of a succeeded job of `kind`, typed; undefined when the job is of
 * another kind or has no result (still running, failed, or stored by an older version).
 */
export function jobResultOf<K extends JobKind>(job: { kind: string; state: string; result?: unknown }, kind: K): JobResult<K> | undefined {
  if (job.kind !== kind || job.state !== 'succeeded' || job.result === null || typeof job.result !== 'object') return undefined;
  return job.result as JobResult<K>;
}
