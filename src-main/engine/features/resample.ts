/**
 * Streaming rational resampler: polyphase windowed-sinc (Kaiser) low-pass.
 *
 * Why hand-written instead of @alexanderolsen/libsamplerate-js (it was
 * installed and measured first, 96 kHz → 48 kHz mono through its streaming `full` API in
 * 64 Ki-sample blocks, on this 2-core box, numbers per 10 minutes of audio):
 *   quiet box:  SRC_SINC_FASTEST 9.2 s wall, SRC_SINC_MEDIUM_QUALITY 14.8 s wall
 *   loaded box (load ≈ 5): FASTEST 12.1 s CPU, MEDIUM 20.6 s CPU
 *   this resampler, same run: 1.4 s CPU with the WASM SIMD kernel
 *   (fir-simd.ts), 3.5 s CPU with the plain-JS kernels
 * The whole budget for decode + resample + STFT is < 6 s (≥ 100× real time),
 * so the library cannot fit. Its wrapper also has no end-of-input flush (the
 * last ~20 output samples never come out), an async `create` (WASM load) and
 * no exact output length.
 *
 * Filter: 70 dB stop band starting at the lower Nyquist (nothing above it can
 * alias), pass band to 80 % of the lower Nyquist (like SRC_SINC_FASTEST's
 * 80 % bandwidth); e.g. 96 → 48 kHz: flat to 19.2 kHz, ≥ 70 dB down from
 * 24 kHz, 88 taps. Each phase is normalised to unit DC gain.
 *
 * Definition: output sample j is the band-limited input evaluated at input
 * time t_j = j·from/to (zero delay; input outside [0, n) counts as zero). The
 * whole stream yields exactly round(n·to/from) samples, bit-identical however
 * the input is split into blocks.
 */
import { SonotypeError } from '../../../src-shared/errors';
import { createSimdFir } from './fir-simd';
import { INTERP_PHASES, convolveDecimate, convolveExact, convolveInterpolated, designTable } from './resample-kernels';

/** A stateful block-in/block-out resampler. */
export interface Resampler {
  /** Resamples the next block; returns the output samples that are complete. */
  process(block: Float32Array): Float32Array;
  /** Ends the stream: returns the remaining samples so the total is exact. */
  flush(): Float32Array;
}

export interface ResamplerOptions {
  /** Minimum attenuation above the lower Nyquist, in dB (default 70). */
  stopbandDb?: number;
  /** Pass band edge as a fraction of the lower Nyquist (default 0.8). */
  passbandFraction?: number;
  /** 'auto' (default) uses the WebAssembly SIMD kernel when available; 'js' forces plain JS. */
  kernel?: 'auto' | 'js';
}

/** Phase tables larger than this are replaced by an interpolated table. */
const MAX_EXACT_PHASES = 1024;
/** Outputs per SIMD call, so the kernel's scratch memory stays small. */
const SIMD_CHUNK = 8192;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function checkRate(rate: number, name: string): void {
  if (!Number.isInteger(rate) || rate <= 0) {
    throw new SonotypeError('INVALID_ARGUMENT', `${name} sample rate ${rate} Hz is not a positive whole number.`);
  }
}

/** The polyphase filter of a from → to resampler: rates reduced to up/down, taps per phase. */
interface FilterGeometry {
  up: number;
  down: number;
  half: number;
  taps: number;
  cutoff: number;
  beta: number;
}

function filterGeometry(fromRate: number, toRate: number, options: ResamplerOptions): FilterGeometry {
  const g = gcd(fromRate, toRate);
  const up = toRate / g; // L: output step is from/to = M/L input samples
  const down = fromRate / g; // M
  const stopDb = options.stopbandDb ?? 70;
  const passFraction = options.passbandFraction ?? 0.8;

  // Frequencies in cycles per input sample. Stop band starts at the lower
  // Nyquist so nothing above it can alias into the output band.
  const lowerNyquist = 0.5 * Math.min(1, up / down);
  const transition = (1 - passFraction) * lowerNyquist;
  const cutoff = lowerNyquist - transition / 2;
  const beta = stopDb > 50 ? 0.1102 * (stopDb - 8.7) : 0.5842 * (stopDb - 21) ** 0.4 + 0.07886 * (stopDb - 21);
  const order = Math.ceil((stopDb - 7.95) / (2.285 * 2 * Math.PI * transition));
  // half rounded up to a multiple of 4 so taps is a multiple of 8, as the
  // unrolled kernels need (the filter just gets a few taps longer).
  const half = 4 * Math.max(1, Math.ceil((order + 1) / 8));
  const taps = 2 * half;

  return { up, down, half, taps, cutoff, beta };
}

/**
 * How to produce exactly the outputs [outStart, outEnd) of the whole-stream
 * resampler without starting at sample 0 (a shard of a long recording):
 * feed the input from `inputStart` — a multiple of the rate ratio's
 * denominator, so the filter phases line up, and at least half a filter
 * before the first output, so no output sees the resampler's zero history —
 * through `inputEnd` (clip it to the stream length and flush() when it
 * reaches the end), then drop the first `skipOutputs` outputs. The outputs
 * kept are bit-identical to those of one pass over the whole input.
 */
