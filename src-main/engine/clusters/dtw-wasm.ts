/**
 * The whole DTW of one pair in WebAssembly: SIMD frame costs and the dynamic
 * programme over the band, in one call per pair (doing only the costs in
 * WebAssembly and the programme in JS left half the time in the JS loop and
 * the calls between the two).
 *
 * The costs are vectorised across FOUR COLUMNS at once: the column sequence
 * is read from a transposed copy (value d of frames j … j+3 are adjacent), so
 * one f32x4 step adds (a_d − b_d)² for four cells, and one f32x4.sqrt serves
 * four cells; the programme then walks the four lanes. Assembled here from
 * named opcodes (no toolchain in the build, as fir-simd.ts), one module per
 * frame size, transposed stride and cost, so the frame loop is unrolled with
 * constant load offsets. Text form, for rows r = 0 … n−1 of the longer sequence:
 *
 *   (func (export "dtw") (param $rowBase $n $colT $unused $band $bufA $bufB $mode i32) (param $limit f32) (result f32)
 *     prev = bufA; cur = bufB
 *     for r: lo, hi = band[r]; a = rowBase + r·frameBytes
 *       cur[lo] = +inf; left = rowMin = +inf          ; cell (r, lo−1) lies outside the band
 *       for c = lo; c ≤ hi; c += 4:
 *         acc = Σ_d (splat(a[d]) − colT[d][c … c+3])²   ; or Σ a·b (cosine); √ for Euclidean
 *         vm = min(prev[c+1 … c+4] + acc, prev[c … c+3] + 2·acc) ; above and diagonal, four lanes at once
 *         for each lane while c ≤ hi:
 *           s = acc[lane]
 *           best = min(vm[lane], left + s)
 *           cur[c+1] = left = best; rowMin = min(rowMin, best); c++
 *       if rowMin > limit: return +inf                 ; every path crosses every row
 *       swap(prev, cur)
 *     return prev[last column + 1]
 *
 * Buffers hold DP values shifted by one column (index c+1 = column c); the
 * caller fills both with +inf except bufA[0] = 0, which starts the path at
 * (0,0) with weight 2 (symmetric2, as dtw.ts). The band's lo/hi never
 * decrease, so cells right of a row's band are still +inf from the fill, and
 * the cell left of it is set explicitly.
 */
import { bandRanges, type FrameCost } from './dtw';
import type { SequenceSet } from './sequences';
import { kernelModuleBytes, leb, sleb, ValType } from '../util/wasm-assembly';

const Op = {
  Block: 0x02, Loop: 0x03, If: 0x04, Else: 0x05, End: 0x0b, Br: 0x0c, BrIf: 0x0d, Return: 0x0f,
  LocalGet: 0x20, LocalSet: 0x21, LocalTee: 0x22,
  I32Load: 0x28, F32Load: 0x2a, F32Store: 0x38, I32Const: 0x41, F32Const: 0x43,
  I32Eq: 0x46, I32GtS: 0x4a, I32GeS: 0x4e, I32LtS: 0x48, F32Gt: 0x5e,
  I32Add: 0x6a, I32Sub: 0x6b, I32Mul: 0x6c, I32Shl: 0x74,
  F32Sqrt: 0x91, F32Add: 0x92, F32Sub: 0x93, F32Min: 0x96, F32Max: 0x97,
} as const;
const VOID = 0x40;
const SIMD = 0xfd;
const v128Load = (offset: number) => [SIMD, 0x00, 0x00, ...leb(offset)]; // alignment hint 1: columns start anywhere
const f32LoadAt = (offset: number) => [Op.F32Load, 0x02, ...leb(offset)];
const V128_ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];
const F32X4_ADD = [SIMD, 0xe4, 0x01];
const F32X4_SUB = [SIMD, 0xe5, 0x01];
const F32X4_MUL = [SIMD, 0xe6, 0x01];
const F32X4_SQRT = [SIMD, 0xe3, 0x01];
const F32X4_MAX = [SIMD, 0xe9, 0x01];
/**
 * Every minimum of the programme is f32x4.pmin (b < a ? b : a), one minps:
 * V8 compiles the scalar f32.min to a sequence with data-dependent branches
 * (NaN and −0 handling) that cost a third of the kernel's time. Both give
 * the same value here, where every value is finite and ≥ +0 (createWasmDtw
 * refuses sets with non-finite values, which then take the JS path).
 */
