/**
 * The project's detection heads: every trained head is kept (a history with
 * its scores), one is active (a project setting), and the user may activate
 * any of them. The first detect of a project creates the teacher head.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from '../store/database';
import { ensureFeatureConfig } from '../store/feature-configs';
import { getModelPayload, putModelPayload } from '../store/frame-data';
import { createModel, getModel, listModels, type StoredModel } from '../store/models';
import { getSetting, setSetting } from '../store/settings';
import type { DetectionProject } from './detect-types';
import { HEAD_PAYLOAD_FORMAT, validateHeadPayload, type HeadPayload } from './frames/detection-head';
import { DEFAULT_TEACHER_PARAMS } from './frames/frame-teacher';

export const DETECTION_HEAD_KIND = 'detection-head';

/** A head as the app lists it. */
export interface DetectionHead {
  id: number;
  version: number;
  type: HeadPayload['type'];
  createdAt: number;
  active: boolean;
  metrics: Record<string, unknown>;
}

/** Heads of the project, newest first. */
export function listDetectionHeads(db: ProjectDb): DetectionHead[] {
  const active = getSetting(db, 'activeDetectionHead');
  return listModels(db, DETECTION_HEAD_KIND).map((m) => summariseHead(m, m.id === active));
}

function summariseHead(m: StoredModel, active: boolean): DetectionHead {
  const type = (m.normalisation.type === 'boosted' ? 'boosted' : 'teacher') as HeadPayload['type'];
  return { id: m.id, version: m.version, type, createdAt: m.createdAt, active, metrics: m.metrics };
}

/** A head's payload, checked. */
export function loadHeadPayload(db: ProjectDb, headId: number): HeadPayload {
  const stored = getModelPayload(db, headId);
  if (!stored || stored.format !== HEAD_PAYLOAD_FORMAT) throw new SonotypeError('NOT_FOUND', `Detection head ${headId} has no stored model.`);
  return validateHeadPayload(stored.payload);
}

/** Stores a new head (not yet active). */
export function storeDetectionHead(project: DetectionProject, payload: HeadPayload, metrics: Record<string, unknown>): StoredModel {
  const config = project.featureConfig();
  if (!config) throw new SonotypeError('INVALID_CONFIG', 'The project has no feature configuration yet: scan it first.');
  const featureConfigId = ensureFeatureConfig(project.db, config);
  return project.db.transaction(() => {
    const model = createModel(project.db, {
      kind: DETECTION_HEAD_KIND, featureConfigId, metrics,
      // What the head reads; the payload holds the rest.
      normalisation: { type: payload.type, input: 'frame-features', teacher: payload.teacher },
    });
    putModelPayload(project.db, model.id, HEAD_PAYLOAD_FORMAT, payload);
    return model;
  });
}

/** The active head, creating (and activating) the teacher head when the project has none. */
export function ensureActiveHead(project: DetectionProject): StoredModel {
  const id = getSetting(project.db, 'activeDetectionHead');
  const active = id === undefined ? undefined : getModel(project.db, id);
  if (active && active.kind === DETECTION_HEAD_KIND) return active;
  const newest = listModels(project.db, DETECTION_HEAD_KIND)[0];
  if (newest) {
    setSetting(project.db, 'activeDetectionHead', newest.id);
    return newest;
  }
  const teacher = storeDetectionHead(project, { type: 'teacher', version: 1, teacher: { ...DEFAULT_TEACHER_PARAMS } }, {
    learnedFrom: { teacherFrames: 0, humanFrames: 0, humanSoundFrames: 0, humanSilenceFrames: 0, recordingsWithHumanLabels: 0 },
    note: 'label-free detector: peak over the per-bin noise floor with hysteresis',
  });
  setSetting(project.db, 'activeDetectionHead', teacher.id);
  return teacher;
}

/** The active head, or undefined when detection never ran. */
export function activeHead(db: ProjectDb): StoredModel | undefined {
  const id = getSetting(db, 'activeDetectionHead');
  const m = id === undefined ? undefined : getModel(db, id);
  return m && m.kind === DETECTION_HEAD_KIND ? m : undefined;
}

/** Makes `headId` the active head (NOT_FOUND for an unknown id or another kind of model). */
export function setActiveHead(db: ProjectDb, headId: number): StoredModel {
  const m = getModel(db, headId);
  if (!m || m.kind !== DETECTION_HEAD_KIND) throw new SonotypeError('NOT_FOUND', `No detection head with id ${headId} in this project.`);
  setSetting(db, 'activeDetectionHead', headId);
  return m;
}

/** A one-line description of a head, for the CLI and job results. */
export function describeHead(m: StoredModel): string {
  const learned = m.metrics.learnedFrom as { humanFrames?: number; recordingsWithHumanLabels?: number } | undefined;
  if (m.normalisation.type !== 'boosted') return `detection head v${m.version} (teacher: noise-floor peak with hysteresis, no labels)`;
  return `detection head v${m.version} (boosted trees on frame features; ${learned?.humanFrames ?? 0} human-labelled frames in ${learned?.recordingsWithHumanLabels ?? 0} recordings + the teacher)`;
}
