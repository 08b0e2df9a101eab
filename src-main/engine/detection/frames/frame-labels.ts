/**
 * People's labels at frame resolution: every human label counts, frame by
 * frame, both as a training target and as an override of the model's output
 * (human labels always win).
 *
 * - A frame takes the value of the label holding its cell's centre; labels
 *   later in the list win where they overlap (callers pass them oldest first).
 *   The value "silence" means silence; every other value (sound, a type name)
 *   means sound.
 * - Two sound labels that touch or are less than one hop apart are two sounds:
 *   the frame holding the middle of their gap becomes silence, so a split made
 *   by a person survives even when the gap is shorter than a frame.
 * - For training, frames next to a change of target (±edgeFrames) are left
 *   out: at 5 ms a boundary frame is half one thing and half the other.
 */
import { frameCell, type FrameAnalysis } from './frame-analysis';

/** A human label as detection sees it, in native samples. */
export interface HumanRange {
  startSample: number;
  endSample: number;
  sound: boolean;
}

type Cells = Pick<FrameAnalysis, 'fftSize' | 'hopSize'>;

/** The frame whose cell holds sample s (cells tile the file, frameCell). */
function frameHolding(a: Cells, s: number, frames: number, nativeFrames: number): number {
  const offset = Math.floor((a.fftSize - a.hopSize) / 2);
  let f = Math.max(0, Math.min(frames - 1, Math.floor((s - offset) / a.hopSize)));
  while (f > 0 && frameCell(a, f, frames, nativeFrames)[0] > s) f--;
  while (f < frames - 1 && frameCell(a, f, frames, nativeFrames)[1] <= s) f++;
  return f;
}

/** Per-frame targets: 1 sound, 0 silence, −1 no human label (see the file header). */
export function humanFrameTargets(ranges: readonly HumanRange[], a: Cells, frames: number, nativeFrames: number): Int8Array {
  const out = new Int8Array(frames).fill(-1);
  if (frames === 0) return out;
  for (const r of ranges) {
    // Frames whose cell centre lies in [start, end).
    let f = frameHolding(a, r.startSample, frames, nativeFrames);
    for (; f < frames; f++) {
      const [s, e] = frameCell(a, f, frames, nativeFrames);
      const centre = (s + e) / 2;
      if (centre >= r.endSample) break;
      if (centre >= r.startSample) out[f] = r.sound ? 1 : 0;
    }
  }
  const sounds = ranges.filter((r) => r.sound).sort((x, y) => x.startSample - y.startSample);
  for (let i = 1; i < sounds.length; i++) {
    const gap = sounds[i].startSample - sounds[i - 1].endSample;
    if (gap < 0 || gap >= a.hopSize) continue;
    out[frameHolding(a, (sounds[i - 1].endSample + sounds[i].startSample) / 2, frames, nativeFrames)] = 0;
  }
  return out;
}

/** Whether frame f is a trustworthy training target: labelled, and no different target within ±edgeFrames. */
export function isSteadyTarget(targets: Int8Array, f: number, edgeFrames: number): boolean {
  const v = targets[f];
  if (v < 0) return false;
  for (let k = Math.max(0, f - edgeFrames); k <= Math.min(targets.length - 1, f + edgeFrames); k++) if (targets[k] !== v) return false;
  return true;
}

/** Applies human targets over model probabilities: pSilence 0 on human sound, 1 on human silence. */
export function applyHumanTargets(pSilence: Float32Array, targets: Int8Array): Float32Array {
  const out = Float32Array.from(pSilence);
  for (let f = 0; f < out.length; f++) if (targets[f] >= 0) out[f] = targets[f] === 1 ? 0 : 1;
  return out;
}
