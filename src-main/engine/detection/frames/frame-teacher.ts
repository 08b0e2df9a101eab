/**
 * The label-free "teacher": per-frame sound/silence decisions from the peak
 * feature (dB above the per-bin noise floor, 3-bin power mean, maximum over
 * the band) with hysteresis — a run of sound starts where the smoothed peak
 * reaches `onDb` and lasts while it stays above `offDb` — then valley
 * splitting: inside a run, a dip at least `valleyDb` below the peaks on both
 * sides (two syllables whose gap is smeared by reverberation or the STFT
 * window) ends the first sound and starts the next.
 * Its decisions are the day-one labels, and its confident frames (well above
 * `onDb` or well below `offDb`) teach the frame classifier.
 * In tonal mode (a project setting) the frames of faint contours found by
 * the ridge tracker (tonal-ridge.ts, the tonalRidge feature) are sound too.
 */
import { SonotypeError } from '../../../../src-shared/errors';
import { BASE_DIMS, PEAK, TONAL_RIDGE } from './frame-features';
import { movingMean, column } from './frame-context';

export interface TeacherParams {
  /** Onset threshold for recordings with loud sounds (dB above the floor). */
  onDb: number;
  offDb: number;
  /**
   * In a recording whose loudest sounds are faint, the onset threshold drops to
   * `quietMarginDb` below its 99.5th-percentile frame, but never below
   * `minOnDb` (the offset threshold follows, same gap, but not below 10 dB).
   */
  minOnDb: number;
  quietMarginDb: number;
  valleyDb: number;
  /** Centred mean over ±smoothRadius frames before the thresholds. */
  smoothRadius: number;
  /** Frames within this many frames of a decision change are not confident (edges are where the teacher errs). */
  edgeFrames: number;
}

/**
 * Chosen on the dev sets (scratch grid over onDb 20–30, offDb 10–18, valley
 * 0–16, smoothing ±1–2 frames; see src-main/bench/cases/detection): a sound
 * must rise 25 dB above its bins' floor and lasts while it stays 16 dB above;
 * a dip 14 dB below the peaks on both sides splits it (pieces ≥ 40 ms). The
 * optimum was flat around these values (onDb 25–30, offDb 14–18, valley
 * 14–16). Mean onset-F1 / balanced accuracy of the four complete dev sets:
 * 0.861 / 0.937 without valley splitting, 0.906 / 0.938 with (hummingbird 2:
 * a call just before a song element is split off), 0.910 / 0.937 once
 * one-frame gaps go to the valley split too (see teacherDecisions). Averaging the peak over
 * ±2 frames scored higher still (0.93) but moved loud onsets 7 ms early (more
 * than a hop) and was not taken. Valley splitting also cuts trills into notes:
 * the spinetail songs (annotated whole) become 104 regions for 18 songs.
 * Quiet recordings lower the onset to 8 dB under their loudest frames (not
 * below 14 dB): the OSmOSE dolphin whistles, plainly visible, rise only
 * 15–25 dB over the floor (25 dB found none of them), while sound-free
 * recordings (Orcasound ambient, a soundscape night, a 15-min right-whale
 * file) keep 99.9 % of their frames under 14 dB. No dev-set file is quiet, so
 * their scores do not change.
 */
export const DEFAULT_TEACHER_PARAMS: Readonly<TeacherParams> = Object.freeze({
  onDb: 25,
  offDb: 16,
  minOnDb: 14,
  quietMarginDb: 8,
  valleyDb: 14,
  smoothRadius: 1,
  edgeFrames: 2,
});

/** Checks stored or user-given teacher settings; INVALID_CONFIG names the field. */
export function resolveTeacherParams(overrides: Partial<TeacherParams> = {}): TeacherParams {
  const p = { ...DEFAULT_TEACHER_PARAMS, ...overrides };
  const bad = (m: string): never => {
    throw new SonotypeError('INVALID_CONFIG', `Invalid detector settings: ${m}`);
  };
  if (!(Number.isFinite(p.onDb) && Number.isFinite(p.offDb) && p.offDb <= p.onDb)) bad(`onDb and offDb must be numbers with offDb ≤ onDb (got ${p.onDb}, ${p.offDb}).`);
  if (!(Number.isFinite(p.minOnDb) && p.minOnDb <= p.onDb && p.quietMarginDb >= 0)) bad(`minOnDb must be ≤ onDb and quietMarginDb ≥ 0 (got ${p.minOnDb}, ${p.quietMarginDb}).`);
  if (!(p.valleyDb >= 0)) bad(`valleyDb must be ≥ 0 (got ${p.valleyDb}).`);
  if (!(Number.isInteger(p.smoothRadius) && p.smoothRadius >= 0 && p.smoothRadius <= 50)) bad(`smoothRadius must be a whole number of frames 0–50 (got ${p.smoothRadius}).`);
  if (!(Number.isInteger(p.edgeFrames) && p.edgeFrames >= 0)) bad(`edgeFrames must be a whole number ≥ 0 (got ${p.edgeFrames}).`);
  return p;
}

