/**
 * Saving and loading tfjs layers models as files in the project folder,
 * without tfjs-node's file:// handler (the portable backend has none): a
 * model is a folder with the standard `model.json` (topology + weights
 * manifest) and one `weights.bin`, readable by any tfjs. Writes go to a
 * temporary folder renamed into place, so a crash never leaves half a model.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';

import { MODEL_JSON, WEIGHTS_BIN } from '../store/model-folders';
import { registerFastOrthogonal } from './orthogonal';

export { MODEL_JSON, WEIGHTS_BIN };

/** Extra facts saved in model.json's userDefinedMetadata (feature config, normalisation, metrics…). */
export type ModelMetadata = Record<string, unknown>;

function concatWeightData(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  if (!Array.isArray(data)) return new Uint8Array(data);
  const total = data.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out;
}

/** The two files of a saved model, in memory (for checkpoints and atomic writes). */
export async function serializeLayersModel(
  model: tf.LayersModel, metadata: ModelMetadata = {},
): Promise<{ [MODEL_JSON]: string; [WEIGHTS_BIN]: Uint8Array }> {
  let files: { [MODEL_JSON]: string; [WEIGHTS_BIN]: Uint8Array } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData ? concatWeightData(artifacts.weightData as ArrayBuffer | ArrayBuffer[]) : new Uint8Array(0);
      const json = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: { ...(artifacts.userDefinedMetadata ?? {}), sonotype: metadata },
      };
      files = { [MODEL_JSON]: JSON.stringify(json), [WEIGHTS_BIN]: weights };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  if (!files) throw new SonotypeError('INTERNAL', 'tfjs did not hand over the model to save.');
  return files;
}

/** Saves `model` into `dir` (replaced atomically if it exists). */
export async function saveLayersModel(model: tf.LayersModel, dir: string, metadata: ModelMetadata = {}): Promise<void> {
  const files = await serializeLayersModel(model, metadata);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(join(tmp, WEIGHTS_BIN), files[WEIGHTS_BIN]);
    await writeFile(join(tmp, MODEL_JSON), files[MODEL_JSON]);
    if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Loads a model saved by saveLayersModel (or any tfjs layers model folder with one weights file). */
export async function loadLayersModel(dir: string): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }> {
  let json: {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    userDefinedMetadata?: { sonotype?: ModelMetadata };
  };
  try {
    json = JSON.parse(await readFile(join(dir, MODEL_JSON), 'utf8'));
  } catch (cause) {
    throw new SonotypeError('NOT_FOUND', `No readable model in ${dir} (${(cause as Error).message}).`, { cause });
  }
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))));
  const bytes = Buffer.concat(buffers);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  registerFastOrthogonal(); // a model's layers are initialised before its weights are read: V3's LSTMs took seconds
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
  return { model, metadata: json.userDefinedMetadata?.sonotype ?? {} };
}
