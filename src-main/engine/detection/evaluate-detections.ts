/**
 * Scores a project's stored detections against an annotation ("truth") table:
 * the window-level confusion matrix of the newest silence head's stored
 * predictions (truth rows: not silence / silence) and event-level precision
 * and recall of its stored sound regions. Nothing is recomputed: it reports
 * what `detect` produced.
 */
import path from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import { ensureFeatureConfig } from '../store/feature-configs';
import { listSilencePredictions } from '../store/predictions';
import { listRecordings, type RecordingRecord } from '../store/recordings';
import { listRegions } from '../store/regions';
import { addConfusionMatrices, confusionMatrix, summariseConfusion, windowTruthSilence, type ConfusionMatrix, type ConfusionSummary } from './confusion';
import { listSilenceHeads, regionSourceParamsOf } from './detection-queries';
import type { DetectionProject } from './detect-types';
import { scoreEvents, type EventScores } from './event-scores';
import { DEFAULT_REGION_PARAMS } from './regions';
import { eventsForRecording, readTruthTableWithFormat, type TruthEvent, type TruthTableFormat } from './truth-table';

export interface RecordingEvaluation {
  path: string;
  events: number;
  windows: number;
  confusion: ConfusionMatrix;
  eventScores: EventScores;
}

export interface DetectionEvaluation {
  truthFile: string;
  truthFormat: TruthTableFormat;
  head: { id: number; version: number };
  /** A window counts as predicted silence when p ≥ threshold (the threshold its regions were derived with). */
  threshold: number;
  recordings: RecordingEvaluation[];
  confusion: ConfusionMatrix;
  summary: ConfusionSummary;
  eventScores: EventScores;
  /** Recording names in the table that match no recording of the project. */
  unmatched: string[];
}

export interface EvaluateOptions {
  /** The recording an unnamed table (e.g. an Audacity label track) belongs to: project path, file name or absolute path. */
  recording?: string;
  /** Minimum intersection-over-union for an event match (default 0: any overlap). */
  minIoU?: number;
}

function basename(p: string): string {
  return path.basename(p.replace(/\\/g, '/'));
}

/** Finds the project recording `ref` names (relative path, absolute path or unique file name). */
function findRecording(project: DetectionProject, recordings: RecordingRecord[], ref: string): RecordingRecord {
  const byPath = recordings.find((r) => r.path === ref.replace(/\\/g, '/') || path.resolve(project.resolveRecordingPath(r.path)) === path.resolve(ref));
  if (byPath) return byPath;
  const byName = recordings.filter((r) => basename(r.path) === basename(ref));
  if (byName.length === 1) return byName[0];
  throw new SonotypeError(
    'NOT_FOUND',
    byName.length ? `${ref} matches ${byName.length} recordings of the project; give its path inside the project.` : `No recording ${ref} in this project.`,
  );
}

/** Pairs every event with a recording of the project (see EvaluateOptions.recording). */
function matchEvents(
  project: DetectionProject,
  recordings: RecordingRecord[],
  events: TruthEvent[],
  options: EvaluateOptions,
): { pairs: { recording: RecordingRecord; events: TruthEvent[] }[]; unmatched: string[] } {
  if (options.recording !== undefined) {
    const recording = findRecording(project, recordings, options.recording);
    return { pairs: [{ recording, events: eventsForRecording(events, recording.path) }], unmatched: [] };
  }
  if (events.some((e) => e.recording === undefined)) {
    if (recordings.length === 1) return { pairs: [{ recording: recordings[0], events }], unmatched: [] };
    throw new SonotypeError('INVALID_ARGUMENT', 'The table does not say which recording its events belong to: name it with --recording <path>.');
  }
  const names = [...new Set(events.map((e) => basename(e.recording!)))];
  const pairs: { recording: RecordingRecord; events: TruthEvent[] }[] = [];
  const unmatched: string[] = [];
  for (const name of names) {
    const matches = recordings.filter((r) => basename(r.path) === name);
    if (matches.length === 0) unmatched.push(name);
    for (const recording of matches) pairs.push({ recording, events: eventsForRecording(events, recording.path, false) });
  }
  if (pairs.length === 0) {
    throw new SonotypeError('NOT_FOUND', `None of the recordings named in the table (${names.slice(0, 5).join(', ')}) is in this project.`);
  }
  return { pairs, unmatched };
}

/** Evaluates the stored detections against the table at `truthPath` (see the file header). */
export async function evaluateDetections(project: DetectionProject, truthPath: string, options: EvaluateOptions = {}): Promise<DetectionEvaluation> {
  const table = await readTruthTableWithFormat(truthPath);
  const config = project.featureConfig();
  const head = listSilenceHeads(project.db)[0];
  if (!config || !head) throw new SonotypeError('NOT_FOUND', 'No detections in this project yet: run `sonotype detect` first.');
  const featureConfigId = ensureFeatureConfig(project.db, config);
  const stored = regionSourceParamsOf(project.db, head.id);
  const threshold = typeof stored?.threshold === 'number' ? stored.threshold : DEFAULT_REGION_PARAMS.threshold;
  const recordings = listRecordings(project.db).filter((r) => r.status === 'ok');
  const { pairs, unmatched } = matchEvents(project, recordings, table.events, options);

  const results: RecordingEvaluation[] = pairs.map(({ recording, events }) => {
    const rate = recording.sampleRate ?? 1;
    const predictions = listSilencePredictions(project.db, head.id, recording.id);
    const windowCount = project.db.statement('SELECT count(*) AS n FROM windows WHERE recording_id = ? AND feature_config_id = ?').get(recording.id, featureConfigId) as { n: number };
    if (predictions.length === 0 || predictions.length < windowCount.n) {
      throw new SonotypeError('NOT_FOUND', `${recording.path} has no detections from the current silence detector: run \`sonotype detect\` first.`);
    }
    const windows = predictions.map((p) => ({ startSeconds: p.startNativeSample / rate, endSeconds: p.endNativeSample / rate }));
    const truth = windowTruthSilence(windows, events);
    const confusion = confusionMatrix(truth, predictions.map((p) => p.p >= threshold));
    const sound = listRegions(project.db, recording.id, { modelId: head.id, kind: 'sound' }).map((r) => ({
      startSeconds: r.startSample / rate,
      endSeconds: r.endSample / rate,
    }));
    return { path: recording.path, events: events.length, windows: predictions.length, confusion, eventScores: scoreEvents(sound, events, { minIoU: options.minIoU }) };
  });
  const confusion = addConfusionMatrices(...results.map((r) => r.confusion));
  return {
    truthFile: truthPath,
    truthFormat: table.format,
    head: { id: head.id, version: head.version },
    threshold,
    recordings: results,
    confusion,
    summary: summariseConfusion(confusion),
    eventScores: combineEventScores(results.map((r) => r.eventScores), options.minIoU ?? 0),
    unmatched,
  };
}

/** Event scores over several recordings: counts added, ratios recomputed. */
export function combineEventScores(scores: readonly EventScores[], minIoU: number): EventScores {
  const sum = (k: 'predictions' | 'events' | 'matchedPredictions' | 'detectedEvents') => scores.reduce((s, x) => s + x[k], 0);
  const predictions = sum('predictions');
  const events = sum('events');
  const precision = predictions ? sum('matchedPredictions') / predictions : null;
  const recall = events ? sum('detectedEvents') / events : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
  return { predictions, events, matchedPredictions: sum('matchedPredictions'), detectedEvents: sum('detectedEvents'), precision, recall, f1, minIoU };
}
