/**
 * Where the default model shipped in resources/default-model lives. Free of
 * tfjs, so the main process can look at its files without loading tfjs.
 */
import { join } from 'node:path';
import { sourceRoot } from '../util/source-root';

/** Where the shipped default model lives (overridable for packaged apps and tests). */
export function defaultModelDir(): string {
  return process.env.SONOTYPE_DEFAULT_MODEL_DIR ?? join(sourceRoot(), 'resources', 'default-model');
}

/** The shipped encoder's folder (a copy of it becomes a project's first encoder). */
export const DEFAULT_ENCODER_FOLDER = 'encoder-v3';
/**
 * The shipped LSTM V3 next-frame predictor (the default encoder + its Dense head), beside the encoder rather than
 * inside it: a project's copy of the encoder (and what is published to workers) stays the encoder alone.
 */
export const DEFAULT_PREDICTOR_FOLDER = 'predictor-v3';
