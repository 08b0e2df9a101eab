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
/** Sub-folder of an encoder-v3 model's files holding its next-frame predictor (encoder + dense head). */
export const PREDICTOR_SUBFOLDER = 'predictor';

/** A trained model whose whole network was kept, so a figure can show what it makes of a window. */
export interface FigureModel {
  stored: StoredModel;
  kind: 'reconstruction' | 'next-frame';
  subfolder: string;
}

/**
 * The newest encoder whose whole network was saved: a Convnet V1 auto-encoder
 * (reconstruction) or an LSTM V3 predictor (next frame). Undefined when none —
 * the shipped default model keeps only its encoder.
 */
export function reconstructionModel(project: Pick<Project, 'dir' | 'db'>): FigureModel | undefined {
  const kept = (m: StoredModel, sub: string) => Boolean(m.filesPath && existsSync(join(project.dir, m.filesPath, sub, 'model.json')));
  const candidates: FigureModel[] = [
    ...listModels(project.db, 'encoder-v1').filter((m) => kept(m, AUTOENCODER_SUBFOLDER)).map((stored) => ({ stored, kind: 'reconstruction' as const, subfolder: AUTOENCODER_SUBFOLDER })),
    ...listModels(project.db, 'encoder-v3').filter((m) => kept(m, PREDICTOR_SUBFOLDER)).map((stored) => ({ stored, kind: 'next-frame' as const, subfolder: PREDICTOR_SUBFOLDER })),
  ];
  return candidates.sort((a, b) => b.stored.createdAt - a.stored.createdAt || b.stored.id - a.stored.id)[0];
}
