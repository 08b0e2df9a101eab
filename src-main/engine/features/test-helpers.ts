/** Helpers shared by the feature tests (not part of the public API). */

/** Splits `x` into blocks whose sizes cycle through `sizes`. */
export function splitBlocks(x: Float32Array, sizes: number[]): Float32Array[] {
  const out: Float32Array[] = [];
  let o = 0;
  let i = 0;
  while (o < x.length) {
    const n = Math.min(sizes[i++ % sizes.length], x.length - o);
    out.push(x.slice(o, o + n));
    o += n;
  }
  return out;
}

/** An async iterable over blocks, like a decoder would yield. */
export async function* asyncBlocks(blocks: Float32Array[]): AsyncGenerator<Float32Array> {
  for (const b of blocks) yield b;
}

/** Concatenates blocks. */
export function joinBlocks(blocks: Float32Array[]): Float32Array {
  const out = new Float32Array(blocks.reduce((s, b) => s + b.length, 0));
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

/**
 * Amplitude and phase-free fit of a sine of known frequency (least squares on
 * sin and cos), with the RMS of what remains. Independent of the code under test.
 */
export function fitSine(x: Float32Array, rate: number, hz: number): { amplitude: number; residualRms: number } {
  let ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
  const w = (2 * Math.PI * hz) / rate;
  for (let i = 0; i < x.length; i++) {
    const s = Math.sin(w * i), c = Math.cos(w * i);
    ss += s * s; cc += c * c; sc += s * c; xs += x[i] * s; xc += x[i] * c;
  }
  const det = ss * cc - sc * sc;
  const a = (xs * cc - xc * sc) / det;
  const b = (xc * ss - xs * sc) / det;
  let r2 = 0;
  for (let i = 0; i < x.length; i++) {
    const e = x[i] - a * Math.sin(w * i) - b * Math.cos(w * i);
    r2 += e * e;
  }
  return { amplitude: Math.hypot(a, b), residualRms: Math.sqrt(r2 / x.length) };
}

/** |DFT| at one frequency (Hz) of x, rectangular window, scaled so a sine of amplitude A reads A. */
export function dftAmplitudeAt(x: Float32Array, rate: number, hz: number): number {
  let re = 0, im = 0;
  const w = (2 * Math.PI * hz) / rate;
  for (let i = 0; i < x.length; i++) {
    re += x[i] * Math.cos(w * i);
    im -= x[i] * Math.sin(w * i);
  }
  return (2 * Math.hypot(re, im)) / x.length;
}

export function rms(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, x.length));
}
