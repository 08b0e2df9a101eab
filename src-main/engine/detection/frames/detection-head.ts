/**
 * Detection heads: what turns a recording's frame features into a silence
 * probability per frame. Two kinds, both stored as JSON in the project:
 * - 'teacher' — the label-free detector (frame-teacher.ts). Day one.
 * - 'boosted' — boosted trees over the frame context (frame-context.ts) plus
 *   the teacher's own view of each frame (decision, peak, distance to the
 *   teacher's nearest edge, loudness and length of its run), trained on
 *   people's labels where they exist and on the teacher's decisions
 *   elsewhere. Without corrections it reproduces the teacher; each correction
 *   teaches it where the teacher is wrong for *this* project (a background
 *   bird, a hum that is not silence, an annotator's offset convention).
 *
 * Measured on the dev sets before choosing (scratch runs, 2-core box): a
 * classifier self-trained on the teacher's confident frames *lost* to the
 * teacher on day one (mean onset-F1 0.77 vs 0.84; it merged Bengalese finch
 * syllables: 263 regions for 369 syllables), so day one is the teacher
 * itself and the trees only come in with human labels, where they earn their
 * keep (see the correction curve of `npm run bench -- detection`).
 *
 * Training is deterministic: the only randomness is the seeded choice of
 * which teacher frames to train on, and the seed is stored with the head.
 * In tonal mode the frames of faint contours stay sound under a boosted head
 * (keepTonalContours).
 */
import { SonotypeError } from '../../../../src-shared/errors';
import { createRng } from '../../util/random';
import { trainBoostedTrees, predictBoostedTrees, validateBoostedTrees, DEFAULT_BOOSTING_PARAMS, type BoostedTreesJson, type BoostingParams } from './boosted-trees';
import type { FrameAnalysis } from './frame-analysis';
import { CONTEXT_DIMS, CONTEXT_FEATURE_NAMES, contextFeatures } from './frame-context';
import { BASE_DIMS, TONAL_RIDGE } from './frame-features';
import { isSteadyTarget, type HumanRange } from './frame-labels';
import { resolveTeacherParams, teacherDecisions, teacherSilenceProbability, type TeacherParams, type TeacherResult } from './frame-teacher';

const TEACHER_INPUT_NAMES = ['teacherSound', 'teacherPeak', 'teacherEdgeDistance', 'teacherRunPeak', 'teacherRunLength'];
export const HEAD_INPUT_NAMES: readonly string[] = [...CONTEXT_FEATURE_NAMES, ...TEACHER_INPUT_NAMES];
export const HEAD_DIMS = HEAD_INPUT_NAMES.length;
/** Context reaches ±40 frames; chunks overlap by more so chunked and whole-file inputs are identical. */
const CHUNK_FRAMES = 32_768;
const CHUNK_MARGIN = 64;
const MAX_TEACHER_ROWS = 40_000;
const MAX_HUMAN_ROWS = 40_000;
const MIN_HUMAN_WEIGHT = 20;
/**
 * A teacher frame weighs little, and a tree leaf needs HEAD_MIN_CHILD_WEIGHT of
 * hessian: the trees cannot memorise the teacher frame by frame, so a
 * correction carries over to similar frames elsewhere instead of being
 * outvoted by the teacher's answer for each of them. With teacher weight 1
 * and leaves of 2, labelling one whole Bengalese finch file from its truth
 * changed nothing on the other files (onset-F1 0.916 → 0.915); with 0.2 and
 * 20 it raised them to 0.942 (koumura 0.963 → 0.972).
 */
const TEACHER_WEIGHT = 0.2;
const HEAD_MIN_CHILD_WEIGHT = 20;
/** Human frames together weigh at least this share of the teacher frames. */
const HUMAN_WEIGHT_SHARE = 0.5;

export interface TeacherHeadPayload {
  type: 'teacher';
  version: 1;
  teacher: TeacherParams;
}

/** The human labels a boosted head learned from, per recording (so its training can be replayed for a fair comparison). */
export interface TrainedOnLabels {
  recordingId: number;
  ranges: HumanRange[];
}

export interface BoostedHeadPayload {
  type: 'boosted';
  version: 1;
  teacher: TeacherParams;
  inputs: string[];
  boosting: BoostingParams;
  seed: number;
  trees: BoostedTreesJson;
  trainedOn: TrainedOnLabels[];
}

export type HeadPayload = TeacherHeadPayload | BoostedHeadPayload;
export const HEAD_PAYLOAD_FORMAT = 'sonotype-detection-head-1';

