/**
 * Low-level access to the tfjs WASM backend's heap, shared by the hand-written
 * training kernels. Data movement (im2col, col2im, transposes) happens in JS
 * directly on the heap; every FLOP-heavy product goes through the backend's own
 * XNNPACK matMul, which is the only fast path the WASM build offers.
 */
import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;

/** The subset of tfjs-backend-wasm's `BackendWasm` the kernels rely on. */
export interface WasmBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number; id: number } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

type KernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: object }) =>
  TensorInfo | TensorInfo[];

let batchMatMul: KernelFunc | undefined;
let transpose: KernelFunc | undefined;

function kernelOf(name: string): KernelFunc {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`The WASM backend has no ${name} kernel; is @tensorflow/tfjs-backend-wasm loaded?`);
  return kernel.kernelFunc as unknown as KernelFunc;
}

/** Remembers the backend's own BatchMatMul and Transpose before anything is overridden. */
export function captureWasmMatMul(): void {
  batchMatMul ??= kernelOf('BatchMatMul');
  transpose ??= kernelOf('Transpose');
}

/** `[rows, cols]` → new `[cols, rows]` tensor, with the backend's compiled Transpose. */
export function transpose2d(backend: WasmBackend, a: TensorInfo, rows: number, cols: number): TensorInfo {
  if (!transpose) captureWasmMatMul();
  const out = transpose!({ inputs: { x: { ...a, shape: [rows, cols] } }, backend, attrs: { perm: [1, 0] } });
  return Array.isArray(out) ? out[0] : out;
}

/** A float32 view of the whole WASM heap; re-fetch it after every allocation (the heap may grow). */
export function heapF32(backend: WasmBackend): Float32Array {
  return new Float32Array(backend.wasm.HEAPU8.buffer);
}

/** Index of a tensor's first element in `heapF32`. */
export function offsetOf(backend: WasmBackend, info: TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset >> 2;
}

/** Allocates an uninitialised float32 tensor on the WASM heap. */
export function allocate(backend: WasmBackend, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/** Releases a tensor this module allocated (never call it on kernel inputs). */
export function release(backend: WasmBackend, info: TensorInfo | undefined): void {
  if (info) backend.disposeData(info.dataId);
}

/**
 * `a [m,k] × b [k,n]` with the backend's XNNPACK path. Only the untransposed,
 * batch-1 form is fast on WASM (the transposed forms fall back to a naive loop).
 * XNNPACK caches the packed `b` by tensor id, so `b` must never be mutated after
 * it has been used here; callers pass freshly allocated `b` tensors.
 */
export function matMul(backend: WasmBackend, a: TensorInfo, m: number, k: number, b: TensorInfo, n: number): TensorInfo {
  if (!batchMatMul) captureWasmMatMul();
  const out = batchMatMul!({
    inputs: { a: { ...a, shape: [1, m, k] }, b: { ...b, shape: [1, k, n] } },
    backend,
    attrs: { transposeA: false, transposeB: false, bias: null, activation: 'linear' },
  });
  return Array.isArray(out) ? out[0] : out;
}

/** Copies `len` floats inside the heap; short runs are faster as a plain loop. */
export function copyRun(heap: Float32Array, dst: number, src: number, len: number): void {
  if (len < 32) {
    for (let i = 0; i < len; i++) heap[dst + i] = heap[src + i];
  } else {
    heap.copyWithin(dst, src, src + len);
  }
}

/** Transposes a row-major `[rows, cols]` block at `src` into `[cols, rows]` at `dst`. */
export function transposeInto(heap: Float32Array, src: number, rows: number, cols: number, dst: number): void {
  for (let r = 0; r < rows; r++) {
    const s = src + r * cols;
    for (let c = 0; c < cols; c++) heap[dst + c * rows + r] = heap[s + c];
  }
}
