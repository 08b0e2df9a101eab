/** Public API of the models module: backends, the two 2019 encoders, the silence head. */
export { initBackend, defaultWasmDir, type ActiveBackend, type BackendName, type BackendPreference, type InitBackendOptions } from './backend';
export { buildConvnetV1, EMBEDDING_SIZE, WINDOW_SHAPE, type ConvnetV1, type ConvnetV1Options } from './convnet-v1';
export { buildLstmV3, type LstmV3, type LstmV3Options } from './lstm-v3';
export {
  buildSilenceHead, computeClassWeights, predictSilence, trainSilenceHead,
  type SilenceHeadOptions, type TrainHeadOptions,
} from './silence-head';
export { formatModelSummary } from './model-summary';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm-kernels/register-wasm-kernels';
export { createEncoderPool, serializeForWorkers, type EncoderPool, type EncoderPoolOptions } from './parallel/encoder-pool';
export { forwardFlopsPerWindow } from './model-flops';
