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
import * as tf from '@tensorflow/tfjs';
import { SonotypeError } from '../../../src-shared/errors';
import { buildSilenceHead, trainSilenceHead } from '../models/silence-head';
import { getEmbeddingMatrix } from '../store/embeddings';
import type { ProjectDb } from '../store/database';
import type { LabelSource } from '../store/labels';
import { effectiveLabels } from '../store/machine-labels';
import type { StoredWindow } from '../store/windows';
import type { LabelCounts } from './detect-types';
import { windowLabelsFromEffective } from './window-labels';

const MAX_TRAIN_EXAMPLES = 16_384;
const TARGET_EXAMPLE_PASSES = 40_000;
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
  /** 1 silence, 0 sound, -1 unlabelled. */
  silence: Int8Array;
  source: (LabelSource | null)[];
}

/**
 * Loads the embeddings (from `encoderId`) of the given windows of each
 * recording and labels each window from the recording's effective labels
 * (human > model > heuristic; majority overlap, see window-labels.ts).
 * Windows without an embedding are left out.
 */
export function loadEmbeddedWindows(db: ProjectDb, encoderId: number, recordings: readonly { id: number; windows: readonly StoredWindow[] }[]): EmbeddedWindows {
  const parts: { data: Float32Array; ids: number[]; rec: number; silence: Int8Array; source: (LabelSource | null)[] }[] = [];
  let dims = 0;
  let total = 0;
  for (const { id, windows } of recordings) {
    if (windows.length === 0) continue;
    const matrix = getEmbeddingMatrix(db, encoderId, { recordingId: id });
    if (matrix.windowIds.length === 0) continue;
    dims = matrix.dims;
    const rowOf = new Map<number, number>(matrix.windowIds.map((wid, i) => [wid, i]));
    const kept = windows.filter((w) => rowOf.has(w.id));
    const labels = windowLabelsFromEffective(kept, effectiveLabels(db, id));
    const data = new Float32Array(kept.length * dims);
    kept.forEach((w, i) => data.set(matrix.data.subarray(rowOf.get(w.id)! * dims, (rowOf.get(w.id)! + 1) * dims), i * dims));
    parts.push({ data, ids: kept.map((w) => w.id), rec: id, silence: labels.silence, source: labels.source });
    total += kept.length;
  }
  const out: EmbeddedWindows = {
    dims, data: new Float32Array(total * dims), windowIds: new Int32Array(total), recordingIds: new Int32Array(total),
    silence: new Int8Array(total), source: new Array(total),
  };
  let at = 0;
  for (const p of parts) {
    out.data.set(p.data, at * dims);
    out.windowIds.set(p.ids, at);
    out.recordingIds.fill(p.rec, at, at + p.ids.length);
    out.silence.set(p.silence, at);
    for (let i = 0; i < p.ids.length; i++) out.source[at + i] = p.source[i];
    at += p.ids.length;
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

/** mulberry32, so subsets are reproducible from a seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HeadTrainingPlan {
  examples: number;
  epochs: number;
  batchSize: number;
}

/** Epochs and batch size for `examples` training examples (bounded total work, see file header). */
export function planHeadTraining(examples: number): HeadTrainingPlan {
  const batchSize = examples >= 8192 ? 256 : examples >= 1024 ? 64 : 32;
  const epochs = Math.max(2, Math.min(MAX_EPOCHS, Math.ceil(TARGET_EXAMPLE_PASSES / Math.max(1, examples))));
  return { examples, epochs, batchSize };
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
export async function trainHeadOnWindows(set: EmbeddedWindows, options: { rows?: readonly number[]; seed?: number } = {}): Promise<TrainedHead> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const candidates = (options.rows ?? Array.from(set.silence.keys())).filter((i) => set.silence[i] >= 0);
  const human = candidates.filter((i) => set.source[i] === 'human');
  let machine = candidates.filter((i) => set.source[i] !== 'human');
  const room = Math.max(0, MAX_TRAIN_EXAMPLES - human.length * HUMAN_REPEAT);
  if (machine.length > room) {
    const random = rng(seed);
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
  const x = new Float32Array(rows.length * set.dims);
  rows.forEach((r, i) => x.set(set.data.subarray(r * set.dims, (r + 1) * set.dims), i * set.dims));
  const plan = planHeadTraining(rows.length);
  const head = buildSilenceHead({ embeddingSize: set.dims, seed });
  try {
    const { loss, accuracy } = await trainSilenceHead(head, x, labels, { epochs: plan.epochs, batchSize: plan.batchSize, classWeighting: true });
    return { head, loss, accuracy, plan, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    head.dispose();
    throw error;
  }
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
