/**
 * im2col/col2im convolution kernels for the tfjs WASM backend.
 *
 * The stock WASM build has no Conv2DBackpropFilter at all, its Conv2DBackpropInput
 * (the forward pass of every transposed convolution) is a naive loop; Conv2D is
 * replaced too so training uses one code path. All three are
 * rewritten here as "move data in JS, multiply in XNNPACK": rows of output pixels
 * are processed in bounded chunks so the temporary patch matrix stays ~16 MB.
 */
import * as tf from '@tensorflow/tfjs';
import {
  col2imAdd, convGeometryFromAttrs, im2col, rowsPerChunk, type ConvGeometry,
} from './conv-geometry';
import {
  allocate, copyRun, heapF32, matMul, offsetOf, release, transpose2d, transposeInto, type WasmBackend,
} from './wasm-heap';

type TensorInfo = tf.TensorInfo;

interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

/**
 * The forward im2col convolution shared by Conv2D and FusedConv2D: for each chunk of
 * output pixels, writes the patch rows, asks `multiply` for the [rows, outC] product
 * (which this function releases) and copies it into the NHWC output.
 */
export function im2colForward(
  b: WasmBackend, g: ConvGeometry, x: TensorInfo,
  multiply: (cols: TensorInfo, rows: number) => TensorInfo,
): TensorInfo {
  const total = g.batch * g.outH * g.outW;
  const chunk = rowsPerChunk(g);
  const out = allocate(b, [g.batch, g.outH, g.outW, g.outC]);
  const cols = allocate(b, [chunk, g.patch]);
  try {
    for (let p0 = 0; p0 < total; p0 += chunk) {
      const rows = Math.min(total, p0 + chunk) - p0;
      im2col(heapF32(b), g, offsetOf(b, x), p0, p0 + rows, offsetOf(b, cols));
      const prod = multiply(cols, rows);
      try {
        copyRun(heapF32(b), offsetOf(b, out) + p0 * g.outC, offsetOf(b, prod), rows * g.outC);
      } finally {
        release(b, prod);
      }
    }
  } catch (error) {
    release(b, out);
    throw error;
  } finally {
    release(b, cols);
  }
  return out;
}

/** Conv2D forward: out[p, :] = im2col(x)[p, :] × filter[kh·kw·ci, co]. */
export function conv2dIm2col({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo {
  const b = backend as WasmBackend;
  const { x, filter } = inputs;
  const g = convGeometryFromAttrs(x.shape, filter.shape, attrs, (attrs.dilations as number | [number, number]) ?? 1);
  return im2colForward(b, g, x, (cols, rows) => matMul(b, cols, rows, g.patch, filter, g.outC));
}

/**
 * dFilter[k, co] = Σ_p im2col(x)[p, k]·dy[p, co], as im2colᵀ × dy per chunk. The
 * patch matrix is transposed by the backend so it is XNNPACK's left operand
 * (left operands are used in place; right operands are re-packed on every call).
 */
export function conv2dBackpropFilterIm2col({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo {
  const b = backend as WasmBackend;
  const { x, dy } = inputs;
  const filterShape = attrs.filterShape as number[];
  const g = convGeometryFromAttrs(x.shape, filterShape, attrs, 1);
  const total = g.batch * g.outH * g.outW;
  const chunk = rowsPerChunk(g);
  const out = allocate(b, filterShape);
  const cols = allocate(b, [chunk, g.patch]);
  try {
    heapF32(b).fill(0, offsetOf(b, out), offsetOf(b, out) + g.patch * g.outC);
    for (let p0 = 0; p0 < total; p0 += chunk) {
      const rows = Math.min(total, p0 + chunk) - p0;
      let colsT: TensorInfo | undefined;
      let dyRows: TensorInfo | undefined;
      let prod: TensorInfo | undefined;
      try {
        im2col(heapF32(b), g, offsetOf(b, x), p0, p0 + rows, offsetOf(b, cols));
        colsT = transpose2d(b, cols, rows, g.patch);
        // A fresh right operand per chunk: XNNPACK caches packed right operands by tensor id.
        if (rows < total) {
          dyRows = allocate(b, [rows, g.outC]);
          copyRun(heapF32(b), offsetOf(b, dyRows), offsetOf(b, dy) + p0 * g.outC, rows * g.outC);
        }
        prod = matMul(b, colsT, g.patch, rows, dyRows ?? dy, g.outC);
        const heap = heapF32(b);
        const src = offsetOf(b, prod);
        const dst = offsetOf(b, out);
        for (let i = 0, n = g.patch * g.outC; i < n; i++) heap[dst + i] += heap[src + i];
      } finally {
        release(b, prod);
        release(b, dyRows);
        release(b, colsT);
      }
    }
  } catch (error) {
    release(b, out);
    throw error;
  } finally {
    release(b, cols);
  }
  return out;
}

/** dx = col2im(dy × filterᵀ): the transposed convolution, chunked over output pixels. */
export function conv2dBackpropInputIm2col({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo {
  const b = backend as WasmBackend;
  const { dy, filter } = inputs;
  const inputShape = attrs.inputShape as number[];
  const g = convGeometryFromAttrs(inputShape, filter.shape, attrs, 1);
  const total = g.batch * g.outH * g.outW;
  const chunk = rowsPerChunk(g);
  const filterT = allocate(b, [g.outC, g.patch]);
  const dyChunk = chunk < total ? allocate(b, [chunk, g.outC]) : undefined;
  const dx = allocate(b, inputShape);
  try {
    let heap = heapF32(b);
    transposeInto(heap, offsetOf(b, filter), g.patch, g.outC, offsetOf(b, filterT));
    const dxOff = offsetOf(b, dx);
    heap.fill(0, dxOff, dxOff + g.batch * g.inH * g.inW * g.inC);
    for (let p0 = 0; p0 < total; p0 += chunk) {
      const rows = Math.min(total, p0 + chunk) - p0;
      if (dyChunk) copyRun(heapF32(b), offsetOf(b, dyChunk), offsetOf(b, dy) + p0 * g.outC, rows * g.outC);
      const prod = matMul(b, dyChunk ?? dy, rows, g.outC, filterT, g.patch);
      try {
        heap = heapF32(b);
        col2imAdd(heap, g, offsetOf(b, prod), p0, p0 + rows, offsetOf(b, dx));
      } finally {
        release(b, prod);
      }
    }
  } catch (error) {
    release(b, dx);
    throw error;
  } finally {
    release(b, dyChunk);
    release(b, filterT);
  }
  return dx;
}
