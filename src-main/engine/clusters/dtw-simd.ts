/**
 * DTW's heavy part — the frame costs of every cell inside the band — as a
 * small WebAssembly SIMD (f32x4) function; the dynamic programme over those
 * costs stays in JS (dtwFromCosts). In plain JS a 20-dimensional frame cost
 * runs at ~1 G multiply-adds/s, which put a 10,000-region matrix at minutes;
 * four lanes per instruction and no bounds checks bring it down several-fold
 * (figures: `npm run bench -- cluster_dtw`).
 *
 * The module is assembled here from named opcodes (no toolchain in the
 * build, as fir-simd.ts). Its text form:
 *
 *   (func (export "costs") (param $row $rows $col $band $dimBytes $out $mode i32)
 *     for i in 0 … rows−1:                      ; rows of the longer sequence
 *       lo = load_i32(band + 8i); hi = load_i32(band + 8i + 4)
 *       a = row + i·dimBytes
 *       for j in lo … hi:
 *         b = col + j·dimBytes; acc = f32x4(0)
 *         mode 2: acc += v(a+k) · v(b+k)        for k in 0, 16, … < dimBytes
 *         else:   d = v(a+k) − v(b+k); acc += d·d
 *         s = Σ lanes(acc); mode 1: s = √s; mode 2: s = max(0, 1 − s)
 *         store_f32(out, s); out += 4
 *
 * Frames are stored padded to a multiple of four values with zeros, which
 * changes neither a squared difference nor a dot product.
 */
import type { FrameCost } from './dtw';
import type { SequenceSet } from './sequences';

const Op = {
  Block: 0x02, Loop: 0x03, If: 0x04, Else: 0x05, End: 0x0b, Br: 0x0c, BrIf: 0x0d,
  LocalGet: 0x20, LocalSet: 0x21, LocalTee: 0x22,
  I32Load: 0x28, F32Store: 0x38, I32Const: 0x41, F32Const: 0x43,
  I32Eq: 0x46, I32GtS: 0x4a, I32GeS: 0x4e, I32LtS: 0x48,
  I32Add: 0x6a, I32Mul: 0x6c, I32Shl: 0x74,
  F32Sqrt: 0x91, F32Add: 0x92, F32Sub: 0x93, F32Max: 0x97,
} as const;
const VOID = 0x40;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00, 0x04, 0x00]; // align 2^4, offset 0
const V128_ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];
const F32X4_ADD = [SIMD, 0xe4, 0x01];
const F32X4_SUB = [SIMD, 0xe5, 0x01];
const F32X4_MUL = [SIMD, 0xe6, 0x01];
const lane = (k: number) => [SIMD, 0x1f, k];
const f32 = (x: number) => [Op.F32Const, ...new Uint8Array(Float32Array.of(x).buffer)];
const get = (l: number) => [Op.LocalGet, l];
const set = (l: number) => [Op.LocalSet, l];
const i32 = (x: number) => [Op.I32Const, x];

// Parameters, then locals.
const [ROW, ROWS, COL, BAND, DIM_BYTES, OUT, MODE, I, J, HI, A, B, K, ACC, D, S] = Array.from({ length: 16 }, (_, i) => i);

/** Accumulates over the frame's 16-byte chunks: `body` leaves the new acc on the stack. */
const dimLoop = (body: number[]) => [
  ...i32(0), ...set(K), ...V128_ZERO, ...set(ACC),
  Op.Loop, VOID,
  ...body, ...set(ACC),
  ...get(K), ...i32(16), Op.I32Add, Op.LocalTee, K, ...get(DIM_BYTES), Op.I32LtS, Op.BrIf, 0,
  Op.End,
];
const loadA = [...get(A), ...get(K), Op.I32Add, ...V128_LOAD];
const loadB = [...get(B), ...get(K), Op.I32Add, ...V128_LOAD];