const F32X4_PMIN = [SIMD, 0xea, 0x01];
const F32X4_SPLAT = [SIMD, 0x13];
const V128_ONES = [SIMD, 0x0c, ...Array.from({ length: 4 }, () => Array.from(new Uint8Array(Float32Array.of(1).buffer))).flat()];
const lane = (k: number) => [SIMD, 0x1f, k];
const f32 = (x: number) => [Op.F32Const, ...new Uint8Array(Float32Array.of(x).buffer)];
const get = (l: number) => [Op.LocalGet, l];
const set = (l: number) => [Op.LocalSet, l];
const i32 = (x: number) => [Op.I32Const, x];
/** i32.const of any value (signed LEB128). */
const i32c = (x: number) => [Op.I32Const, ...sleb(x)];
const F32_LOAD = [Op.F32Load, 0x02, 0x00];
const F32_STORE = [Op.F32Store, 0x02, 0x00];

// Parameters 0–8, then locals.
const [ROW_BASE, N, COL_BASE, DIM_BYTES, BAND, BUF_A, BUF_B, MODE, LIMIT] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [ROW, COL, LO, HI, A, B, K, PREV, CUR, TMP, PP, CP] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
const [ACC, D, VM] = [21, 22, 23];
const [S, LEFT, BEST, ROW_MIN] = [24, 25, 26, 27];

/** `base + 4·index` on the stack. */
const floatAt = (base: number, index: number[]) => [...get(base), ...index, ...i32(2), Op.I32Shl, Op.I32Add];

/**
 * acc = the costs of columns col … col+3 of the current row: the row frame's
 * values splatted against the transposed column block, unrolled over `dim`.
 */
function groupCosts(dim: number, strideBytes: number, mode: number): number[] {
  const out: number[] = [...get(COL_BASE), ...get(COL), ...i32(2), Op.I32Shl, Op.I32Add, ...set(B), ...V128_ZERO, ...set(ACC)];
  for (let d = 0; d < dim; d++) {
    const a = [...get(A), ...f32LoadAt(4 * d), ...F32X4_SPLAT];
    const b = [...get(B), ...v128Load(d * strideBytes)];
    out.push(...(mode === 2
      ? [...get(ACC), ...a, ...b, ...F32X4_MUL, ...F32X4_ADD]
      : [...a, ...b, ...F32X4_SUB, Op.LocalTee, D, ...get(D), ...F32X4_MUL, ...get(ACC), ...F32X4_ADD]), ...set(ACC));
  }
  if (mode === 1) out.push(...get(ACC), ...F32X4_SQRT, ...set(ACC));
  if (mode === 2) out.push(...V128_ZERO, ...V128_ONES, ...get(ACC), ...F32X4_SUB, ...F32X4_MAX, ...set(ACC));
  return out;
}

/**
 * The part of the programme that does not depend on the cell to the left,
 * for the four columns of the group at once (PP points at prev[col]):
 * vm = min(prev[col+1 …] + acc, prev[col …] + acc + acc), the same
 * additions in the same order as one cell at a time, so the same values.
 */
const groupAboveAndDiagonal = [
  ...get(PP), ...v128Load(4), ...get(ACC), ...F32X4_ADD,
  ...get(PP), ...v128Load(0), ...get(ACC), ...F32X4_ADD, ...get(ACC), ...F32X4_ADD,
  ...F32X4_PMIN, ...set(VM),
];

/**
 * The programme's step for column col + k of the group with cost = lane k
 * of acc. CP points at cur[col] (index col = column col − 1), so the cell's
 * slot is a constant offset from it.
 */
const cellStep = (k: number) => [
  ...get(ACC), ...lane(k), ...set(S),
  // best = min(prev[col+1] + s, prev[col] + 2s, left + s), the first two from vm
  ...get(VM), ...lane(k), ...F32X4_SPLAT,
  ...get(LEFT), ...get(S), Op.F32Add, ...F32X4_SPLAT,
  ...F32X4_PMIN, ...lane(0), Op.LocalTee, BEST, ...set(LEFT),
  ...get(CP), ...get(BEST), Op.F32Store, 0x02, 4 + 4 * k,
  ...get(ROW_MIN), ...F32X4_SPLAT, ...get(BEST), ...F32X4_SPLAT, ...F32X4_PMIN, ...lane(0), ...set(ROW_MIN),
];

/** Leaves the row's column loop when lane k of the group lies past the band (K = hi − the group's first column). */
const exitBeforeLane = (k: number) => [...get(K), ...i32(k), Op.I32LtS, Op.BrIf, 1];

