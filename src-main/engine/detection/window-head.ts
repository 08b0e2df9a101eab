/**
 * A window-level silence head's probabilities for rows of embeddings (a
 * distributed worker can return them with the embeddings of a shard, when a
 * head is given). Detection's regions come from frame-level heads now
 * (frames/detection-head.ts); the shipped default model still carries one.
 */
import * as tf from '@tensorflow/tfjs';

const PREDICT_CHUNK = 16_384;

/**
 * Probability of silence for rows of cached embeddings, in inference mode
 * (dropout off, BatchNorm moving statistics), in chunks that keep the
 * tensors small.
 */
export function predictHead(head: tf.LayersModel, data: Float32Array, dims: number): Float32Array {
  const n = data.length / dims;
  const out = new Float32Array(n);
  for (let start = 0; start < n; start += PREDICT_CHUNK) {
    const end = Math.min(n, start + PREDICT_CHUNK);
    const p = tf.tidy(() => head.apply(tf.tensor2d(data.subarray(start * dims, end * dims), [end - start, dims]), { training: false }) as tf.Tensor);
    try {
      out.set(p.dataSync() as Float32Array, start);
    } finally {
      p.dispose();
    }
  }
  // Sigmoid output is in [0, 1] mathematically; clamp float noise so the store's range check holds.
  for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, out[i]));
  return out;
}
