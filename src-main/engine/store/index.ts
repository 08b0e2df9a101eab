/**
 * The project database: one `sonotype.db` (SQLite, WAL) per project folder,
 * versioned migrations and small typed repositories over its tables.
 */
export { openProjectDb, projectDbPath, PROJECT_DB_FILENAME, type ProjectDb, type OpenProjectDbOptions } from './database';
export { applyMigrations, readSchemaVersion, SCHEMA_VERSION, migrations, type Migration } from './migrate';
export * from './recordings';
export * from './settings';
export * from './feature-configs';
export * from './windows';
export * from './models';
export * from './embeddings';
export * from './predictions';
export * from './regions';
export * from './sound-clusters';
export { readClusterPatch, type ClusterPatch } from './cluster-patch';
export * from './frame-data';
export {
  createLabel, updateLabel, deleteLabel, getLabel, listLabels, newLabelState, type LabelSource, type StoredLabel, type NewLabel, type LabelPatch,
} from './labels';
export {
  undoLastEdit, redoEdit, canUndo, canRedo, listLabelHistory, withEditGroup, recordClusterEdit,
  type LabelState, type LabelEditOp, type LabelEditRef, type LabelHistoryEntry,
} from './label-history';
export * from './machine-labels';
export { splitLabel, mergeLabels, createLabels } from './label-edits';
export * from './jobs';
