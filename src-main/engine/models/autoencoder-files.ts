/**
 * Where a whole trained network is kept beside its encoder, so the figures
 * can show what it makes of a window (the encoder alone cannot): Convnet V1's
 * auto-encoder (encoder + decoder), LSTM V3's next-frame predictor (encoder +
 * Dense head). Free of tfjs, so the main process can ask whether a figure is
 * possible without loading it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../project/open-project';
import { listModels, type StoredModel } from '../store/models';
import { DEFAULT_ENCODER_FOLDER, DEFAULT_PREDICTOR_FOLDER, defaultModelDir } from './default-model-dir';

/** Sub-folder of an encoder-v1 model's files holding the auto-encoder, written by the 'train' task. */
export const AUTOENCODER_SUBFOLDER = 'autoencoder';
/** Sub-folder of an encoder-v3 model's files holding its next-frame predictor (encoder + dense head). */
export const PREDICTOR_SUBFOLDER = 'predictor';

/** A whole network a figure can run: what it computes, where its files are, and how the figure names it. */
export interface FigureModel {
  kind: 'reconstruction' | 'next-frame';
  /** Absolute folder of the network's model.json. */
  folder: string;
  /** "encoder-v3 v2", "encoder-v3 v1 (default model)". */
  label: string;
}

const hasModel = (folder: string) => existsSync(join(folder, 'model.json'));

/**
 * The network a figure shows for this project: the newest encoder trained here whose whole network was saved (a
 * Convnet V1 auto-encoder or an LSTM V3 predictor), else — when the project's encoder is the shipped default
 * model, or it has none yet — the default model's own next-frame predictor. Undefined when neither exists (an
 * encoder trained before networks were kept, or a checkout without the default model).
 */
export function reconstructionModel(project: Pick<Project, 'dir' | 'db'>): FigureModel | undefined {
  const folderOf = (m: StoredModel, sub: string) => (m.filesPath ? join(project.dir, m.filesPath, sub) : '');
  const encoders = [...listModels(project.db, 'encoder-v1'), ...listModels(project.db, 'encoder-v3')]
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  for (const m of encoders) {
    const sub = m.kind === 'encoder-v1' ? AUTOENCODER_SUBFOLDER : PREDICTOR_SUBFOLDER;
    if (hasModel(folderOf(m, sub))) {
      return { kind: m.kind === 'encoder-v1' ? 'reconstruction' : 'next-frame', folder: folderOf(m, sub), label: `${m.kind} v${m.version}` };
    }
  }
  const shipped = join(defaultModelDir(), DEFAULT_PREDICTOR_FOLDER);
  if (!hasModel(shipped)) return undefined;
  const active = encoders[0];
  if (!active) return { kind: 'next-frame', folder: shipped, label: 'encoder-v3 (default model)' };
  return isShippedEncoder(project.dir, active) ? { kind: 'next-frame', folder: shipped, label: `encoder-v3 v${active.version} (default model)` } : undefined;
}

/** True when a stored encoder is a copy of the shipped default encoder (same weights), so its predictor applies. */
function isShippedEncoder(projectDir: string, model: StoredModel): boolean {
  if (model.kind !== 'encoder-v3' || model.metrics.origin !== 'default model' || !model.filesPath) return false;
  const ours = join(projectDir, model.filesPath, 'weights.bin');
  const theirs = join(defaultModelDir(), DEFAULT_ENCODER_FOLDER, 'weights.bin');
  try {
    // A project keeps the copy it installed; a newer release may ship other weights.
    return statSync(ours).size === statSync(theirs).size && readFileSync(ours).equals(readFileSync(theirs));
  } catch {
    return false;
  }
}
