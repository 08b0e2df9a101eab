/**
 * Moving between window-level decisions and sample-range labels.
 *
 * Heuristic decisions are made per window, but labels are stored as sample
 * ranges (so people can edit them and they survive a change of window
 * length). Windows overlap (a window is a little over two strides long), so
 * each window stands for its *core*: the samples nearer to its centre than to
 * any other window's centre (one stride around the centre; the first and
 * last cores reach the file ends). Decisions are written as their windows'
 * cores, and a window's label is read back as the majority over its core, so
 * a write-then-read returns exactly the decisions that were stored — a
 * majority over the whole window would not (the neighbours' shares of a
 * window together outweigh its own core).
 */
import type { EffectiveLabel } from '../store/machine-labels';
import type { LabelSource } from '../store/labels';
import type { MachineLabelInput } from '../store/machine-labels';

/** A window's place in the recording, native samples [start, end). */
export interface NativeSpan {
  startNativeSample: number;
  endNativeSample: number;
}

/** Silence (1), sound (0) or unlabelled (-1) per window, and which source decided it. */
export interface WindowLabels {
  /** 1 = silence, 0 = sound, -1 = no label overlaps the window. */
  silence: Int8Array;
  source: (LabelSource | null)[];
}

/** Label values that mean silence; every other value (sound, a type name) is sound. */
export function isSilenceValue(value: string): boolean {
  return value === 'silence';
}

function centre(span: NativeSpan): number {
  return (span.startNativeSample + span.endNativeSample) / 2;
}

/** The core of window i (see the file header): [start, end) in native samples. */
export function windowCore(spans: readonly NativeSpan[], i: number, nativeFrames?: number): [number, number] {
  const start = i === 0 ? 0 : Math.floor((centre(spans[i - 1]) + centre(spans[i])) / 2);
  const end = i === spans.length - 1 ? (nativeFrames ?? spans[i].endNativeSample) : Math.floor((centre(spans[i]) + centre(spans[i + 1])) / 2);
  return [start, end];
}

/**
 * Label ranges tiling [0, nativeFrames) from per-window decisions: each
 * window's core gets its decision; neighbouring ranges with the same value
 * are joined. `spans` must be in window order.
 */
export function windowDecisionsToLabelRanges(
  spans: readonly NativeSpan[],
  silent: readonly boolean[],
  nativeFrames: number,
): MachineLabelInput[] {
  const out: MachineLabelInput[] = [];
  for (let i = 0; i < spans.length; i++) {
    const [start, end] = windowCore(spans, i, nativeFrames);
    if (end <= start) continue;
    const value = silent[i] ? 'silence' : 'sound';
    const last = out[out.length - 1];
    if (last && last.value === value && last.endSample === start) last.endSample = end;
    else out.push({ startSample: start, endSample: end, value });
  }
  return out;
}

/**
 * Per-window labels from the effective labels of a recording (human > model >
 * heuristic already applied): the value covering most of the window's core
 * wins, ties go to the value at the window's centre; a window whose core no
 * label touches is unlabelled. The source is the one that contributed most
 * of the winning value's overlap. `spans` must be in window order.
 */
export function windowLabelsFromEffective(spans: readonly NativeSpan[], labels: readonly EffectiveLabel[]): WindowLabels {
  const silence = new Int8Array(spans.length).fill(-1);
  const source: (LabelSource | null)[] = new Array(spans.length).fill(null);
  const sorted = labels.slice().sort((a, b) => a.startSample - b.startSample);
  let first = 0;
  // Window starts only grow, so a label ending before this window's start is done for good.
  for (let w = 0; w < spans.length; w++) {
    const [s, e] = windowCore(spans, w);
    while (first < sorted.length && sorted[first].endSample <= s) first++;
    const overlap = [0, 0]; // [sound, silence]
    const bySource: Record<string, [number, number]> = {};
    const mid = centre(spans[w]);
    let atCentre = -1;
    for (let j = first; j < sorted.length && sorted[j].startSample < e; j++) {
      const l = sorted[j];
      const o = Math.min(e, l.endSample) - Math.max(s, l.startSample);
      if (o <= 0) continue;
      const v = isSilenceValue(l.value) ? 1 : 0;
      overlap[v] += o;
      (bySource[l.source] ??= [0, 0])[v] += o;
      if (l.startSample <= mid && mid < l.endSample) atCentre = v;
    }
    if (overlap[0] === 0 && overlap[1] === 0) continue;
    const v = overlap[1] > overlap[0] ? 1 : overlap[0] > overlap[1] ? 0 : atCentre >= 0 ? atCentre : 0;
    silence[w] = v;
    let best: LabelSource | null = null;
    let bestOverlap = 0;
    for (const [src, o] of Object.entries(bySource)) {
      if (o[v] > bestOverlap) {
        bestOverlap = o[v];
        best = src as LabelSource;
      }
    }
    source[w] = best;
  }
  return { silence, source };
}
