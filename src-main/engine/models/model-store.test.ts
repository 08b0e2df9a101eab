/**
 * Saving a model never leaves a record without its files, and a project left
 * with such a record by an older version is repaired when it is opened
 * (before this, every later `detect` failed with "… has no saved weights").
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultFeatureConfig } from '../features';
import { openProject, type Project } from '../project/open-project';
import { ensureFeatureConfig } from '../store/feature-configs';
import { createModel, listModels } from '../store/models';
import { initBackend } from './backend';
import { loadStoredModel } from './encoder-registry';
import { buildSilenceHead } from './silence-head';
import { hasModelFiles, MODELS_FOLDER, repairModelRecords } from '../store/model-folders';
import { storeModel } from './model-store';

const config = defaultFeatureConfig(16_000);

describe('model store', () => {
  let dir: string;
  let project: Project;
  beforeEach(async () => {
    await initBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'sonotype-model-store-'));
    project = await openProject(dir, { audioRoot: dir });
  });
  afterEach(() => {
    project.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a model only with its files, extra files and extra models, and leaves no staging folder', async () => {
    const head = buildSilenceHead({ seed: 3 });
    const extra = buildSilenceHead({ seed: 4 });
    try {
      const stored = await storeModel(dir, project.db, head, {
        kind: 'silence-head', featureConfig: config, normalisation: {}, metrics: { note: 1 },
        extraFiles: { 'training.json': '{"lossCurve":[]}' }, extraModels: { autoencoder: { model: extra } },
      });
      expect(stored).toMatchObject({ kind: 'silence-head', version: 1, filesPath: `${MODELS_FOLDER}/silence-head-v1` });
      expect(hasModelFiles(dir, stored)).toBe(true);
      expect(existsSync(join(dir, stored.filesPath!, 'training.json'))).toBe(true);
      expect(hasModelFiles(dir, { filesPath: `${stored.filesPath}/autoencoder` })).toBe(true);
      const loaded = await loadStoredModel(dir, stored);
      expect(loaded.countParams()).toBe(head.countParams());
      loaded.dispose();
      const second = await storeModel(dir, project.db, head, { kind: 'silence-head', featureConfig: config, normalisation: {} });
      expect(second.version).toBe(2);
      expect(readdirSync(join(dir, MODELS_FOLDER)).sort()).toEqual(['silence-head-v1', 'silence-head-v2']);
    } finally {
      head.dispose();
      extra.dispose();
    }
  });

  it('replaces a version folder left without a record by a save that was killed before its commit', async () => {
    mkdirSync(join(dir, MODELS_FOLDER, 'silence-head-v1'), { recursive: true });
    const head = buildSilenceHead({ seed: 3 });
    try {
      const stored = await storeModel(dir, project.db, head, { kind: 'silence-head', featureConfig: config, normalisation: {} });
      expect(stored.version).toBe(1);
      expect(hasModelFiles(dir, stored)).toBe(true);
    } finally {
      head.dispose();
    }
  });

  it('repairs, on open, records an older version left without files (and the heads trained on them)', async () => {
    const featureConfigId = ensureFeatureConfig(project.db, config);
    const head = buildSilenceHead({ seed: 3 });
    try {
      const good = await storeModel(dir, project.db, head, { kind: 'silence-head', featureConfig: config, normalisation: {} });
      // What the old storeModel left after a kill: the record, committed before its files.
      const lostEncoder = createModel(project.db, { kind: 'encoder-v3', featureConfigId, normalisation: {} });
      const headOnLost = createModel(project.db, { kind: 'silence-head', featureConfigId, normalisation: {}, parentModelId: lostEncoder.id, filesPath: good.filesPath });
      const lostHead = createModel(project.db, { kind: 'silence-head', featureConfigId, normalisation: {}, filesPath: `${MODELS_FOLDER}/silence-head-v9` });
      await expect(loadStoredModel(dir, lostEncoder)).rejects.toThrow(/has no saved weights/);
      project.close();
      project = await openProject(dir);
      expect(listModels(project.db).map((m) => m.id)).toEqual([good.id]);
      expect(repairModelRecords(dir, project.db)).toEqual([]);
      expect([lostEncoder.id, headOnLost.id, lostHead.id].every((id) => !listModels(project.db).some((m) => m.id === id))).toBe(true);
    } finally {
      head.dispose();
    }
  });

  it('removes staging folders of processes that are gone, keeps those of live ones', async () => {
    const root = join(dir, MODELS_FOLDER);
    const { hostname } = await import('node:os');
    const dead = join(root, `.staging-${hostname()}-999999999-1-abc`);
    const live = join(root, `.staging-${hostname()}-${process.pid}-1-abc`);
    mkdirSync(dead, { recursive: true });
    mkdirSync(live, { recursive: true });
    repairModelRecords(dir, project.db);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});
