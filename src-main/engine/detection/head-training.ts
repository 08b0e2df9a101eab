/**
 * The silence head's data and training, from cached embeddings only.
 *
 * Training cost is bounded whatever the project size: at most
 * MAX_TRAIN_EXAMPLES windows (a seeded random subset, all human-labelled
 * windows always included) and about TARGET_EXAMPLE_PASSES examples seen in
 * total, so retraining after a correction takes seconds even with 100,000+
 * windows. Human-labelled windows are repeated HUMAN_REPEAT times: a
 * person's correction should outweigh the heuristic guesses around it.
 */
import { createRng } from '../util/random';
import * as tf from '@tensorflow/tfjs';
import { SonotypeError } from '../../../src-shared/errors';
import { buildSilenceHead, trainSilenceHead } from '../models/silence-head';
import type { ProjectDb } from '../store/database';
import type { LabelSource } from '../store/labels';
import { effectiveLabels } from '../store/machine-labels';
import { loadWindowEmbeddings, type WindowEmbeddings } from './detection-queries';
import type { LabelCounts } from './detect-types';
import { windowLabelsFromEffective } from './window-labels';

const MAX_TRAIN_EXAMPLES = 8192;
/** Examples seen in total, and optimiser steps: bounds on the training work (tfjs pays ~5 ms per step). */
const TARGET_EXAMPLE_PASSES = 16_384;
const MAX_STEPS = 160;
const MAX_EPOCHS = 60;
const HUMAN_REPEAT = 4;
const PREDICT_CHUNK = 16_384;

/** The cached embeddings of a set of windows with their labels. */
export interface EmbeddedWindows {
  dims: number;
  /** Row-major [n × dims]. */
  data: Float32Array;
  windowIds: Int32Array;
  recordingIds: Int32Array;
  startNativeSample: Float64Array;
  endNativeSample: Float64Array;
  /** 1 silence, 0 sound, -1 unlabelled. */
  silence: Int8Array;
  source: (LabelSource | null)[];
}

/**
 * Loads the cached embeddings (from `encoderId`) of the windows of each
 * recording under a feature config, in recording then window order, and
 * labels each window from the recording's effective labels (human > model >
 * heuristic; majority overlap, see window-labels.ts). Windows without an
 * embedding are left out.
 */
export function loadEmbeddedWindows(db: ProjectDb, encoderId: number, featureConfigId: number, recordingIds: readonly number[]): EmbeddedWindows {
  const parts: { rec: number; w: WindowEmbeddings; silence: Int8Array; source: (LabelSource | null)[] }[] = [];
  let dims = 0;
  let total = 0;
  for (const rec of recordingIds) {
    const w = loadWindowEmbeddings(db, encoderId, rec, featureConfigId);
    if (w.windowIds.length === 0) continue;
    dims = w.dims;
    const spans = Array.from(w.windowIds, (_, i) => ({ startNativeSample: w.startNativeSample[i], endNativeSample: w.endNativeSample[i] }));
    const labels = windowLabelsFromEffective(spans, effectiveLabels(db, rec));
    parts.push({ rec, w, silence: labels.silence, source: labels.source });
    total += w.windowIds.length;
  }
  const out: EmbeddedWindows = {
    dims, data: new Float32Array(total * dims), windowIds: new Int32Array(total), recordingIds: new Int32Array(total),
    startNativeSample: new Float64Array(total), endNativeSample: new Float64Array(total),
    silence: new Int8Array(total), source: new Array(total),
  };
  let at = 0;
  for (const { rec, w, silence, source } of parts) {
    const n = w.windowIds.length;
    out.data.set(w.data, at * dims);
    out.windowIds.set(w.windowIds, at);
    out.recordingIds.fill(rec, at, at + n);
    out.startNativeSample.set(w.startNativeSample, at);
    out.endNativeSample.set(w.endNativeSample, at);
    out.silence.set(silence, at);
    for (let i = 0; i < n; i++) out.source[at + i] = source[i];
    at += n;
  }
  return out;
}

/** How many windows are labelled, of which class and by whom (`rows` limits to some rows). */
export function countLabels(set: EmbeddedWindows, rows?: readonly number[]): LabelCounts {
  const counts: LabelCounts = { windows: 0, silence: 0, sound: 0, bySource: {} };
  const visit = (i: number): void => {
    if (set.silence[i] < 0) return;
    counts.windows++;
    if (set.silence[i] === 1) counts.silence++;
    else counts.sound++;
    const s = set.source[i] ?? 'unknown';
    counts.bySource[s] = (counts.bySource[s] ?? 0) + 1;
  };
  if (rows) rows.forEach(visit);
  else for (let i = 0; i < set.silence.length; i++) visit(i);
  return counts;
}


