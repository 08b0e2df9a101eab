/**
 * A recording's detection frames in a project: which frame analysis applies
 * (its own rate, the project's channel and detection band), its features
 * computed once and cached in the database (a second detect decodes
 * nothing; a changed file is noticed by its content key), and its human
 * labels as detection sees them.
 */
import { SonotypeError } from '../../../src-shared/errors';
import { readAudioBlocks } from '../audio';
import { frameFeaturesInfo, getFrameFeatures, putFrameFeatures } from '../store/frame-data';
import { listLabels } from '../store/labels';
import type { RecordingRecord } from '../store/recordings';
import { getSetting } from '../store/settings';
import type { ProjectDb } from '../store/database';
import type { DetectionProject } from './detect-types';
import type { RecordingFrames } from './frames/detection-head';
import { frameAnalysisFor, type FrameAnalysis } from './frames/frame-analysis';
import { BASE_DIMS, BASE_FEATURE_NAMES, extractFrameFeatures, type FrameFeatures } from './frames/frame-features';
import { isSilenceValue } from './window-labels';
import type { HumanRange } from './frames/frame-labels';

/** Bumped whenever the meaning of the stored features changes (names, order, floor rule). */
const FEATURE_SET = `v1:${BASE_FEATURE_NAMES.join(',')}`;

/** The frame analysis of a recording in this project. */
export function frameAnalysisOf(db: ProjectDb, recording: RecordingRecord): FrameAnalysis {
  if (recording.status !== 'ok' || !recording.sampleRate || !recording.channels) {
    throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} cannot be analysed: ${recording.error?.message ?? 'it failed to scan'}.`);
  }
  const band = getSetting(db, 'detectionBand') ?? {};
  const nyquist = recording.sampleRate / 2;
  return frameAnalysisFor(recording.sampleRate, {
    channel: Math.min(getSetting(db, 'channel') ?? 0, recording.channels - 1),
    // A band beyond this file's Nyquist is cut to it (mixed-rate folders share one band setting).
    lowHz: band.lowHz !== undefined && band.lowHz < nyquist * 0.9 ? band.lowHz : undefined,
    highHz: band.highHz !== undefined ? Math.min(band.highHz, nyquist) : undefined,
    tonal: getSetting(db, 'detectionTonal') === true,
  });
}

/** A stable key for an analysis and the feature set computed under it. */
export function analysisKeyOf(a: FrameAnalysis): string {
  const keys = Object.keys(a).sort() as (keyof FrameAnalysis)[];
  return `${FEATURE_SET}|${keys.map((k) => `${k}=${a[k]}`).join(';')}`;
}

/** Which version of the file features were computed from: its hash, else size and modification time. */
export function contentKeyOf(recording: RecordingRecord): string {
  return recording.hash ? recording.hash : `${recording.sizeBytes}-${Math.round(recording.mtimeMs)}`;
}

/** Whether the recording's features are cached for its current analysis and file version. */
export function hasCurrentFeatures(db: ProjectDb, recording: RecordingRecord): boolean {
  return frameFeaturesInfo(db, recording.id, analysisKeyOf(frameAnalysisOf(db, recording)))?.contentKey === contentKeyOf(recording);
}

/** Decodes the recording (two passes) and stores its frame features. Returns the seconds of audio analysed. */
export async function computeRecordingFeatures(project: DetectionProject, recording: RecordingRecord, signal?: AbortSignal): Promise<number> {
  const analysis = frameAnalysisOf(project.db, recording);
  const absPath = project.resolveRecordingPath(recording.path);
  const f = await extractFrameFeatures(() => readAudioBlocks(absPath, { channel: analysis.channel, signal }), analysis, { signal });
  storeRecordingFeatures(project.db, recording, f);
  return f.nativeFrames / analysis.sampleRate;
}

/**
 * Caches a recording's frame features (computed here, or by a `sonotype
 * worker` for `detect --distributed`) under their analysis and the file
 * version they were computed from.
 */
export function storeRecordingFeatures(
  db: ProjectDb,
  recording: RecordingRecord,
  f: Pick<FrameFeatures, 'analysis' | 'frames' | 'nativeFrames' | 'dims' | 'noiseFloorDb' | 'data'>,
): void {
  putFrameFeatures(db, {
    recordingId: recording.id, analysisKey: analysisKeyOf(f.analysis), contentKey: contentKeyOf(recording),
    analysis: { ...f.analysis }, frames: f.frames, nativeFrames: f.nativeFrames, dims: f.dims, noiseFloorDb: f.noiseFloorDb, data: f.data,
  });
}

/** The cached frames of a recording (computeRecordingFeatures first); NOT_FOUND when there are none. */
export function loadRecordingFrames(db: ProjectDb, recording: RecordingRecord): RecordingFrames & { analysis: FrameAnalysis; analysisKey: string } {
  const analysis = frameAnalysisOf(db, recording);
  const analysisKey = analysisKeyOf(analysis);
  const stored = getFrameFeatures(db, recording.id, analysisKey);
  if (!stored || stored.dims !== BASE_DIMS) {
    throw new SonotypeError('NOT_FOUND', `${recording.path} has not been analysed for detection yet: run \`sonotype detect\` first.`);
  }
  return { recordingId: recording.id, analysis, analysisKey, frames: stored.frames, nativeFrames: stored.nativeFrames, base: stored.data };
}

/** The recording's live human (typed or imported, not reference) labels as detection sees them, oldest edit first (later ones win where they overlap), and when they last changed (ms, 0 = never). */
export function humanRangesOf(db: ProjectDb, recordingId: number): { ranges: HumanRange[]; lastChange: number } {
  // People's labels, typed here or imported from another tool; reference labels are truth for evaluation only, never training.
  const all = listLabels(db, recordingId, { includeDeleted: true }).filter((l) => (l.source === 'human' || l.source === 'imported') && !l.reference);
  const live = all.filter((l) => !l.deleted).sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id);
  return {
    ranges: live.map((l) => ({ startSample: l.startSample, endSample: l.endSample, sound: !isSilenceValue(l.value) })),
    // Deleting a label is a change too (its row stays, marked deleted, with a new updated_at).
    lastChange: all.reduce((m, l) => Math.max(m, l.updatedAt), 0),
  };
}