const body = (dim: number, strideBytes: number, rowFrameBytes: number, mode: number) => [
  0x03, 0x0c, 0x7f, 0x03, 0x7b, 0x04, 0x7d, // locals: 12 × i32, 3 × v128, 4 × f32
  ...get(BUF_A), ...set(PREV), ...get(BUF_B), ...set(CUR),
  ...i32(0), ...set(ROW),
  Op.Block, VOID, Op.Loop, VOID,
  ...get(ROW), ...get(N), Op.I32GeS, Op.BrIf, 1,
  ...get(BAND), ...get(ROW), ...i32(3), Op.I32Shl, Op.I32Add, Op.LocalTee, TMP, Op.I32Load, 0x02, 0x00, ...set(LO),
  ...get(TMP), Op.I32Load, 0x02, 0x04, ...set(HI),
  ...get(ROW_BASE), ...get(ROW), ...i32c(rowFrameBytes), Op.I32Mul, Op.I32Add, ...set(A),
  ...floatAt(CUR, get(LO)), ...f32(Infinity), ...F32_STORE,
  ...f32(Infinity), ...set(LEFT), ...f32(Infinity), ...set(ROW_MIN),
  ...get(LO), ...set(COL),
  ...floatAt(PREV, get(LO)), ...set(PP),
  ...floatAt(CUR, get(LO)), ...set(CP),
  Op.Block, VOID, Op.Loop, VOID,
  ...get(COL), ...get(HI), Op.I32GtS, Op.BrIf, 1,
  ...groupCosts(dim, strideBytes, mode),
  ...groupAboveAndDiagonal,
  ...get(HI), ...get(COL), Op.I32Sub, ...set(K),
  ...cellStep(0),
  ...exitBeforeLane(1),
  ...cellStep(1),
  ...exitBeforeLane(2),
  ...cellStep(2),
  ...exitBeforeLane(3),
  ...cellStep(3),
  // The next group: four columns on (the cells' stores used constant offsets from CP).
  ...get(COL), ...i32(4), Op.I32Add, ...set(COL),
  ...get(PP), ...i32(16), Op.I32Add, ...set(PP),
  ...get(CP), ...i32(16), Op.I32Add, ...set(CP),
  Op.Br, 0,
  Op.End, Op.End,
  ...get(ROW_MIN), ...get(LIMIT), Op.F32Gt, Op.If, VOID, ...f32(Infinity), Op.Return, Op.End,
  ...get(PREV), ...set(TMP), ...get(CUR), ...set(PREV), ...get(TMP), ...set(CUR),
  ...get(ROW), ...i32(1), Op.I32Add, ...set(ROW),
  Op.Br, 0,
  Op.End, Op.End,
  // The last row's band ends at the last column: its value sits at index hi + 1.
  ...floatAt(PREV, [...get(HI), ...i32(1), Op.I32Add]), ...F32_LOAD,
  Op.End,
];

function moduleBytes(dim: number, strideBytes: number, rowFrameBytes: number, mode: number): Uint8Array<ArrayBuffer> {
  const { I32, F32 } = ValType;
  return kernelModuleBytes({
    name: 'dtw', params: [I32, I32, I32, I32, I32, I32, I32, I32, F32], results: [F32], body: body(dim, strideBytes, rowFrameBytes, mode),
  });
}

/** Compiled kernels by frame size, strides and cost; null where WebAssembly SIMD is unavailable. */
const compiled = new Map<string, WebAssembly.Module | null>();

function wasmModule(dim: number, strideBytes: number, rowFrameBytes: number, mode: number): WebAssembly.Module | null {
  const key = `${dim}:${strideBytes}:${rowFrameBytes}:${mode}`;
  if (!compiled.has(key)) {
    try {
      compiled.set(key, new WebAssembly.Module(moduleBytes(dim, strideBytes, rowFrameBytes, mode)));
    } catch {
      compiled.set(key, null);
    }
  }
  return compiled.get(key)!;
}

/** DTW of pairs of one set, computed entirely in WebAssembly. */
export interface WasmDtw {
  /**
   * The un-normalised DTW cost of sequences r (rows, the longer) and c over
   * the Sakoe–Chiba band, or +Infinity once a row exceeds `limit`.
   */
  pair(r: number, c: number, limit: number): number;
}

const MODES: Record<FrameCost, number> = { sqeuclidean: 0, euclidean: 1, cosine: 2 };