/**
 * The teacher's silence probability per frame: a logistic of the smoothed
 * peak around the middle of the two thresholds (3 dB scale), kept on the side
 * of the hysteresis decision (so p < 0.5 exactly on sound frames). Regions of
 * weak sounds come out uncertain, which is what the review queue asks about first.
 */
export function teacherSilenceProbability(t: TeacherResult, params: Partial<TeacherParams> = {}): Float32Array {
  const p = resolveTeacherParams(params);
  const { onDb, offDb } = effectiveThresholds(t.score, p);
  const mid = (onDb + offDb) / 2;
  return Float32Array.from(t.score, (x, i) => {
    const sound = 1 / (1 + Math.exp(-(x - mid) / 3));
    return t.sound[i] ? Math.min(0.49, 1 - sound) : Math.max(0.51, 1 - sound);
  });
}

/** The thresholds a recording gets: the defaults, lowered for quiet recordings (see DEFAULT_TEACHER_PARAMS). */
export function effectiveThresholds(score: Float32Array, p: TeacherParams): { onDb: number; offDb: number } {
  if (score.length === 0) return { onDb: p.onDb, offDb: p.offDb };
  const sorted = Float32Array.from(score).sort();
  const loud = sorted[Math.floor(0.995 * (sorted.length - 1))];
  const onDb = Math.min(p.onDb, Math.max(p.minOnDb, loud - p.quietMarginDb));
  // The offset keeps the default gap but stays 10 dB up: lower, the noise itself (median 5–9 dB) would hold a sound open.
  return { onDb, offDb: Math.min(p.offDb, Math.max(10, onDb - (p.onDb - p.offDb))) };
}

export interface TeacherResult {
  /** 1 = sound, 0 = silence, per frame. */
  sound: Uint8Array;
  /** 1 = sound, 0 = silence, -1 = not confident. */
  confident: Int8Array;
  /** The smoothed peak series (dB above floor) the decisions were made on. */
  score: Float32Array;
}

/** Shortest piece (frames, 40 ms) a valley split may leave on either side. */
const MIN_PIECE_FRAMES = 8;

/**
 * Splits the sound run [from, to) at its deepest valley — the frame whose
 * value lies furthest below the smaller of the maxima on its two sides — when
 * that depth is ≥ valleyDb, and recurses into both halves.
 */
function splitRun(sound: Uint8Array, x: Float32Array, from: number, to: number, valleyDb: number, minPiece: number): void {
  if (to - from < 3) return;
  const rightMax = new Float32Array(to - from);
  let m = -Infinity;
  for (let k = to - 1; k >= from; k--) rightMax[k - from] = m = Math.max(m, x[k]);
  let leftMax = x[from];
  let best = -1;
  let bestDepth = valleyDb;
  for (let f = from + 1; f < to - 1; f++) {
    const depth = Math.min(leftMax, rightMax[f + 1 - from]) - x[f];
    if (depth >= bestDepth && f - from >= minPiece && to - f >= minPiece) {
      bestDepth = depth;
      best = f;
    }
    leftMax = Math.max(leftMax, x[f]);
  }
  if (best < 0) return;
  // Two frames (10 ms) of silence, the valley and its lower neighbour: one frame (5 ms) would be closed again
  // by the regions' merge gap (8 ms).
  const other = best + 1 < to - 1 && (best - 1 <= from || x[best + 1] <= x[best - 1]) ? best + 1 : best - 1;
  const [a, b] = other < best ? [other, best] : [best, other];
  sound[a] = 0;
  sound[b] = 0;
  splitRun(sound, x, from, a, valleyDb, minPiece);
  splitRun(sound, x, b + 1, to, valleyDb, minPiece);
}

