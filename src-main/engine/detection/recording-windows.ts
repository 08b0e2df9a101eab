/**
 * Window rows of a recording and its heuristic silence labels.
 *
 * The spans always come from actually streaming the file: for compressed
 * formats the header's frame count is only an estimate, and the decoder's
 * output is what the windows (and regions) must tile. Rows are replaced only
 * when the spans differ, because replacing them drops every embedding and
 * prediction computed for them.
 */
import type { FeatureConfig, WindowSpan } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { readAudioBlocks } from '../audio';
import { resampledLength, windowSpans, type OpenBlocks } from '../features';
import type { ProjectDb } from '../store/database';
import { ensureFeatureConfig } from '../store/feature-configs';
import { listLabels } from '../store/labels';
import { upsertMachineLabels } from '../store/machine-labels';
import type { RecordingRecord } from '../store/recordings';
import { listWindows, replaceWindows, type StoredWindow } from '../store/windows';
import { analyseRecordingUnit, type RecordingUnit } from './analysis-units';
import type { DetectionProject } from './detect-types';
import { windowDecisionsToLabelRanges } from './window-labels';

/** The decoder's view of one recording: how to open it and at what rate. */
export function recordingSource(project: DetectionProject, recording: RecordingRecord, config: FeatureConfig, signal?: AbortSignal): {
  openBlocks: OpenBlocks;
  sampleRate: number;
  frames: number;
} {
  if (recording.status !== 'ok' || !recording.sampleRate || !recording.channels) {
    throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} cannot be analysed: ${recording.error?.message ?? 'it failed to scan'}.`);
  }
  const absPath = project.resolveRecordingPath(recording.path);
  // A project-wide channel may not exist in every file: use its last channel (as the features command does).
  const channel = Math.min(config.channel, recording.channels - 1);
  return { openBlocks: () => readAudioBlocks(absPath, { channel, signal }), sampleRate: recording.sampleRate, frames: recording.frames ?? 0 };
}

function sameSpans(stored: readonly StoredWindow[], spans: readonly WindowSpan[]): boolean {
  if (stored.length !== spans.length) return false;
  return spans.every((s, i) => {
    const w = stored[i];
    return (
      w.index === s.index && w.startFrame === s.startFrame && w.startSample === s.startSample && w.endSample === s.endSample &&
      w.startNativeSample === s.startNativeSample && w.endNativeSample === s.endNativeSample && w.padded === s.padded
    );
  });
}

/**
 * Window rows (with ids) of a recording under `config`. Without `spans`, the
 * file is decoded once to count its samples (cheap: no STFT). Rows are
 * replaced only when the spans differ, or when `replace` says the stored ones
 * describe an older version of the file.
 */
export async function ensureWindows(
  project: DetectionProject,
  recording: RecordingRecord,
  config: FeatureConfig,
  options: { spans?: readonly WindowSpan[]; replace?: boolean; signal?: AbortSignal } = {},
): Promise<{ windows: StoredWindow[]; replaced: boolean }> {
  const featureConfigId = ensureFeatureConfig(project.db, config);
  let spans = options.spans;
  if (!spans) {
    const source = recordingSource(project, recording, config, options.signal);
    let delivered = 0;
    for await (const block of source.openBlocks()) delivered += block.length;
    spans = windowSpans(resampledLength(delivered, source.sampleRate, config.analysisSampleRate), source.sampleRate, delivered, config);
  }
  return storeWindowSpans(project, recording, featureConfigId, spans, options.replace ?? false);
}

/** ensureWindows with known spans, synchronously (one transaction with other writes is then possible). */
export function storeWindowSpans(
  project: DetectionProject,
  recording: RecordingRecord,
  featureConfigId: number,
  spans: readonly WindowSpan[],
  replace: boolean,
): { windows: StoredWindow[]; replaced: boolean } {
  const stored = listWindows(project.db, recording.id, featureConfigId);
  if (!replace && sameSpans(stored, spans)) return { windows: stored, replaced: false };
  replaceWindows(project.db, recording.id, featureConfigId, spans);
  return { windows: listWindows(project.db, recording.id, featureConfigId), replaced: true };
}

/**
 * The `author` stamped on heuristic labels: which feature config and which
 * file content they were computed from, so a changed file or config is
 * noticed without any extra table.
 */
export function heuristicLabelAuthor(featureConfigId: number, recording: RecordingRecord): string {
  const content = recording.hash ? recording.hash.slice(0, 16) : `${recording.sizeBytes}-${Math.round(recording.mtimeMs)}`;
  return `${HEURISTIC_AUTHOR_PREFIX}${featureConfigId} ${content}`;
}

const HEURISTIC_AUTHOR_PREFIX = 'sonotype heuristic v1, features ';

/** Whether the recording's heuristic labels are current, stale (another file version or config) or absent. */
export function heuristicLabelState(db: ProjectDb, recording: RecordingRecord, featureConfigId: number): 'current' | 'stale' | 'absent' {
  const want = heuristicLabelAuthor(featureConfigId, recording);
  const authors = new Set(listLabels(db, recording.id).filter((l) => l.source === 'heuristic').map((l) => l.author));
  if (authors.has(want)) return 'current';
  const sameConfig = `${HEURISTIC_AUTHOR_PREFIX}${featureConfigId} `;
  return [...authors].some((a) => a?.startsWith(sameConfig)) ? 'stale' : 'absent';
}

/**
 * Runs the adaptive energy/noise-floor detector over a recording (the
 * recording unit, analysis-units.ts) and stores its decisions as `heuristic`
 * labels (human labels keep precedence: the store clips machine labels
 * around them). Returns the window spans the detector streamed, which are
 * the recording's window spans.
 */
export async function computeHeuristicLabels(
  project: DetectionProject,
  recording: RecordingRecord,
  config: FeatureConfig,
  signal?: AbortSignal,
): Promise<{ spans: WindowSpan[]; silentWindows: number; noiseFloorDb: number | null }> {
  const source = recordingSource(project, recording, config, signal);
  const unit = await analyseRecordingUnit(source.openBlocks, source.sampleRate, source.frames, config, signal);
  storeHeuristicLabels(project, recording, config, unit);
  return { spans: unit.spans, silentWindows: unit.silent.reduce((n, s) => n + s, 0), noiseFloorDb: unit.noiseFloorDb };
}

/** Stores a recording unit's window decisions as the recording's `heuristic` labels. */
export function storeHeuristicLabels(project: DetectionProject, recording: RecordingRecord, config: FeatureConfig, unit: Pick<RecordingUnit, 'spans' | 'silent' | 'nativeFrames'>): void {
  const featureConfigId = ensureFeatureConfig(project.db, config);
  const ranges = windowDecisionsToLabelRanges(unit.spans, Array.from(unit.silent, (s) => s === 1), unit.nativeFrames);
  upsertMachineLabels(project.db, recording.id, 'heuristic', ranges, heuristicLabelAuthor(featureConfigId, recording));
}