// The bands of every pair of lengths are laid out once in the module's memory when they fit: computing and copying
// a pair's band took ~15 % of its time on regions of 5–50 frames. Longer sequences compute theirs per pair.
const BAND_TABLE_MAX_LONGEST = 512;
const BAND_TABLE_MAX_BYTES = 8 << 20;

/** Bytes of the band table for these lengths (every n ≥ m of them), or 0 when it is not kept. */
function bandTableBytes(lengths: readonly number[], longest: number): number {
  if (longest > BAND_TABLE_MAX_LONGEST) return 0;
  let bytes = 0;
  lengths.forEach((n, i) => {
    bytes += (i + 1) * n * 8; // m = lengths[0 … i] ≤ n
  });
  return bytes <= BAND_TABLE_MAX_BYTES ? bytes : 0;
}

/**
 * A kernel holding a copy of the set's frames; null where WebAssembly SIMD
 * is unavailable or a frame holds a non-finite value (the JS path then
 * gives NaN for its pairs, which clustering refuses readably).
 */
export function createWasmDtw(set: SequenceSet, cost: FrameCost, band: number): WasmDtw | null {
  const { dim } = set;
  const count = set.lengths.length;
  let longest = 1;
  for (let i = 0; i < count; i++) longest = Math.max(longest, set.lengths[i]);
  // Transposed blocks: value d of frame j of a sequence at block + 4·(d·stride + j); 4 spare columns for the last group.
  const stride = longest + 4;
  const mode = MODES[cost];
  const mod = wasmModule(dim, stride * 4, dim * 4, mode);
  if (!mod || !set.data.every(Number.isFinite)) return null;
  const instance = new WebAssembly.Instance(mod, {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  const dtw = instance.exports.dtw as (...args: number[]) => number;
  const lengths = [...new Set(set.lengths)].sort((x, y) => x - y);
  const framesAt = 0;
  const transposedAt = set.data.length * 4;
  const blockBytes = dim * stride * 4;
  const bandAt = transposedAt + count * blockBytes;
  const bufA = bandAt + longest * 8;
  // A group's vector loads reach index hi + 4 ≤ longest + 3 of prev: room for them (their extra lanes are unused).
  const bufB = bufA + (longest + 6) * 4;
  const tableAt = bufB + (longest + 6) * 4;
  const needed = tableAt + bandTableBytes(lengths, longest);
  if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
  new Float32Array(memory.buffer, framesAt, set.data.length).set(set.data);
  const transposed = new Float32Array(memory.buffer, transposedAt, count * dim * stride);
  for (let s = 0; s < count; s++) {
    const base = s * dim * stride;
    const first = set.offsets[s] * dim;
    for (let j = 0; j < set.lengths[s]; j++) for (let d = 0; d < dim; d++) transposed[base + d * stride + j] = set.data[first + j * dim + d];
  }
  const lo = new Int32Array(longest);
  const hi = new Int32Array(longest);
  /** Writes the band of n rows × m columns into `view` (row k: lo, hi at 2k, 2k + 1). */
  const writeBand = (n: number, m: number, view: Int32Array) => {
    bandRanges(n, m, band, lo, hi);
    for (let k = 0; k < n; k++) {
      view[2 * k] = lo[k];
      view[2 * k + 1] = hi[k];
    }
  };
  // bandOffset[n · (longest + 1) + m]: where the band of (n, m) lies, when the table is kept.
  const bandOffset = needed > tableAt ? new Int32Array((longest + 1) * (longest + 1)) : null;
  if (bandOffset) {
    let at = tableAt;
    lengths.forEach((n, i) => {
      for (const m of lengths.slice(0, i + 1)) {
        writeBand(n, m, new Int32Array(memory.buffer, at, 2 * n));
        bandOffset[n * (longest + 1) + m] = at;
        at += n * 8;
      }
    });
  }
  const bandView = new Int32Array(memory.buffer, bandAt, 2 * longest);
  const a = new Float32Array(memory.buffer, bufA, longest + 2);
  const b = new Float32Array(memory.buffer, bufB, longest + 2);
  return {
    pair(r, c, limit) {
      const n = set.lengths[r];
      const m = set.lengths[c];
      let at = bandAt;
      if (bandOffset) at = bandOffset[n * (longest + 1) + m];
      else writeBand(n, m, bandView);
      a.fill(Infinity, 0, m + 2);
      b.fill(Infinity, 0, m + 2);
      a[0] = 0;
      return dtw(framesAt + set.offsets[r] * dim * 4, n, transposedAt + c * blockBytes, 0, at, bufA, bufB, mode, Math.fround(limit));
    },
  };
}