export interface HeadTrainingPlan {
  examples: number;
  epochs: number;
  batchSize: number;
}

/**
 * Epochs and batch size for `examples` training examples: bounded total work
 * (see the file header), `budget` scales it (the held-out evaluation head gets half).
 */
export function planHeadTraining(examples: number, budget = 1): HeadTrainingPlan {
  const n = Math.max(1, examples);
  const batchSize = n >= 8192 ? 512 : n >= 2048 ? 256 : n >= 512 ? 64 : 32;
  const byPasses = Math.ceil((TARGET_EXAMPLE_PASSES * budget) / n);
  const bySteps = Math.floor((MAX_STEPS * budget) / Math.ceil(n / batchSize));
  return { examples, epochs: Math.max(2, Math.min(MAX_EPOCHS, byPasses, bySteps)), batchSize };
}

export interface TrainedHead {
  head: tf.LayersModel;
  loss: number;
  accuracy: number;
  plan: HeadTrainingPlan;
  seconds: number;
}

/**
 * Trains a fresh silence head (class-weighted) on the labelled rows among
 * `rows` (default: all rows) of `set`. Throws INVALID_ARGUMENT when the
 * labels lack one of the two classes.
 */
export async function trainHeadOnWindows(
  set: EmbeddedWindows,
  options: { rows?: readonly number[]; seed?: number; budget?: number } = {},
): Promise<TrainedHead> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const candidates = (options.rows ?? Array.from(set.silence.keys())).filter((i) => set.silence[i] >= 0);
  const human = candidates.filter((i) => set.source[i] === 'human');
  let machine = candidates.filter((i) => set.source[i] !== 'human');
  const room = Math.max(0, Math.round(MAX_TRAIN_EXAMPLES * (options.budget ?? 1)) - human.length * HUMAN_REPEAT);
  if (machine.length > room) {
    const random = createRng(seed);
    for (let i = machine.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [machine[i], machine[j]] = [machine[j], machine[i]];
    }
    machine = machine.slice(0, room);
  }
  const rows = [...machine, ...human.flatMap((i) => new Array<number>(HUMAN_REPEAT).fill(i))];
  const labels = Uint8Array.from(rows, (i) => set.silence[i]);
  const positives = labels.reduce((s, v) => s + v, 0);
  if (positives === 0 || positives === labels.length) {
    throw new SonotypeError(
      'INVALID_ARGUMENT',
      `The silence detector needs labelled windows of both silence and sound to learn from (it has ${positives} silent and ${labels.length - positives} sound windows).`,
    );
  }
  const x = gatherEmbeddings(set, rows);
  const plan = planHeadTraining(rows.length, options.budget);
  const head = buildSilenceHead({ embeddingSize: set.dims, seed });
  try {
    const { loss, accuracy } = await trainSilenceHead(head, x, labels, { epochs: plan.epochs, batchSize: plan.batchSize, classWeighting: true });
    return { head, loss, accuracy, plan, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    head.dispose();
    throw error;
  }
}


/** The embeddings of `rows` (indices into `set`), packed one after another in that order. */
export function gatherEmbeddings(set: EmbeddedWindows, rows: readonly number[]): Float32Array {
  const x = new Float32Array(rows.length * set.dims);
  rows.forEach((r, i) => x.set(set.data.subarray(r * set.dims, (r + 1) * set.dims), i * set.dims));
  return x;
}

/**
 * Probability of silence for rows of cached embeddings, in inference mode
 * (dropout off, BatchNorm moving statistics), in chunks that keep the
 * tensors small.
 */
export function predictHead(head: tf.LayersModel, data: Float32Array, dims: number): Float32Array {
  const n = data.length / dims;
  const out = new Float32Array(n);
  for (let start = 0; start < n; start += PREDICT_CHUNK) {
    const end = Math.min(n, start + PREDICT_CHUNK);
    const p = tf.tidy(() => head.apply(tf.tensor2d(data.subarray(start * dims, end * dims), [end - start, dims]), { training: false }) as tf.Tensor);
    try {
      out.set(p.dataSync() as Float32Array, start);
    } finally {
      p.dispose();
    }
  }
  // Sigmoid output is in [0, 1] mathematically; clamp float noise so the store's range check holds.
  for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, out[i]));
  return out;
}