const BODY = [
  0x03, 0x06, 0x7f, 0x02, 0x7b, 0x01, 0x7d, // locals: 6 × i32 (i, j, hi, a, b, k), 2 × v128 (acc, d), 1 × f32 (s)
  ...i32(0), ...set(I),
  Op.Block, VOID, Op.Loop, VOID,
  ...get(I), ...get(ROWS), Op.I32GeS, Op.BrIf, 1,
  ...get(BAND), ...get(I), ...i32(3), Op.I32Shl, Op.I32Add, Op.LocalTee, B, Op.I32Load, 0x02, 0x00, ...set(J),
  ...get(B), Op.I32Load, 0x02, 0x04, ...set(HI),
  ...get(ROW), ...get(I), ...get(DIM_BYTES), Op.I32Mul, Op.I32Add, ...set(A),
  Op.Block, VOID, Op.Loop, VOID,
  ...get(J), ...get(HI), Op.I32GtS, Op.BrIf, 1,
  ...get(COL), ...get(J), ...get(DIM_BYTES), Op.I32Mul, Op.I32Add, ...set(B),
  ...get(MODE), ...i32(2), Op.I32Eq, Op.If, VOID,
  ...dimLoop([...get(ACC), ...loadA, ...loadB, ...F32X4_MUL, ...F32X4_ADD]),
  Op.Else,
  ...dimLoop([...loadA, ...loadB, ...F32X4_SUB, Op.LocalTee, D, ...get(D), ...F32X4_MUL, ...get(ACC), ...F32X4_ADD]),
  Op.End,
  ...get(ACC), ...lane(0), ...get(ACC), ...lane(1), Op.F32Add, ...get(ACC), ...lane(2), ...get(ACC), ...lane(3), Op.F32Add, Op.F32Add, ...set(S),
  ...get(MODE), ...i32(1), Op.I32Eq, Op.If, VOID, ...get(S), Op.F32Sqrt, ...set(S), Op.End,
  ...get(MODE), ...i32(2), Op.I32Eq, Op.If, VOID, ...f32(0), ...f32(1), ...get(S), Op.F32Sub, Op.F32Max, ...set(S), Op.End,
  ...get(OUT), ...get(S), Op.F32Store, 0x02, 0x00,
  ...get(OUT), ...i32(4), Op.I32Add, ...set(OUT),
  ...get(J), ...i32(1), Op.I32Add, ...set(J),
  Op.Br, 0,
  Op.End, Op.End,
  ...get(I), ...i32(1), Op.I32Add, ...set(I),
  Op.Br, 0,
  Op.End, Op.End,
  Op.End,
];

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}
const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
const ascii = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x07, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // (i32 × 7) → ()
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, 0x01]), // memory, min 1 page
    ...section(7, [0x02, ...ascii('memory'), 0x02, 0x00, ...ascii('costs'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb(BODY.length), ...BODY]),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

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

/** The band's cost cells of sequence pairs of one set, computed by the SIMD kernel. */
export interface SimdBandCosts {
  /**
   * Costs of rows [firstRow, firstRow + rows) of pair (r, c) — r the row
   * sequence — for the columns lo[i] … hi[i] of each row, packed row after
   * row. The returned view is overwritten by the next call.
   */
  costs(r: number, c: number, firstRow: number, rows: number, lo: Int32Array, hi: Int32Array): Float32Array;
}

const MODES: Record<FrameCost, number> = { sqeuclidean: 0, euclidean: 1, cosine: 2 };

/** A SIMD kernel holding a copy of the set's frames, or null where WebAssembly SIMD is unavailable. */
export function createSimdBandCosts(set: SequenceSet, cost: FrameCost, maxCells: number): SimdBandCosts | null {
  const mod = simdModule();
  if (!mod) return null;
  const instance = new WebAssembly.Instance(mod, {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  const kernel = instance.exports.costs as (row: number, rows: number, col: number, band: number, dimBytes: number, out: number, mode: number) => void;
  const padded = Math.ceil(set.dim / 4) * 4;
  const frames = set.data.length / set.dim;
  const dataBytes = frames * padded * 4;
  let longest = 1;
  for (let i = 0; i < set.lengths.length; i++) longest = Math.max(longest, set.lengths[i]);
  const bandAt = dataBytes;
  const outAt = bandAt + longest * 8;
  const needed = outAt + maxCells * 4;
  if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
  const frameView = new Float32Array(memory.buffer, 0, frames * padded);
  for (let f = 0; f < frames; f++) frameView.set(set.data.subarray(f * set.dim, (f + 1) * set.dim), f * padded);
  const bandView = new Int32Array(memory.buffer, bandAt, longest * 2);
  const outView = new Float32Array(memory.buffer, outAt, maxCells);
  const frameBytes = padded * 4;
  const mode = MODES[cost];
  return {
    costs(r, c, firstRow, rows, lo, hi) {
      for (let k = 0; k < rows; k++) {
        bandView[2 * k] = lo[firstRow + k];
        bandView[2 * k + 1] = hi[firstRow + k];
      }
      kernel((set.offsets[r] + firstRow) * frameBytes, rows, set.offsets[c] * frameBytes, bandAt, frameBytes, outAt, mode);
      return outView;
    },
  };
}
