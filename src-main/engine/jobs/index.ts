/**
 * Jobs: long work (training, embedding, detection, scanning) run in worker
 * threads with typed progress, ETA, cancellation, a queue and resume from
 * checkpoints. Task modules implement `TaskModule` and are listed in
 * task-registry.ts.
 */
export { JobRunner, type JobRunnerOptions, type StartJobOptions, type JobProgressListener } from './job-runner';
export type { JobContext, TaskModule, ResumePoint, CheckpointFiles, JsonValue } from './task-context';
export { TASK_REGISTRY, isHeavyKind, type TaskRegistration } from './task-registry';
export { resolveWorkerEntry, type WorkerEntry } from './worker-entry';
export { jobRecordToProgress } from './job-records';
export { RateEstimator } from './progress-rate';
export { CHECKPOINTS_FOLDER, jobCheckpointDir } from './checkpoint-store';
