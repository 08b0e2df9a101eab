/**
 * A set of variable-length frame sequences (one per region) in one flat
 * float32 array: sequence i is frames offsets[i] … offsets[i] + lengths[i] − 1,
 * each `dim` values. Flat storage keeps DTW's inner loop on one typed array
 * and lets the set cross to worker threads as a single transferable buffer.
 */
import { SonotypeError } from '../../../src-shared/errors';

export interface SequenceSet {
  dim: number;
  /** Frame-major values: frame f of the set is data[f·dim … f·dim + dim). */
  data: Float32Array;
  /** First frame of each sequence. */
  offsets: Int32Array;
  /** Frames in each sequence (≥ 1). */
  lengths: Int32Array;
}

/** Builds a set from per-sequence frame arrays (each `length × dim` values, frame-major). */
export function sequenceSetFrom(sequences: readonly Float32Array[], dim: number): SequenceSet {
  if (!Number.isInteger(dim) || dim < 1) throw new SonotypeError('INVALID_ARGUMENT', `Frame dimension ${dim} must be a whole number ≥ 1.`);
  const lengths = new Int32Array(sequences.length);
  const offsets = new Int32Array(sequences.length);
  let frames = 0;
  sequences.forEach((s, i) => {
    if (s.length === 0 || s.length % dim !== 0) {
      throw new SonotypeError('INVALID_ARGUMENT', `Sequence ${i} has ${s.length} values: it needs a whole number (≥ 1) of ${dim}-value frames.`);
    }
    offsets[i] = frames;
    lengths[i] = s.length / dim;
    frames += lengths[i];
  });
  const data = new Float32Array(frames * dim);
  sequences.forEach((s, i) => data.set(s, offsets[i] * dim));
  return { dim, data, offsets, lengths };
}

/** Sequence i as its own array (a view into the set). */
export function sequenceAt(set: SequenceSet, i: number): Float32Array {
  return set.data.subarray(set.offsets[i] * set.dim, (set.offsets[i] + set.lengths[i]) * set.dim);
}

/** Number of sequences. */
export function sequenceCount(set: SequenceSet): number {
  return set.lengths.length;
}

/** A copy of the set with every frame scaled to unit length (zero frames stay zero), for the cosine cost. */
export function unitNormalised(set: SequenceSet): SequenceSet {
  const data = Float32Array.from(set.data);
  const { dim } = set;
  for (let f = 0; f < data.length; f += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += data[f + d] * data[f + d];
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let d = 0; d < dim; d++) data[f + d] *= inv;
    }
  }
  return { ...set, data };
}

/** Summary vectors: per sequence, the mean and the standard deviation of each dimension (2·dim values). */
export function meanStdVectors(set: SequenceSet): SequenceSet {
  const { dim } = set;
  const n = sequenceCount(set);
  const data = new Float32Array(n * 2 * dim);
  for (let i = 0; i < n; i++) {
    const len = set.lengths[i];
    const base = set.offsets[i] * dim;
    for (let d = 0; d < dim; d++) {
      let sum = 0;
      let sq = 0;
      for (let f = 0; f < len; f++) {
        const v = set.data[base + f * dim + d];
        sum += v;
        sq += v * v;
      }
      const mean = sum / len;
      data[i * 2 * dim + d] = mean;
      data[i * 2 * dim + dim + d] = Math.sqrt(Math.max(0, sq / len - mean * mean));
    }
  }
  return { dim: 2 * dim, data, offsets: Int32Array.from({ length: n }, (_, i) => i), lengths: new Int32Array(n).fill(1) };
}