/** Checks a stored payload before use. */
export function validateHeadPayload(value: unknown): HeadPayload {
  const p = value as HeadPayload;
  if (!p || p.version !== 1 || (p.type !== 'teacher' && p.type !== 'boosted')) {
    throw new SonotypeError('INVALID_CONFIG', 'The stored detection head is damaged or comes from a newer Sonotype.');
  }
  const teacher = resolveTeacherParams(p.teacher);
  if (p.type === 'teacher') return { type: 'teacher', version: 1, teacher };
  if (!Array.isArray(p.inputs) || p.inputs.join() !== HEAD_INPUT_NAMES.join()) {
    throw new SonotypeError('INVALID_CONFIG', 'The stored detection head was trained on other frame features; retrain it.');
  }
  return { ...p, teacher, trees: validateBoostedTrees(p.trees, HEAD_DIMS) };
}

/** One recording's frames as the head sees them. */
export interface RecordingFrames {
  recordingId: number;
  analysis: Pick<FrameAnalysis, 'fftSize' | 'hopSize' | 'sampleRate'>;
  frames: number;
  nativeFrames: number;
  /** frames × BASE_DIMS base features. */
  base: Float32Array;
}

/** The teacher's per-frame view used as head inputs: frames × 5. */
function teacherInputs(t: TeacherResult): Float32Array {
  const n = t.sound.length;
  const out = new Float32Array(n * TEACHER_INPUT_NAMES.length);
  let i = 0;
  while (i < n) {
    let j = i;
    let runPeak = -Infinity;
    while (j < n && t.sound[j] === t.sound[i]) runPeak = Math.max(runPeak, t.score[j++]);
    for (let k = i; k < j; k++) {
      const o = k * TEACHER_INPUT_NAMES.length;
      out[o] = t.sound[k];
      out[o + 1] = t.score[k];
      out[o + 2] = (t.sound[k] ? 1 : -1) * Math.min(20, k - i, j - 1 - k);
      out[o + 3] = runPeak;
      out[o + 4] = Math.min(200, j - i);
    }
    i = j;
  }
  return out;
}

/** Head inputs of frames [from, to) of a recording (rows × HEAD_DIMS). */
function headInputs(r: RecordingFrames, teacher: Float32Array, from: number, to: number): Float32Array {
  const lo = Math.max(0, from - CHUNK_MARGIN);
  const hi = Math.min(r.frames, to + CHUNK_MARGIN);
  const context = contextFeatures(r.base.subarray(lo * BASE_DIMS, hi * BASE_DIMS), hi - lo);
  const out = new Float32Array((to - from) * HEAD_DIMS);
  const t = TEACHER_INPUT_NAMES.length;
  for (let f = from; f < to; f++) {
    const row = (f - from) * HEAD_DIMS;
    out.set(context.subarray((f - lo) * CONTEXT_DIMS, (f - lo + 1) * CONTEXT_DIMS), row);
    out.set(teacher.subarray(f * t, (f + 1) * t), row + CONTEXT_DIMS);
  }
  return out;
}

/** The silence probability of every frame of a recording under a head. */
export function predictFrames(payload: HeadPayload, r: RecordingFrames): Float32Array {
  const t = teacherDecisions(r.base, r.frames, payload.teacher, r.analysis);
  if (payload.type === 'teacher') return teacherSilenceProbability(t, payload.teacher);
  const teacher = teacherInputs(t);
  const out = new Float32Array(r.frames);
  for (let from = 0; from < r.frames; from += CHUNK_FRAMES) {
    const to = Math.min(r.frames, from + CHUNK_FRAMES);
    const p = predictBoostedTrees(payload.trees, headInputs(r, teacher, from, to));
    for (let i = 0; i < p.length; i++) out[from + i] = 1 - p[i];
  }
  keepTonalContours(out, r, t, payload.teacher);
  return out;
}

/**
 * Tonal mode: frames of a faint contour (the tonalRidge column) stay sound under a learned head. The trees see the
 * contour only through the teacher's decision, and its loudness features say "quiet": a retrained head dropped
 * every such frame of a test whistle. A person who disagrees labels the region (labels win over any head) or turns
 * tonal mode off. Without tonal mode the column is 0 and nothing changes.
 */
function keepTonalContours(pSilence: Float32Array, r: RecordingFrames, t: TeacherResult, teacher: Partial<TeacherParams>): void {
  let teacherP: Float32Array | null = null;
  for (let i = 0; i < r.frames; i++) {
    if (!(r.base[i * BASE_DIMS + TONAL_RIDGE] > 0)) continue;
    teacherP ??= teacherSilenceProbability(t, teacher);
    pSilence[i] = Math.min(pSilence[i], teacherP[i]);
  }
}

/** What a boosted head was trained on. */
export interface TrainingCounts {
  teacherFrames: number;
  humanFrames: number;
  humanSoundFrames: number;
  humanSilenceFrames: number;
  recordingsWithHumanLabels: number;
}

/**
 * Trains a boosted head on the teacher's decisions plus the human targets
 * (`targets` per recording id; frames without a target learn the teacher's
 * decision). Throws INVALID_ARGUMENT when the frames hold one class only.
 */
