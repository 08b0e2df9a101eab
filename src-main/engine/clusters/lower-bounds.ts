/**
 * Cheap lower bounds of the length-normalised DTW distance (dtw.ts), used to
 * skip pairs that cannot fall under a distance ceiling without running DTW:
 *
 * - LB_Kim (first/last frames): every path starts at (0,0) with weight 2 and
 *   ends at (n−1, m−1) with weight ≥ 1, O(dim).
 * - LB_Keogh (envelopes): every path crosses every row at least once, with
 *   weight ≥ 1, inside the band; the frame cost there is at least the cost
 *   from the row's frame to the box [min, max] of the other sequence over the
 *   band. The box is taken from envelopes precomputed once per sequence with
 *   a radius that covers the widest band in the set, so it is looser than a
 *   per-pair envelope but costs O((n + m)·dim) per pair. Both directions
 *   (rows, then columns) are computed and the larger bound kept.
 *
 * Both bounds are tested against the exact distance in lower-bounds.test.ts.
 */
import { bandHalfWidth, type DtwOptions, type FrameCost } from './dtw';
import { sequenceCount, type SequenceSet } from './sequences';

/** Per-frame upper and lower envelopes of every sequence over ±radius frames (same layout as the set's data). */
export interface Envelopes {
  radius: number;
  upper: Float32Array;
  lower: Float32Array;
}

/** Envelope radius that covers every pair's band in this set (w = band · longest length). */
export function envelopeRadiusFor(set: SequenceSet, band: number): number {
  let longest = 1;
  for (let i = 0; i < set.lengths.length; i++) longest = Math.max(longest, set.lengths[i]);
  return Math.ceil(bandHalfWidth(longest, longest, band) + 1);
}

/** Min/max of each dimension over frames f − radius … f + radius of the same sequence. */
export function computeEnvelopes(set: SequenceSet, radius: number): Envelopes {
  const { dim, data } = set;
  const upper = new Float32Array(data.length);
  const lower = new Float32Array(data.length);
  for (let s = 0; s < sequenceCount(set); s++) {
    const len = set.lengths[s];
    const base = set.offsets[s] * dim;
    for (let f = 0; f < len; f++) {
      const from = Math.max(0, f - radius);
      const to = Math.min(len - 1, f + radius);
      for (let d = 0; d < dim; d++) {
        let hi = -Infinity;
        let lo = Infinity;
        for (let g = from; g <= to; g++) {
          const v = data[base + g * dim + d];
          if (v > hi) hi = v;
          if (v < lo) lo = v;
        }
        upper[base + f * dim + d] = hi;
        lower[base + f * dim + d] = lo;
      }
    }
  }
  return { radius, upper, lower };
}

function costToBox(data: Float32Array, at: number, env: Envelopes, boxAt: number, dim: number, cost: FrameCost): number {
  if (cost === 'cosine') {
    let dot = 0;
    for (let d = 0; d < dim; d++) {
      const q = data[at + d];
      dot += q > 0 ? q * env.upper[boxAt + d] : q * env.lower[boxAt + d];
    }
    const c = 1 - dot;
    return c > 0 ? c : 0;
  }
  let s = 0;
  for (let d = 0; d < dim; d++) {
    const q = data[at + d];
    const u = env.upper[boxAt + d];
    const l = env.lower[boxAt + d];
    const x = q > u ? q - u : q < l ? l - q : 0;
    s += x * x;
  }
  return cost === 'euclidean' ? Math.sqrt(s) : s;
}

function frameCost(data: Float32Array, a: number, b: number, dim: number, cost: FrameCost): number {
  let s = 0;
  if (cost === 'cosine') {
    for (let d = 0; d < dim; d++) s += data[a + d] * data[b + d];
    return Math.max(0, 1 - s);
  }
  for (let d = 0; d < dim; d++) s += (data[a + d] - data[b + d]) ** 2;
  return cost === 'euclidean' ? Math.sqrt(s) : s;
}

/** LB_Kim: the first and last cells every path must visit. */
export function lbKim(set: SequenceSet, i: number, j: number, cost: FrameCost): number {
  const { dim, data } = set;
  const n = set.lengths[i];
  const m = set.lengths[j];
  const first = frameCost(data, set.offsets[i] * dim, set.offsets[j] * dim, dim, cost);
  if (n + m === 2) return first;
  const last = frameCost(data, (set.offsets[i] + n - 1) * dim, (set.offsets[j] + m - 1) * dim, dim, cost);
  return (2 * first + last) / (n + m);
}

/**
 * LB_Keogh of the pair (see the file header), or 0 when the envelopes are too
 * narrow for this pair's band (the bound would not be valid).
 */
export function lbKeogh(set: SequenceSet, env: Envelopes, i: number, j: number, options: DtwOptions): number {
  let r = i;
  let c = j;
  if (set.lengths[j] > set.lengths[i]) {
    r = j;
    c = i;
  }
  const n = set.lengths[r];
  const m = set.lengths[c];
  const w = bandHalfWidth(n, m, options.band);
  const slope = n > 1 ? (m - 1) / (n - 1) : 0;
  const { dim, data } = set;
  let best = 0;
  // Rows of r against the envelope of c around the band's centre.
  if (env.radius >= w + 0.5) {
    let sum = 0;
    for (let row = 0; row < n; row++) {
      const centre = Math.round(row * slope);
      sum += costToBox(data, (set.offsets[r] + row) * dim, env, (set.offsets[c] + centre) * dim, dim, options.cost);
    }
    best = sum;
  }
  // Columns of c against the envelope of r: column col's band spans rows (col ± w)/slope.
  if (slope > 0 && env.radius >= w / slope + 0.5) {
    let sum = 0;
    for (let col = 0; col < m; col++) {
      const centre = Math.min(n - 1, Math.round(col / slope));
      sum += costToBox(data, (set.offsets[c] + col) * dim, env, (set.offsets[r] + centre) * dim, dim, options.cost);
    }
    if (sum > best) best = sum;
  }
  return best / (n + m);
}