export function resamplerRangePlan(
  fromRate: number,
  toRate: number,
  outStart: number,
  outEnd: number,
  options: ResamplerOptions = {},
): { inputStart: number; inputEnd: number; skipOutputs: number } {
  checkRate(fromRate, 'Input');
  checkRate(toRate, 'Output');
  if (fromRate === toRate) return { inputStart: outStart, inputEnd: outEnd, skipOutputs: 0 };
  const { up, down, half } = filterGeometry(fromRate, toRate, options);
  // Output j is centred on input floor(j·down/up) and reads half − 1 samples before it and half after.
  const firstTap = Math.floor((outStart * down) / up) - half + 1;
  const inputStart = Math.max(0, Math.floor(firstTap / down) * down);
  const lastCentre = Math.floor((Math.max(outEnd, outStart + 1) - 1) * down / up);
  return { inputStart, inputEnd: lastCentre + half + 1, skipOutputs: outStart - (inputStart / down) * up };
}

/**
 * Creates a streaming resampler from `fromRate` to `toRate` (whole Hz).
 * Equal rates give a pass-through copy.
 */
export function createResampler(fromRate: number, toRate: number, options: ResamplerOptions = {}): Resampler {
  checkRate(fromRate, 'Input');
  checkRate(toRate, 'Output');
  if (fromRate === toRate) {
    return { process: (block) => block.slice(), flush: () => new Float32Array(0) };
  }
  const { up, down, half, taps, cutoff, beta } = filterGeometry(fromRate, toRate, options);

  const exact = up <= MAX_EXACT_PHASES;
  const tablePhases = exact ? up : INTERP_PHASES;
  const table = designTable(tablePhases, taps, cutoff, beta);
  const simd = exact && options.kernel !== 'js' ? createSimdFir(table, taps) : null;
  let offsets = new Int32Array(0);
  let rows = new Int32Array(0);

  // Input history: buf[0] is absolute input index bufStart. Starts with
  // half−1 zeros standing for the samples before t = 0.
  let buf = new Float32Array(Math.max(4096, 4 * taps));
  let bufStart = -(half - 1);
  let bufLen = half - 1;
  let inCount = 0;
  let outCount = 0;
  // Position of the next output: t = q + r/up input samples.
  let q = 0;
  let r = 0;
  const dq = Math.floor(down / up);
  const dr = down % up;
  let flushed = false;

  function append(block: Float32Array): void {
    // Drop history that no future output can reach (index < q − half + 1).
    const keepFrom = q - half + 1 - bufStart;
    if (keepFrom > 0) {
      buf.copyWithin(0, keepFrom, bufLen);
      bufLen -= keepFrom;
      bufStart += keepFrom;
    }
    if (bufLen + block.length > buf.length) {
      const bigger = new Float32Array(Math.max(buf.length * 2, bufLen + block.length));
      bigger.set(buf.subarray(0, bufLen));
      buf = bigger;
    }
    buf.set(block, bufLen);
    bufLen += block.length;
  }

  /** Produces outputs while their taps lie inside the buffer, up to `limit` outputs in total. */
  function produce(limit: number): Float32Array {
    // Output j needs input indices q − half + 1 … q + half. Count first to allocate once.
    const available = bufStart + bufLen;
    let n = 0;
    for (let qq = q, rr = r; outCount + n < limit && qq + half < available; n++) {
      rr += dr;
      qq += dq;
      if (rr >= up) {
        rr -= up;
        qq++;
      }
    }
    const out = new Float32Array(n);
    if (simd) {
      if (offsets.length < SIMD_CHUNK) [offsets, rows] = [new Int32Array(SIMD_CHUNK), new Int32Array(SIMD_CHUNK)];
      for (let done = 0; done < n; done += SIMD_CHUNK) {
        const m = Math.min(SIMD_CHUNK, n - done);
        const first = q - half + 1 - bufStart;
        let b = 0;
        for (let j = 0; j < m; j++) {
          offsets[j] = b;
          rows[j] = r * taps;
          r += dr;
          b += dq;
          if (r >= up) {
            r -= up;
            b++;
          }
        }
        const input = buf.subarray(first, first + offsets[m - 1] + taps);
        out.set(simd.run(input, offsets, rows, m), done);
        q += b;
      }
    } else {
      // Hot loops take locals: closure variables would be re-read from the context every tap.
      const base = q - half + 1 - bufStart;
      if (up === 1) {
        q += convolveDecimate(buf, base, n, out, table, half, down);
      } else {
        const next = exact
          ? convolveExact(buf, base, r, n, out, table, taps, up, dq, dr)
          : convolveInterpolated(buf, base, r, n, out, table, taps, up, dq, dr);
        q += next.dBase;
        r = next.r;
      }
    }
    outCount += n;
    return out;
  }

  return {
    process(block: Float32Array): Float32Array {
      if (flushed) throw new SonotypeError('INTERNAL', 'Resampler used after flush().');
      append(block);
      inCount += block.length;
      return produce(Number.MAX_SAFE_INTEGER);
    },
    flush(): Float32Array {
      if (flushed) return new Float32Array(0);
      flushed = true;
      const total = Math.round((inCount * up) / down);
      append(new Float32Array(half + 1)); // zeros after the end
      return produce(total);
    },
  };
}

/** Resamples a stream of blocks (equal rates: copies of the input blocks), flushing at the end. */
export async function* resampleBlocks(
  blocks: AsyncIterable<Float32Array>,
  fromRate: number,
  toRate: number,
): AsyncGenerator<Float32Array> {
  const resampler = createResampler(fromRate, toRate);
  for await (const block of blocks) {
    const out = resampler.process(block);
    if (out.length > 0) yield out;
  }
  const tail = resampler.flush();
  if (tail.length > 0) yield tail;
}

/** Number of samples a stream of `n` input samples becomes: round(n·to/from). */
export function resampledLength(n: number, fromRate: number, toRate: number): number {
  return fromRate === toRate ? n : Math.round((n * toRate) / fromRate);
}
