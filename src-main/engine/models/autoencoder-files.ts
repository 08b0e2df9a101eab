/**
 * Where a Convnet V1's whole auto-encoder (encoder + decoder) is kept, so the
 * figures can reconstruct windows; the encoder alone cannot. Free of tfjs, so
 * the main process can ask whether a reconstruction is possible without
 * loading it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../project/open-project';
import { listModels, type StoredModel } from '../store/models';

/** Sub-folder of an encoder-v1 model's files holding the auto-encoder, written by the 'train' task. */
export const AUTOENCODER_SUBFOLDER = 'autoencoder';

/** The newest Convnet V1 whose whole auto-encoder was saved (undefined when none: no reconstruction possible). */
export function reconstructionModel(project: Pick<Project, 'dir' | 'db'>): StoredModel | undefined {
  return listModels(project.db, 'encoder-v1').find((m) => m.filesPath && existsSync(join(project.dir, m.filesPath, AUTOENCODER_SUBFOLDER, 'model.json')));
}