function splitValleys(sound: Uint8Array, x: Float32Array, valleyDb: number, minPiece: number): void {
  let i = 0;
  while (i < x.length) {
    if (!sound[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < x.length && sound[j]) j++;
    splitRun(sound, x, i, j, valleyDb, minPiece);
    i = j;
  }
}

/** Turns silence between two sounds into sound where it is shorter than `frames` frames. */
function fillGapsShorterThan(sound: Uint8Array, frames: number): void {
  let i = 0;
  while (i < sound.length && !sound[i]) i++;
  while (i < sound.length) {
    while (i < sound.length && sound[i]) i++;
    let j = i;
    while (j < sound.length && !sound[j]) j++;
    if (j < sound.length && j - i < frames) sound.fill(1, i, j);
    i = j;
  }
}

/**
 * Closes silence between two sounds when it is shorter than half the FFT
 * window: a frame cannot see such a gap (its window still holds the edges of
 * both sounds), so the dip there is noise, not silence. At 16 kHz and above
 * that is at most one 5-ms frame, which the regions' 8-ms merge gap closes
 * anyway; at 2 kHz (a 64-ms window) it keeps a faint whale call from falling
 * apart into 10–30-ms pieces.
 */
function closeUnresolvedGaps(sound: Uint8Array, resolution: FrameResolution): void {
  fillGapsShorterThan(sound, resolution.fftSize / 2 / resolution.hopSize);
}

/** What decides how short a gap a frame can see (its FrameAnalysis). */
export interface FrameResolution {
  fftSize: number;
  hopSize: number;
}

/** Teacher decisions for one recording's base features (frames × BASE_DIMS) computed at `resolution`. */
export function teacherDecisions(base: Float32Array, frames: number, params: Partial<TeacherParams> = {}, resolution?: FrameResolution): TeacherResult {
  const p = resolveTeacherParams(params);
  // Smoothing over half a window blurs nothing the window has not blurred already; at low rates (2 kHz: a 64-ms
  // window, 5-ms hop) it steadies the noisy peak of a faint call. From 8 kHz up this is the default ±1 frame.
  const radius = resolution ? Math.max(p.smoothRadius, Math.round(resolution.fftSize / resolution.hopSize / 4)) : p.smoothRadius;
  const x = movingMean(column(base, frames, BASE_DIMS, PEAK), radius);
  const { onDb, offDb } = effectiveThresholds(x, p);
  const sound = new Uint8Array(frames);
  // Hysteresis: forward pass marks runs that reach onDb, extended backwards and forwards while ≥ offDb.
  let f = 0;
  while (f < frames) {
    if (x[f] < onDb) {
      f++;
      continue;
    }
    let a = f;
    while (a > 0 && x[a - 1] >= offDb && !sound[a - 1]) a--;
    let b = f;
    while (b < frames && x[b] >= offDb) b++;
    sound.fill(1, a, b);
    f = b;
  }
  if (resolution) closeUnresolvedGaps(sound, resolution);
  if (p.valleyDb > 0) {
    // A one-frame gap the hysteresis leaves between two sounds (the level fell under offDb for 5 ms) would be
    // closed by the regions' 8-ms merge gap however deep it is: Bengalese finches sing a syllable twice with no
    // gap, and such junctions (11–16 dB above the floor, 22–29 dB under the quieter syllable) glued the pair into one
    // region. So the gap is closed here and the valley split judges it like any other dip: a deep one becomes the
    // split's two-frame cut, which the merge keeps; a shallow one stays closed, as the merge would leave it.
    // koumura_bird0 onset-F1 0.965 → 0.977, bl26lb16 0.910 → 0.913 (both now above the truth-tuned energy
    // baseline, 0.971 and 0.912), balanced accuracy 0.941 → 0.939 and 0.952 (unchanged); the hummingbirds and the
    // spinetail score the same, and the 42 other recordings in ../shared keep the same regions (no such junction).
    fillGapsShorterThan(sound, 2);
    splitValleys(sound, x, p.valleyDb, MIN_PIECE_FRAMES);
  }
  // Tonal mode: the frames of faint contours the ridge tracker found are sound too (the column is 0 otherwise).
  // After the valley split, which judges dips in the peak and would cut a faint whistle into its louder pieces.
  for (let i = 0; i < frames; i++) if (base[i * BASE_DIMS + TONAL_RIDGE] > 0) sound[i] = 1;
  const confident = new Int8Array(frames);
  for (let i = 0; i < frames; i++) confident[i] = sound[i];
  for (let i = 1; i < frames; i++) {
    if (sound[i] === sound[i - 1]) continue;
    confident.fill(-1, Math.max(0, i - p.edgeFrames), Math.min(frames, i + p.edgeFrames));
  }
  return { sound, confident, score: x };
}
