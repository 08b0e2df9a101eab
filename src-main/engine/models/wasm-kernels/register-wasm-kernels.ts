/**
 * Installs the im2col convolution kernels on the tfjs WASM backend so that both
 * models can train (and run) at a usable speed without tfjs-node.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { conv2dBackpropFilterIm2col, conv2dBackpropInputIm2col, conv2dIm2col } from './conv2d-kernels';
import { captureStockFusedConv2d, fusedConv2dIm2col } from './fused-conv2d-kernel';
import { captureWasmMatMul } from './wasm-heap';

/** Kernels this module provides for 'wasm', and why each is needed. */
export const WASM_TRAINING_KERNELS = {
  /** Missing from tfjs-backend-wasm 4.22: without it no convolution can train. */
  Conv2DBackpropFilter: conv2dBackpropFilterIm2col,
  /** Present but a naive loop (~3 windows/s for the V1 decoder). */
  Conv2DBackpropInput: conv2dBackpropInputIm2col,
  /**
   * Present (XNNPACK); replaced so the un-fused convolutions of training (e.g. the input
   * gradient of a transposed conv) share one code path. Measured equal or faster here
   * (V3's 1→64 8×8 stride-1 conv: ~46 vs ~70 ms per 8 windows). Layers run FusedConv2D (below).
   */
  Conv2D: conv2dIm2col,
  /**
   * What tf.layers.conv2d runs (bias fused in). Replaced for one-input-channel convolutions
   * (both models' first layer), where XNNPACK's convolution is slower than im2col + one
   * fused matMul; other configurations are passed on to the stock kernel.
   */
  FusedConv2D: fusedConv2dIm2col,
} as const;

let registered = false;

/**
 * Registers (or replaces) the WASM convolution kernels. Idempotent; safe to call
 * before or after the WASM backend is initialised.
 * @returns the kernel names now served by this module.
 */
export function registerWasmTrainingKernels(): string[] {
  if (registered) return Object.keys(WASM_TRAINING_KERNELS);
  captureWasmMatMul();
  captureStockFusedConv2d();
  for (const [kernelName, impl] of Object.entries(WASM_TRAINING_KERNELS)) {
    const stock = tf.getKernel(kernelName, 'wasm');
    if (stock) tf.unregisterKernel(kernelName, 'wasm');
    // The stock setup (binding its WASM function) still runs, so fallbacks to the stock kernel work.
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: impl as unknown as tf.KernelFunc, setupFunc: stock?.setupFunc });
  }
  registered = true;
  return Object.keys(WASM_TRAINING_KERNELS);
}
