/**
 * The resampler's inner loop — many short dot products — as a tiny
 * WebAssembly SIMD (f32x4) function. Plain JS runs this loop at about
 * 0.5–1 G multiply-adds/s on the target 2-core box, which made 96 → 48 kHz
 * resampling alone take ~3 s of CPU per 10 minutes of audio; four lanes per
 * instruction bring it well under the budget (numbers in resample.ts).
 *
 * The module is assembled here byte by byte (no toolchain is available in
 * the build) and is only ~150 bytes. Its text form:
 *
 *   (func (export "fir") (param $pairs $n $tapBytes $out i32)
 *     for j in 0 … n−1:
 *       pin = load_i32(pairs + 8j); pc = load_i32(pairs + 8j + 4)
 *       acc0 = acc1 = 0 (f32x4)
 *       do { acc0 += v128(pin) · v128(pc); acc1 += v128(pin+16) · v128(pc+16);
 *            pin += 32; pc += 32 } while (pin < start + tapBytes)
 *       store_f32(out + 4j, sum of the lanes of acc0 + acc1))
 *
 * i.e. out[j] = Σ_i input[pin_j + i] · coef[pc_j + i] over taps (a multiple
 * of 8) float32 values. When WebAssembly SIMD is unavailable the caller
 * falls back to the JS kernels (same table, double-precision accumulation).
 */
import { kernelModuleBytes, ValType } from '../util/wasm-assembly';

const SIMD = 0xfd;
const BODY = [
  0x02, 0x05, 0x7f, 0x02, 0x7b, // locals: 5 × i32 (j, pin, pc, end, tmp), 2 × v128 (acc0, acc1)
  0x41, 0x00, 0x21, 0x04, // j = 0
  0x02, 0x40, 0x03, 0x40, // block, loop
  0x20, 0x04, 0x20, 0x01, 0x4f, 0x0d, 0x01, // if j >= n: break
  0x20, 0x00, 0x20, 0x04, 0x41, 0x03, 0x74, 0x6a, 0x22, 0x08, // tmp = pairs + 8j
  0x28, 0x02, 0x00, 0x21, 0x05, // pin = load(tmp)
  0x20, 0x08, 0x28, 0x02, 0x04, 0x21, 0x06, // pc = load(tmp + 4)
  0x20, 0x05, 0x20, 0x02, 0x6a, 0x21, 0x07, // end = pin + tapBytes
  SIMD, 0x0c, ...new Array(16).fill(0), 0x22, 0x09, 0x21, 0x0a, // acc0 = acc1 = 0
  0x03, 0x40, // loop
  0x20, 0x09, 0x20, 0x05, SIMD, 0x00, 0x00, 0x00, 0x20, 0x06, SIMD, 0x00, 0x00, 0x00, // acc0, v(pin), v(pc)
  SIMD, 0xe6, 0x01, SIMD, 0xe4, 0x01, 0x21, 0x09, // acc0 += mul
  0x20, 0x0a, 0x20, 0x05, SIMD, 0x00, 0x00, 0x10, 0x20, 0x06, SIMD, 0x00, 0x00, 0x10, // acc1, v(pin+16), v(pc+16)
  SIMD, 0xe6, 0x01, SIMD, 0xe4, 0x01, 0x21, 0x0a, // acc1 += mul
  0x20, 0x05, 0x41, 0x20, 0x6a, 0x22, 0x05, // pin += 32 (left on stack)
  0x20, 0x06, 0x41, 0x20, 0x6a, 0x21, 0x06, // pc += 32
  0x20, 0x07, 0x49, 0x0d, 0x00, // while pin < end
  0x0b, // end loop
  0x20, 0x03, 0x20, 0x04, 0x41, 0x02, 0x74, 0x6a, // address out + 4j
  0x20, 0x09, 0x20, 0x0a, SIMD, 0xe4, 0x01, 0x22, 0x09, // acc0 += acc1 (left on stack)
  SIMD, 0x1f, 0x00, 0x20, 0x09, SIMD, 0x1f, 0x01, 0x92, // lane0 + lane1
  0x20, 0x09, SIMD, 0x1f, 0x02, 0x20, 0x09, SIMD, 0x1f, 0x03, 0x92, 0x92, // + (lane2 + lane3)
  0x38, 0x02, 0x00, // store f32
  0x20, 0x04, 0x41, 0x01, 0x6a, 0x21, 0x04, // j++
  0x0c, 0x00, // continue
  0x0b, 0x0b, // end loop, end block
  0x0b, // end function
];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const { I32 } = ValType;
  return kernelModuleBytes({ name: 'fir', params: [I32, I32, I32, I32], results: [], body: BODY });
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null when this runtime lacks WebAssembly SIMD. */
function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** A SIMD dot-product engine bound to one coefficient table (copied in as float32). */
export interface SimdFir {
  /**
   * For j < n: out[j] = Σ_{i < taps} input[inputOffsets[j] + i] · table[rowOffsets[j] + i].
   * `input` must hold every sample read (offset + taps).
   */
  run(input: Float32Array, inputOffsets: Int32Array, rowOffsets: Int32Array, n: number): Float32Array;
}

/** Creates a SIMD kernel for `table` (rows of `taps` values, taps a multiple of 8), or null without SIMD. */
export function createSimdFir(table: Float64Array, taps: number): SimdFir | null {
  const mod = simdModule();
  if (!mod || taps % 8 !== 0) return null;
  const instance = new WebAssembly.Instance(mod, {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  const fir = instance.exports.fir as (pairs: number, n: number, tapBytes: number, out: number) => void;
  const tableBytes = table.length * 4;
  // Large up-sampling ratios (e.g. 2 kHz → 44.1 kHz: 441 phases) need more than the initial page.
  if (tableBytes > memory.buffer.byteLength) memory.grow(Math.ceil((tableBytes - memory.buffer.byteLength) / 65536));
  new Float32Array(memory.buffer, 0, table.length).set(table);

  return {
    run(input, inputOffsets, rowOffsets, n) {
      const inputAt = tableBytes;
      const pairsAt = inputAt + input.length * 4;
      const outAt = pairsAt + n * 8;
      const needed = outAt + n * 4;
      if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
      new Float32Array(memory.buffer, inputAt, input.length).set(input);
      const pairs = new Int32Array(memory.buffer, pairsAt, 2 * n);
      for (let j = 0; j < n; j++) {
        pairs[2 * j] = inputAt + 4 * inputOffsets[j];
        pairs[2 * j + 1] = 4 * rowOffsets[j];
      }
      fir(pairsAt, n, taps * 4, outAt);
      return new Float32Array(memory.buffer, outAt, n).slice();
    },
  };
}
