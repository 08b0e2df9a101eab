/**
 * Runs inside a model worker thread: its own tfjs backend (WASM is single-
 * threaded in Node, so one backend per thread is how a second core gets used)
 * holding either an encoder for inference or a training replica. Requests are
 * handled strictly in arrival order. Loaded via resolveModelWorkerEntry().
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { toErrorInfo } from '../../../../src-shared/errors';
import { initBackend } from '../backend';
import { WINDOW_SHAPE } from '../convnet-v1';
import { registerFastOrthogonal } from '../orthogonal';
import { createEncoderTrainer, type EncoderTrainer } from '../train-encoder';
import { applyFlatGradients, computeShareGradients, readStatistics, writeStatistics } from './gradient-step';
import type { ModelWorkerMessage, ModelWorkerReply, ModelWorkerRequest, ModelWorkerResult, ModelWorkerStartData } from './model-worker-protocol';

const port = parentPort;
if (!port) throw new Error('model-worker-host.ts must run inside a worker thread.');
const start = workerData as ModelWorkerStartData;
const ready = initBackend(start.backend);
let model: tf.LayersModel | null = null;
let trainer: EncoderTrainer | null = null;

function needTrainer(): EncoderTrainer {
  if (!trainer) throw new Error('This worker holds no training replica.');
  return trainer;
}

async function handle(request: ModelWorkerRequest): Promise<{ result: ModelWorkerResult; transfer: ArrayBuffer[] }> {
  switch (request.op) {
    case 'load-model': {
      model?.dispose();
      registerFastOrthogonal(); // layers are initialised before the weights arrive: V3's took seconds per thread
      model = await tf.loadLayersModel(tf.io.fromMemory(request.model as tf.io.ModelArtifacts));
      return { result: { op: 'load-model' }, transfer: [] };
    }
    case 'embed': {
      if (!model) throw new Error('This worker has no encoder loaded.');
      const m = model;
      const embeddings = tf.tidy(() => {
        const x = tf.tensor4d(request.windows, [request.count, ...WINDOW_SHAPE]);
        // A copy with its own buffer, so it can be transferred back.
        return Float32Array.from((m.predict(x, { batchSize: request.count }) as tf.Tensor).dataSync() as Float32Array);
      });
      return { result: { op: 'embed', embeddings }, transfer: [embeddings.buffer as ArrayBuffer] };
    }
    case 'create-trainer': {
      trainer = createEncoderTrainer(request.recipe.kind, request.recipe);
      const t = trainer;
      tf.tidy(() => t.trainer.setWeights(request.weights.map((v, i) => tf.tensor(v, t.trainer.weights[i].read().shape))));
      return { result: { op: 'create-trainer' }, transfer: [] };
    }
    case 'gradients': {
      const t = needTrainer();
      const frames = WINDOW_SHAPE[0];
      const bins = WINDOW_SHAPE[1];
      const x = tf.tensor4d(request.x, [request.count, frames, bins, 1]);
      const y = t.targetFrames > 0 ? tf.tensor2d(request.y, [request.count, t.targetFrames * bins]) : x;
      try {
        const { loss, gradients } = computeShareGradients(t.trainer, x, y);
        const statistics = readStatistics(t.trainer);
        return { result: { op: 'gradients', loss, gradients, statistics }, transfer: [gradients.buffer as ArrayBuffer, statistics.buffer as ArrayBuffer] };
      } finally {
        tf.dispose(y === x ? [x] : [x, y]);
      }
    }
    case 'apply': {
      const t = needTrainer();
      applyFlatGradients(t.trainer, request.gradients);
      writeStatistics(t.trainer, request.statistics);
      return { result: { op: 'apply' }, transfer: [] };
    }
    case 'read-weights': {
      const weights = needTrainer().trainer.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
      return { result: { op: 'read-weights', weights }, transfer: weights.map((w) => w.buffer as ArrayBuffer) };
    }
  }
}

// One request at a time, in order: a training step's 'apply' must finish before the next 'gradients'.
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: ModelWorkerMessage) => {
  queue = queue.then(async () => {
    let reply: ModelWorkerReply;
    let transfer: ArrayBuffer[] = [];
    try {
      await ready;
      const handled = await handle(message.request);
      reply = { id: message.id, result: handled.result };
      transfer = handled.transfer;
    } catch (error) {
      reply = { id: message.id, error: toErrorInfo(error) };
    }
    port.postMessage(reply, transfer);
  });
});
