/**
 * Detection types shared by the UI and main: the detection heads (their
 * history, scores and which one is active) and the region settings.
 */
import * as v from 'valibot';
import { finite } from './schemas';

/**
 * Region settings a caller may override (each optional): how frame
 * probabilities become regions. The engine (frames/frame-regions.ts) fills in
 * the rest and names a bad value readably.
 */
export const regionSettingsSchema = v.strictObject({
  /** A frame is silence when its pSilence ≥ threshold (0–1). */
  threshold: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(1))),
  /** Centred moving mean over this many frames (odd, 1–201). */
  smoothingFrames: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(201), v.check((n) => n % 2 === 1, 'must be odd'))),
  /** Silence between two sounds shorter than this (s) joins them. */
  mergeGapSeconds: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(60))),
  /** Sounds shorter than this (s) become silence. */
  minSoundSeconds: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(60))),
});
export type DetectionRegionSettings = v.InferOutput<typeof regionSettingsSchema>;

/** A detection head of the project, as its history lists it. */
export interface DetectionHeadView {
  id: number;
  version: number;
  /** 'teacher' = label-free detector (day one); 'boosted' = trained on people's labels plus the teacher. */
  type: 'teacher' | 'boosted';
  createdAt: number;
  active: boolean;
  /** What it learned from (frames; 5 ms each). */
  learnedFrom: {
    teacherFrames: number;
    humanFrames: number;
    humanSoundFrames: number;
    humanSilenceFrames: number;
    recordingsWithHumanLabels: number;
  };
  /**
   * Its held-out comparison when it was trained: the score (mean of frame balanced accuracy and onset-F1 on human
   * labels) of its recipe and of the head active then, each trained without the labels it is scored on
   * (null for the teacher head).
   */
  heldOut: {
    by: 'recording' | 'time-block';
    folds: number;
    frames: number;
    candidate: number | null;
    active: number | null;
    activeHeadId: number;
    /**
     * On a tie of the two scores: how many standard errors the new head's frame probabilities were closer to the
     * held-out labels than the active head's (Brier score, paired by ~100-ms blocks; > 0 adopts it). Null otherwise.
     */
    tieBreakZ: number | null;
  } | null;
  /** Whether it became active when trained (null for the teacher head). */
  adopted: boolean | null;
  /** Seed of its training sample (null for the teacher head). */
  seed: number | null;
}
