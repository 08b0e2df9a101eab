/**
 * Training the type head on the current clustering's regions that people
 * typed, scoring it on recordings held out from training (grouped by
 * recording, so neighbouring calls of one recording never sit on both sides),
 * then predicting a type and confidence for every region of the run.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { TypeHeadReport } from '../../../src-shared/cluster-types';
import { groupedSplit } from '../detection/event-scores';
import type { ProjectDb } from '../store/database';
import { ensureFeatureConfig } from '../store/feature-configs';
import { createModel, listModels } from '../store/models';
import { listRecordings } from '../store/recordings';
import { currentClusterRun, listRunMembers, setMemberPredictions } from '../store/sound-clusters';
import { DEFAULT_ACOUSTIC_OPTIONS, type AcousticFrameOptions } from './acoustic-frames';
import { acousticSequences } from './acoustic-sequences';
import { loadRunSummaries } from './run-files';
import { meanStdVectors } from './sequences';
import { predictType, trainTypeHead, type TypeHeadModel } from './type-head';
import { RecordingLabels } from './type-labels';

export interface TypeHeadProject {
  dir: string;
  db: ProjectDb;
  resolveRecordingPath(relPath: string): string;
  featureConfigId(): number | null;
}

export const TYPE_HEAD_KIND = 'type-head';

/** Summary vectors of the run's members: the stored file, else computed again with the run's frame settings. */
async function runVectors(project: TypeHeadProject, runId: number, signal?: AbortSignal): Promise<Float32Array[]> {
  const members = listRunMembers(project.db, runId);
  const stored = loadRunSummaries(project.dir, runId);
  if (stored && stored.length % members.length === 0 && members.length > 0) {
    const dims = stored.length / members.length;
    return members.map((_, i) => stored.subarray(i * dims, (i + 1) * dims));
  }
  const run = currentClusterRun(project.db)!;
  const settings = run.params.settings as { acoustic?: AcousticFrameOptions } | undefined;
  const paths = new Map<number, { path: string; rate: number }>();
  for (const r of listRecordings(project.db)) paths.set(r.id, { path: r.path, rate: r.sampleRate ?? 1 });
  const sequences = await acousticSequences(
    members.map((m) => ({ absPath: project.resolveRecordingPath(paths.get(m.recordingId)!.path), sampleRate: paths.get(m.recordingId)!.rate, startSample: m.startSample, endSample: m.endSample })),
    settings?.acoustic ?? DEFAULT_ACOUSTIC_OPTIONS,
    { signal },
  );
  const summary = meanStdVectors(sequences);
  return members.map((_, i) => summary.data.subarray(i * summary.dim, (i + 1) * summary.dim));
}

/** Trains, scores and applies the type head; returns its report. */
export async function trainProjectTypeHead(project: TypeHeadProject, options: { seed?: number; signal?: AbortSignal; onPhase?: (phase: 'features' | 'training' | 'predicting') => void } = {}): Promise<TypeHeadReport> {
  const run = currentClusterRun(project.db);
  if (!run) throw new SonotypeError('INVALID_CONFIG', 'There is no clustering yet: cluster the sounds first, then give some regions a type.');
  const members = listRunMembers(project.db, run.id);
  const labels = new RecordingLabels(project.db);
  const types = members.map((m) => labels.typeOf(m));
  const labelled = members.map((_, i) => i).filter((i) => types[i] !== null);
  if (new Set(labelled.map((i) => types[i])).size < 2) {
    throw new SonotypeError('INVALID_CONFIG', 'The type head needs regions of at least two sound types: give a type to a few examples of each (number keys, lasso, or Move to).');
  }
  options.onPhase?.('features');
  const vectors = await runVectors(project, run.id, options.signal);
  options.onPhase?.('training');
  const recordingOf = (i: number) => members[i].recordingId;
  const split = groupedSplit(labelled.map(recordingOf), 0.25, options.seed ?? 1);
  let heldOutAccuracy: number | null = null;
  let heldOutCount = 0;
  if (split.test.length > 0 && split.train.length > 0) {
    const test = new Set(split.test);
    const trainIdx = labelled.filter((i) => !test.has(recordingOf(i)));
    if (new Set(trainIdx.map((i) => types[i])).size >= 2) {
      const { model } = trainTypeHead(trainIdx.map((i) => vectors[i]), trainIdx.map((i) => types[i]!));
      const testIdx = labelled.filter((i) => test.has(recordingOf(i)) && model.types.includes(types[i]!));
      heldOutCount = testIdx.length;
      if (testIdx.length > 0) heldOutAccuracy = testIdx.filter((i) => predictType(model, vectors[i]).type === types[i]).length / testIdx.length;
    }
  }
  const { model } = trainTypeHead(labelled.map((i) => vectors[i]), labelled.map((i) => types[i]!));
  const trainingAccuracy = labelled.filter((i) => predictType(model, vectors[i]).type === types[i]).length / labelled.length;
  options.onPhase?.('predicting');
  const predictions = members.map((m, i) => ({ memberId: m.id, ...predictType(model, vectors[i]) }));
  setMemberPredictions(project.db, predictions.map((p) => ({ memberId: p.memberId, type: p.type, confidence: p.confidence })));
  const stored = storeTypeHead(project, model, {
    runId: run.id, labelled: labelled.length, trainingAccuracy, heldOutAccuracy, heldOutRecordings: split.test.length, heldOutRegions: heldOutCount,
    predicted: predictions.length,
  });
  return {
    modelId: stored.id, createdAt: stored.createdAt, types: model.types, labelled: labelled.length, trainingAccuracy, heldOutAccuracy,
    heldOutRecordings: heldOutAccuracy === null ? 0 : split.test.length, predicted: predictions.length,
  };
}

function storeTypeHead(project: TypeHeadProject, model: TypeHeadModel, metrics: Record<string, unknown>) {
  const featureConfigId = project.featureConfigId();
  if (featureConfigId === null) throw new SonotypeError('INVALID_CONFIG', 'The project has no feature configuration yet: scan it first.');
  return createModel(project.db, { kind: TYPE_HEAD_KIND, featureConfigId, normalisation: { mode: 'summary-standardised' }, metrics: { ...metrics, model } });
}

/** The newest type head's report, or null. */
export function latestTypeHeadReport(db: ProjectDb): TypeHeadReport | null {
  const [head] = listModels(db, TYPE_HEAD_KIND);
  if (!head) return null;
  const m = head.metrics as Record<string, unknown> & { model?: TypeHeadModel };
  return {
    modelId: head.id, createdAt: head.createdAt, types: m.model?.types ?? [], labelled: Number(m.labelled ?? 0),
    trainingAccuracy: Number(m.trainingAccuracy ?? 0), heldOutAccuracy: (m.heldOutAccuracy as number | null) ?? null,
    heldOutRecordings: m.heldOutAccuracy == null ? 0 : Number(m.heldOutRecordings ?? 0), predicted: Number(m.predicted ?? 0),
  };
}

/** Resolves the project's feature config id (the models table requires one). */
export function featureConfigIdOf(db: ProjectDb, config: Parameters<typeof ensureFeatureConfig>[1] | null): number | null {
  return config ? ensureFeatureConfig(db, config) : null;
}
