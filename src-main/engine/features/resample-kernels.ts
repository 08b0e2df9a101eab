/**
 * Plain-JS inner loops and filter design of the polyphase resampler
 * (resample.ts). The JS kernels accumulate in double precision; they run
 * where WebAssembly SIMD is unavailable, for phase tables too large to
 * store exactly, and as the cross-check of the SIMD kernel in tests.
 */

/** Phase tables with more rows than this are interpolated (see convolveInterpolated). */
export const INTERP_PHASES = 1024;

export interface ConvolveEnd {
  /** How far the first tap index moved. */
  dBase: number;
  /** Phase of the next output. */
  r: number;
}

/**
 * n outputs with an exact phase table (row r = phase r/up). taps is a
 * multiple of 4; four accumulators let V8 overlap the multiply-adds (≈ 1.6×
 * faster than one accumulator here).
 */
export function convolveExact(
  buf: Float32Array, base: number, r: number, n: number, out: Float32Array,
  table: Float64Array, taps: number, up: number, dq: number, dr: number,
): ConvolveEnd {
  const start = base;
  for (let j = 0; j < n; j++) {
    const row = r * taps;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let i = 0; i < taps; i += 4) {
      const c = row + i;
      const b = base + i;
      a0 += table[c] * buf[b];
      a1 += table[c + 1] * buf[b + 1];
      a2 += table[c + 2] * buf[b + 2];
      a3 += table[c + 3] * buf[b + 3];
    }
    out[j] = a0 + a1 + (a2 + a3);
    r += dr;
    base += dq;
    if (r >= up) {
      r -= up;
      base++;
    }
  }
  return { dBase: base - start, r };
}

/**
 * Integer decimation (up = 1, one phase): the single row is symmetric about
 * tap half − 1 (its last tap is the window's zero), so pairs of samples share
 * one multiply. Two outputs per pass share each coefficient load.
 */
export function convolveDecimate(
  buf: Float32Array, base: number, n: number, out: Float32Array, table: Float64Array, half: number, step: number,
): number {
  const start = base;
  const centre = table[half - 1];
  const mirror = 2 * half - 2;
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const b2 = base + step;
    let a0 = centre * buf[base + half - 1];
    let a1 = centre * buf[b2 + half - 1];
    for (let i = 0; i < half - 1; i++) {
      const c = table[i];
      a0 += c * (buf[base + i] + buf[base + mirror - i]);
      a1 += c * (buf[b2 + i] + buf[b2 + mirror - i]);
    }
    out[j] = a0;
    out[j + 1] = a1;
    base += 2 * step;
  }
  for (; j < n; j++) {
    let a0 = centre * buf[base + half - 1];
    for (let i = 0; i < half - 1; i++) a0 += table[i] * (buf[base + i] + buf[base + mirror - i]);
    out[j] = a0;
    base += step;
  }
  return base - start;
}

/** n outputs interpolating linearly between INTERP_PHASES table rows (rates with huge up). */
export function convolveInterpolated(
  buf: Float32Array, base: number, r: number, n: number, out: Float32Array,
  table: Float64Array, taps: number, up: number, dq: number, dr: number,
): ConvolveEnd {
  const start = base;
  for (let j = 0; j < n; j++) {
    const pos = (r * INTERP_PHASES) / up;
    const p0 = Math.floor(pos);
    const frac = pos - p0;
    const row0 = p0 * taps;
    const row1 = row0 + taps;
    let acc = 0;
    for (let i = 0; i < taps; i++) {
      const c0 = table[row0 + i];
      acc += (c0 + frac * (table[row1 + i] - c0)) * buf[base + i];
    }
    out[j] = acc;
    r += dr;
    base += dq;
    if (r >= up) {
      r -= up;
      base++;
    }
  }
  return { dBase: base - start, r };
}

/** Zeroth-order modified Bessel function of the first kind (series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * Builds the polyphase table: `phases` rows of `taps` coefficients. Row p
 * holds h(p/phases + halfTaps − 1 − i) for i = 0 … taps−1, where h is the
 * Kaiser-windowed sinc in input-sample units; each row is normalised to sum 1
 * so DC passes exactly whatever the phase.
 */
export function designTable(phases: number, taps: number, cutoff: number, beta: number): Float64Array {
  const half = taps / 2;
  const table = new Float64Array((phases + 1) * taps); // +1 row for interpolation
  const i0beta = besselI0(beta);
  for (let p = 0; p <= phases; p++) {
    let sum = 0;
    for (let i = 0; i < taps; i++) {
      const t = p / phases + half - 1 - i;
      const u = t / half;
      const w = Math.abs(u) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - u * u)) / i0beta;
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const c = 2 * cutoff * sinc * w;
      table[p * taps + i] = c;
      sum += c;
    }
    for (let i = 0; i < taps; i++) table[p * taps + i] /= sum;
  }
  return table;
}

