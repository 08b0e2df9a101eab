/**
 * FusedConv2D (convolution + bias + activation, what tf.layers.conv2d runs) for
 * the tfjs WASM backend, built on the im2col convolution: each chunk of output
 * pixels is one XNNPACK fully-connected product with the bias and activation
 * fused into it (the backend's own _FusedMatMul). The stock kernel's XNNPACK
 * convolution is slow for these encoders' 8×8 filters (≈5 GFLOP/s for V3's
 * 1→64 layer), while the same FLOPs as one large matMul run near peak.
 * Configurations it does not cover (PReLU weights, non-NHWC) go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometryFromAttrs } from './conv-geometry';
import { im2colForward } from './conv2d-kernels';
import type { WasmBackend } from './wasm-heap';

type TensorInfo = tf.TensorInfo;
type KernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: object }) =>
  TensorInfo | TensorInfo[];

interface KernelArgs {
  inputs: Record<string, TensorInfo | null | undefined>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

/** Activations the backend's _FusedMatMul applies element-wise, exactly as FusedConv2D would. */
const FUSABLE = new Set(['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu']);

let stockFusedConv2d: KernelFunc | undefined;
let fusedMatMul: KernelFunc | undefined;

/** Remembers the backend's own FusedConv2D (the fallback) and _FusedMatMul before FusedConv2D is replaced. */
export function captureStockFusedConv2d(): void {
  if (!stockFusedConv2d) {
    const conv = tf.getKernel('FusedConv2D', 'wasm');
    const matMul = tf.getKernel('_FusedMatMul', 'wasm');
    if (!conv || !matMul) throw new Error('The WASM backend has no FusedConv2D/_FusedMatMul kernel; is @tensorflow/tfjs-backend-wasm loaded?');
    stockFusedConv2d = conv.kernelFunc as unknown as KernelFunc;
    fusedMatMul = matMul.kernelFunc as unknown as KernelFunc;
  }
}

function single(out: TensorInfo | TensorInfo[]): TensorInfo {
  return Array.isArray(out) ? out[0] : out;
}

/**
 * True when the im2col path is both exact (same semantics as the stock kernel) and
 * faster. Faster was measured per layer (CPU ms for 16 windows, stock → im2col):
 * one input channel wins (V3 1→64 stride 1: 80 → 74; V1 1→128 stride 2: 35 → 27),
 * while deep inputs lose (V1 128→64: 367 → 483; 64→32: 28 → 34), where XNNPACK's
 * own convolution already runs at matMul speed.
 */
function im2colCovers(inputs: KernelArgs['inputs'], attrs: Record<string, unknown>): boolean {
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  return inputs.x?.shape.length === 4 && inputs.x.shape[3] === 1
    && dataFormat === 'NHWC' && FUSABLE.has(activation) && !inputs.preluActivationWeights
    && (!inputs.bias || inputs.bias.shape.length === 1);
}

/**
 * FusedConv2D: out[p, :] = act(im2col(x)[p, :] × filter + bias), chunked over
 * output pixels so the patch matrix stays bounded (see rowsPerChunk).
 */
export function fusedConv2dIm2col(args: KernelArgs): TensorInfo {
  captureStockFusedConv2d();
  const { inputs, backend, attrs = {} } = args;
  if (!im2colCovers(inputs, attrs)) return single(stockFusedConv2d!(args as Parameters<KernelFunc>[0]));
  const b = backend as WasmBackend;
  const x = inputs.x!;
  const filter = inputs.filter!;
  const bias = inputs.bias ?? null;
  const g = convGeometryFromAttrs(x.shape, filter.shape, attrs, (attrs.dilations as number | [number, number] | undefined) ?? 1);
  if (bias && bias.shape[0] !== g.outC) {
    throw new Error(`FusedConv2D bias has ${bias.shape[0]} values for ${g.outC} output channels.`);
  }
  const matMulAttrs = {
    transposeA: false, transposeB: false,
    activation: (attrs.activation as string | undefined) ?? 'linear',
    // The stock kernel treats a missing alpha as 0; so does this one.
    leakyreluAlpha: (attrs.leakyreluAlpha as number | undefined) ?? 0,
  };
  return im2colForward(b, g, x, (cols, rows) => single(fusedMatMul!({
    inputs: {
      a: { ...cols, shape: [1, rows, g.patch] },
      b: { ...filter, shape: [1, g.patch, g.outC] },
      ...(bias ? { bias } : {}),
    },
    backend,
    attrs: matMulAttrs,
  })));
}
