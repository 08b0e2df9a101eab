/**
 * Trained model versions: what they are, the features they were trained on,
 * their normalisation, metrics and where their weight files live.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';
import { parseJsonColumn } from './json';

export interface NewModel {
  /** 'encoder', 'silence', 'type', … */
  kind: string;
  featureConfigId: number;
  /** How inputs were normalised (mode and any statistics), needed to reuse the model. */
  normalisation: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  /** Folder of the weight files, relative to the project folder. */
  filesPath?: string | null;
  /** The model this one was trained on top of (e.g. a silence head on a frozen encoder). */
  parentModelId?: number | null;
  /** Explicit version; default is one above the newest of this kind. */
  version?: number;
}

export interface StoredModel {
  id: number;
  kind: string;
  version: number;
  featureConfigId: number;
  parentModelId: number | null;
  normalisation: Record<string, unknown>;
  metrics: Record<string, unknown>;
  filesPath: string | null;
  createdAt: number;
}

interface ModelRow {
  id: number;
  kind: string;
  version: number;
  feature_config_id: number;
  parent_model_id: number | null;
  normalisation_json: string;
  metrics_json: string;
  files_path: string | null;
  created_at: number;
}

/** The version a new model of `kind` would get (1 for the first). */
export function nextModelVersion(db: ProjectDb, kind: string): number {
  const row = db.statement('SELECT max(version) AS v FROM models WHERE kind = ?').get(kind) as { v: number | null };
  return (row.v ?? 0) + 1;
}

/** Stores a new model version and returns it. */
export function createModel(db: ProjectDb, model: NewModel): StoredModel {
  if (!model.kind) throw new SonotypeError('INVALID_ARGUMENT', 'A model needs a kind.');
  return db.transaction(() => {
    const version = model.version ?? nextModelVersion(db, model.kind);
    const result = db
      .statement(
        `INSERT INTO models (kind, version, feature_config_id, parent_model_id, normalisation_json, metrics_json, files_path, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        model.kind, version, model.featureConfigId, model.parentModelId ?? null, JSON.stringify(model.normalisation),
        JSON.stringify(model.metrics ?? {}), model.filesPath ?? null, Date.now(),
      );
    return getModel(db, Number(result.lastInsertRowid))!;
  });
}

/** Updates metrics and/or the weight folder of a model (e.g. after evaluation or saving files). */
export function updateModel(db: ProjectDb, id: number, patch: { metrics?: Record<string, unknown>; filesPath?: string | null }): void {
  db.transaction(() => {
    if (!getModel(db, id)) throw new SonotypeError('NOT_FOUND', `Model ${id} does not exist in this project.`);
    if (patch.metrics !== undefined) db.statement('UPDATE models SET metrics_json = ? WHERE id = ?').run(JSON.stringify(patch.metrics), id);
    if (patch.filesPath !== undefined) db.statement('UPDATE models SET files_path = ? WHERE id = ?').run(patch.filesPath, id);
  });
}

/**
 * Deletes models and everything computed from them (embeddings, predictions
 * and regions cascade; cluster runs keep their clusters without the model).
 * Models trained on top of a deleted one must be in `ids` too.
 */
export function deleteModels(db: ProjectDb, ids: readonly number[]): void {
  if (ids.length === 0) return;
  db.transaction(() => {
    // Parents and children go in one statement set; the check waits for the commit.
    db.sql.pragma('defer_foreign_keys = ON');
    const remove = db.statement('DELETE FROM models WHERE id = ?');
    for (const id of ids) remove.run(id);
  });
}

/** One model by id, or undefined. */
export function getModel(db: ProjectDb, id: number): StoredModel | undefined {
  const row = db.statement('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
  return row ? toModel(row) : undefined;
}

/** Models, newest version first, optionally of one kind. */
export function listModels(db: ProjectDb, kind?: string): StoredModel[] {
  const rows = (kind === undefined
    ? db.statement('SELECT * FROM models ORDER BY kind, version DESC').all()
    : db.statement('SELECT * FROM models WHERE kind = ? ORDER BY version DESC').all(kind)) as ModelRow[];
  return rows.map(toModel);
}

function toModel(row: ModelRow): StoredModel {
  return {
    id: row.id,
    kind: row.kind,
    version: row.version,
    featureConfigId: row.feature_config_id,
    parentModelId: row.parent_model_id,
    normalisation: parseJsonColumn<Record<string, unknown>>(row.normalisation_json, 'models.normalisation')!,
    metrics: parseJsonColumn<Record<string, unknown>>(row.metrics_json, 'models.metrics')!,
    filesPath: row.files_path,
    createdAt: row.created_at,
  };
}
