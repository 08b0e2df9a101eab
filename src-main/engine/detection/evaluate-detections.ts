/**
 * Scores a project's stored detections against an annotation ("truth") table
 * with metrics a file-long region cannot pass (scoring/detection-metrics.ts):
 * onset-F1 (one-to-one, onset within max(50 ms, 20 % of the event)), overlap
 * F1 (one-to-one) and balanced accuracy over 10-ms segments. The regions
 * scored are the active head's, as shown in the app (human labels included).
 * Nothing is recomputed: it reports what `detect` produced.
 */
import path from 'node:path';
import { SonotypeError } from '../../../src-shared/errors';
import { listRecordings, type RecordingRecord } from '../store/recordings';
import { listRegions } from '../store/regions';
import { activeHead } from './detection-heads';
import type { DetectionProject } from './detect-types';
import { addDetectionCounts, detectionCounts, scoresFromCounts, type DetectionScores, type MetricOptions } from './scoring/detection-metrics';
import { eventsForRecording, readTruthTableWithFormat, type TruthEvent, type TruthTableFormat } from '../exchange/truth-table';

export interface RecordingEvaluation {
  path: string;
  durationSeconds: number;
  scores: DetectionScores;
}

export interface DetectionEvaluation {
  truthFile: string;
  truthFormat: TruthTableFormat;
  head: { id: number; version: number };
  metric: Required<MetricOptions>;
  recordings: RecordingEvaluation[];
  /** Pooled over the recordings (counts added, then ratios). */
  scores: DetectionScores;
  /** Recording names in the table that match no recording of the project. */
  unmatched: string[];
}

export interface EvaluateOptions {
  /** The recording an unnamed table (e.g. an Audacity label track) belongs to: project path, file name or absolute path. */
  recording?: string;
  /** Metric settings (collar, segment length); defaults as in the issue. */
  metric?: MetricOptions;
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
  const head = activeHead(project.db);
  if (!head) throw new SonotypeError('NOT_FOUND', 'No detections in this project yet: run `sonotype detect` first.');
  const recordings = listRecordings(project.db).filter((r) => r.status === 'ok');
  const { pairs, unmatched } = matchEvents(project, recordings, table.events, options);
  const metric: Required<MetricOptions> = {
    onsetCollarSeconds: options.metric?.onsetCollarSeconds ?? 0.05,
    onsetCollarFraction: options.metric?.onsetCollarFraction ?? 0.2,
    segmentSeconds: options.metric?.segmentSeconds ?? 0.01,
  };
  const results = pairs.map(({ recording, events }) => {
    const rate = recording.sampleRate ?? 1;
    const regions = listRegions(project.db, recording.id, { modelId: head.id });
    if (regions.length === 0) {
      throw new SonotypeError('NOT_FOUND', `${recording.path} has no detections from the active detector: run \`sonotype detect\` first.`);
    }
    const durationSeconds = regions[regions.length - 1].endSample / rate;
    const sound = regions.filter((r) => r.kind === 'sound').map((r) => ({ startSeconds: r.startSample / rate, endSeconds: r.endSample / rate }));
    return { path: recording.path, durationSeconds, counts: detectionCounts(sound, events, durationSeconds, metric) };
  });
  return {
    truthFile: truthPath,
    truthFormat: table.format,
    head: { id: head.id, version: head.version },
    metric,
    recordings: results.map((r) => ({ path: r.path, durationSeconds: r.durationSeconds, scores: scoresFromCounts(r.counts) })),
    scores: scoresFromCounts(addDetectionCounts(results.map((r) => r.counts))),
    unmatched,
  };
}
