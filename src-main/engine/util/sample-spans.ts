/**
 * Matching spans of one recording in native samples by overlap: which label
 * is a cluster member's, which member of the last clustering a new one
 * continues. Two spans are "the same sound" when their intersection over
 * union reaches a threshold (0.5 across the engine).
 */

export interface SampleSpan {
  startSample: number;
  endSample: number;
}

/** Intersection over union of two spans; 0 when they do not overlap. */
export function sampleSpanIoU(a: SampleSpan, b: SampleSpan): number {
  const inter = Math.min(a.endSample, b.endSample) - Math.max(a.startSample, b.startSample);
  if (inter <= 0) return 0;
  return inter / (Math.max(a.endSample, b.endSample) - Math.min(a.startSample, b.startSample));
}

/** The candidate overlapping `span` best with IoU ≥ minIoU (on a tie, the later one); null when none does. */
export function bestMatchByIoU<T extends SampleSpan>(candidates: Iterable<T>, span: SampleSpan, minIoU: number): T | null {
  let best: T | null = null;
  let bestIoU = minIoU;
  for (const candidate of candidates) {
    const iou = sampleSpanIoU(candidate, span);
    if (iou > 0 && iou >= bestIoU) {
      bestIoU = iou;
      best = candidate;
    }
  }
  return best;
}
