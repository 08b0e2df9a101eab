/**
 * Tonal mode (opt-in): a ridge tracker for faint narrow-band contours —
 * dolphin whistles, baleen up-calls — that the frame peak misses because
 * their bins sit only 8–17 dB over the floor with a fluctuating level.
 *
 * Viterbi-style path scores over the spectrogram: each bin's score is the
 * best score among the previous frame's bins within ±1 bin (a contour moves
 * at most one bin per 5-ms hop: 19 kHz/s at 48 kHz), plus this bin's dB over
 * the floor (capped, so a click cannot carry a path) minus RIDGE_DRIFT_DB; a
 * score that falls to 0 restarts. A contour that stays on average more than
 * RIDGE_DRIFT_DB over the floor accumulates; noise, whose bins average ~6.5 dB
 * over a 20 % quantile floor, does not get far. A path whose score reaches
 * RIDGE_SCORE marks its frames from where it started to its last frame whose
 * recent steps still average RIDGE_GOOD_DB over the drift (not the decaying
 * end of the score).
 *
 * Chosen on scratch runs over ../shared/data/recordings (sound-free: Orcasound
 * ambient live000, soundscapes at 00:00 and 12:00, an AudioMoth field file;
 * whistles: the OSmOSE files) and on independent exponential noise (the worst
 * case: real spectrogram bins are correlated across neighbours), as the
 * fraction of frames marked:
 * - drift 10 dB, score 80: none in the sound-free files nor in 3 × 20,000
 *   frames of independent noise (245 bins); dolphin_osmose_220925_223450
 *   28 % → 38 % sound, the 1-kHz blue whale file 0 % → 22 %;
 * - drift 9 dB: 46 % of the OSmOSE file and still none in the sound-free files,
 *   but independent noise is followed everywhere (19,992 of 20,000 frames):
 *   below ~9.5 dB the best of the fanning paths gains on average even in noise;
 * - drift 8 dB: 6.6 % of the Orcasound file (score 100).
 * Sweeps faster than one bin a frame (~19 kHz/s at 48 kHz) break the path.
 * In the bird dev sets the tracker also follows background tones and
 * reverberant tails (bl26lb16 onset-F1 / balanced accuracy 0.913 / 0.952 →
 * 0.289 / 0.891: syllables glued together), so it is not part of day one.
 *
 * The state restarts at every noise-floor segment, so a long recording cut
 * into ranges (distributed detection) gets the same marks as the whole file.
 */

/** dB over the floor a contour must keep on average to accumulate. */
export const RIDGE_DRIFT_DB = 10;
/** Score at which a path counts as a contour (dB·frames over the drift). */
export const RIDGE_SCORE = 80;
/** Per-bin levels above this (dB over the floor) count as this: one loud click cannot carry a path. */
export const RIDGE_CAP_DB = 20;
/**
 * Scores stop growing here: after a long loud contour ends, the path may wander through noise for a while (a
 * best-of-three walk in noise loses little per frame); capped, its score runs out within ~0.1–0.2 s.
 */
export const RIDGE_SCORE_CAP = 2 * RIDGE_SCORE;
/**
 * Where a contour ends: the path's recent steps (exponential mean, weight RIDGE_RECENT per frame) must average this
 * far over the drift. Its score alone would not do: after a loud contour ends, the best of the paths that fan out
 * from it (±1 bin a frame) keeps finding noise above the drift for a while.
 */
export const RIDGE_GOOD_DB = 2.5;
const RIDGE_RECENT = 0.25;

/** Streams per-bin levels frame by frame; collects the frame spans of the contours found. */
export class TonalRidgeTracker {
  private score: Float32Array;
  private start: Int32Array;
  private good: Int32Array;
  private recent: Float32Array;
  private nextScore: Float32Array;
  private nextStart: Int32Array;
  private nextGood: Int32Array;
  private nextRecent: Float32Array;
  /** [first, last] frame spans (inclusive) of contours, in the order found; they may overlap. */
  readonly spans: [number, number][] = [];

  constructor(private readonly bins: number) {
    this.score = new Float32Array(bins);
    this.start = new Int32Array(bins);
    this.good = new Int32Array(bins);
    this.recent = new Float32Array(bins);
    this.nextRecent = new Float32Array(bins);
    this.nextScore = new Float32Array(bins);
    this.nextStart = new Int32Array(bins);
    this.nextGood = new Int32Array(bins);
  }

  /** Forgets every path (at a noise-floor segment boundary). */
  restart(): void {
    this.score.fill(0);
  }

  /** Takes frame `frame`'s per-bin dB over the floor (NaN = no floor there). */
  push(frame: number, levels: ArrayLike<number>): void {
    const { bins, score, start, good, recent, nextScore, nextStart, nextGood, nextRecent } = this;
    let bestSpan: [number, number] | null = null;
    for (let k = 0; k < bins; k++) {
      let best = 0;
      let from = frame;
      let last = frame;
      let mean = 0;
      for (let j = Math.max(0, k - 1); j <= Math.min(bins - 1, k + 1); j++) {
        if (score[j] > best) {
          best = score[j];
          from = start[j];
          last = good[j];
          mean = recent[j];
        }
      }
      const level = levels[k];
      const step = (Number.isNaN(level) ? -RIDGE_DRIFT_DB : Math.min(RIDGE_CAP_DB, level)) - RIDGE_DRIFT_DB;
      const s = Math.min(RIDGE_SCORE_CAP, best + step);
      if (s > 0) {
        nextScore[k] = s;
        nextStart[k] = best > 0 ? from : frame;
        const r = best > 0 ? (1 - RIDGE_RECENT) * mean + RIDGE_RECENT * step : step;
        nextRecent[k] = r;
        nextGood[k] = r >= RIDGE_GOOD_DB || best <= 0 ? frame : last;
        if (s >= RIDGE_SCORE) {
          // One span per frame is enough: the widest among the bins over the score.
          if (!bestSpan) bestSpan = [nextStart[k], nextGood[k]];
          else bestSpan = [Math.min(bestSpan[0], nextStart[k]), Math.max(bestSpan[1], nextGood[k])];
        }
      } else {
        nextScore[k] = 0;
      }
    }
    if (bestSpan) this.spans.push(bestSpan);
    this.score = nextScore;
    this.start = nextStart;
    this.good = nextGood;
    this.recent = nextRecent;
    this.nextScore = score;
    this.nextStart = start;
    this.nextGood = good;
    this.nextRecent = recent;
  }
}

/** Frames (relative to `firstFrame`, within [0, frames)) covered by the spans, as a 0/1 mask. */
export function ridgeMask(spans: readonly [number, number][], firstFrame: number, frames: number): Uint8Array {
  const mask = new Uint8Array(frames);
  for (const [a, b] of spans) mask.fill(1, Math.max(0, a - firstFrame), Math.min(frames, b - firstFrame + 1));
  return mask;
}