export function trainBoostedHead(
  recordings: readonly RecordingFrames[],
  targets: ReadonlyMap<number, Int8Array>,
  trainedOn: TrainedOnLabels[],
  options: {
    teacher?: Partial<TeacherParams>;
    seed?: number;
    boosting?: Partial<BoostingParams>;
    edgeFrames?: number;
    /** Frames [from, to) per recording id left out of training entirely (held out for scoring). */
    exclude?: ReadonlyMap<number, [number, number]>;
    /** Give a constant head instead of failing when only one class remains (scoring a recipe). */
    allowOneClass?: boolean;
  } = {},
): { payload: BoostedHeadPayload; counts: TrainingCounts; lossCurve: number[] } {
  const teacherParams = resolveTeacherParams(options.teacher);
  const seed = options.seed ?? 1;
  const boosting = { ...DEFAULT_BOOSTING_PARAMS, minChildWeight: HEAD_MIN_CHILD_WEIGHT, ...options.boosting };
  const edge = options.edgeFrames ?? 1;
  const random = createRng(seed);
  const views = recordings.map((r) => ({ r, t: teacherDecisions(r.base, r.frames, teacherParams, r.analysis), human: targets.get(r.recordingId) }));
  const usable = (r: RecordingFrames, f: number): boolean => {
    const range = options.exclude?.get(r.recordingId);
    return !range || f < range[0] || f >= range[1];
  };
  let teacherTotal = 0;
  let humanTotal = 0;
  for (const { r, human } of views) {
    for (let f = 0; f < r.frames; f++) {
      if (!usable(r, f)) continue;
      if (human && human[f] >= 0) {
        if (isSteadyTarget(human, f, edge)) humanTotal++;
      } else teacherTotal++;
    }
  }
  const keepTeacher = Math.min(1, MAX_TEACHER_ROWS / Math.max(1, teacherTotal));
  const keepHuman = Math.min(1, MAX_HUMAN_ROWS / Math.max(1, humanTotal));
  const rows: { view: number; frame: number; y: number; human: boolean }[] = [];
  views.forEach(({ r, t, human }, v) => {
    for (let f = 0; f < r.frames; f++) {
      if (!usable(r, f)) continue;
      if (human && human[f] >= 0) {
        if (isSteadyTarget(human, f, edge) && random() < keepHuman) rows.push({ view: v, frame: f, y: human[f], human: true });
      } else if (random() < keepTeacher) rows.push({ view: v, frame: f, y: t.sound[f], human: false });
    }
  });
  const nHuman = rows.filter((x) => x.human).length;
  const nTeacher = rows.length - nHuman;
  const humanWeight = Math.max(MIN_HUMAN_WEIGHT, (HUMAN_WEIGHT_SHARE * nTeacher * TEACHER_WEIGHT) / Math.max(1, nHuman));
  const x = new Float32Array(rows.length * HEAD_DIMS);
  const y = new Uint8Array(rows.length);
  const weight = new Float32Array(rows.length);
  // Inputs per recording, only for the frames chosen (chunked like prediction).
  let at = 0;
  views.forEach(({ r, t }, v) => {
    const teacher = teacherInputs(t);
    const mine = rows.filter((row) => row.view === v);
    for (let from = 0, k = 0; from < r.frames && k < mine.length; from += CHUNK_FRAMES) {
      const to = Math.min(r.frames, from + CHUNK_FRAMES);
      if (mine[k].frame >= to) continue;
      const inputs = headInputs(r, teacher, from, to);
      for (; k < mine.length && mine[k].frame < to; k++, at++) {
        x.set(inputs.subarray((mine[k].frame - from) * HEAD_DIMS, (mine[k].frame - from + 1) * HEAD_DIMS), at * HEAD_DIMS);
        y[at] = mine[k].y;
        weight[at] = mine[k].human ? humanWeight : TEACHER_WEIGHT;
      }
    }
  });
  const lossCurve: number[] = [];
  const trees = trainBoostedTrees({ dims: HEAD_DIMS, x, y, weight }, { ...boosting, allowOneClass: options.allowOneClass }, lossCurve);
  const humanRows = rows.filter((row) => row.human);
  return {
    payload: { type: 'boosted', version: 1, teacher: teacherParams, inputs: [...HEAD_INPUT_NAMES], boosting: { ...boosting, allowOneClass: undefined }, seed, trees, trainedOn },
    counts: {
      teacherFrames: nTeacher,
      humanFrames: nHuman,
      humanSoundFrames: humanRows.filter((row) => row.y === 1).length,
      humanSilenceFrames: humanRows.filter((row) => row.y === 0).length,
      recordingsWithHumanLabels: trainedOn.filter((t) => t.ranges.length > 0).length,
    },
    lossCurve,
  };
}
