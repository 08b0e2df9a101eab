/**
 * Regions from a head's cached frame probabilities plus the recording's human
 * labels (which always win, frame by frame). No model runs here, so a
 * correction, an undo, a head switch or a settings change redraws a
 * recording's regions in milliseconds.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from '../store/database';
import { frameFeaturesInfo, getFrameProbabilities } from '../store/frame-data';
import { getRecording, type RecordingRecord } from '../store/recordings';
import { listRegions, replaceRegionsIfChanged } from '../store/regions';
import { activeHead } from './detection-heads';
import { regionSourceParamsOf } from '../store/regions';
import { applyHumanTargets, humanFrameTargets } from './frames/frame-labels';
import { deriveFrameRegions, resolveFrameRegionParams, DEFAULT_FRAME_REGION_PARAMS, type FrameRegionParams } from './frames/frame-regions';
import type { FrameAnalysis } from './frames/frame-analysis';
import { analysisKeyOf, frameAnalysisOf, humanRangesOf } from './recording-frames';
import type { Region } from './regions';

/** What is stored as a region's source_params: the region settings, the head and the frame analysis. */
export interface FrameRegionSource extends FrameRegionParams {
  headModelId: number;
  analysisKey: string;
  /** When the human labels the regions include last changed (ms). */
  labelsChangedAt: number;
}

/** Region settings to use: explicit ones over those stored with `headId`'s regions over the defaults. */
export function frameRegionParamsFor(db: ProjectDb, headId: number | null, explicit: Partial<FrameRegionParams> = {}): FrameRegionParams {
  const stored = headId === null ? null : regionSourceParamsOf(db, headId);
  const inherited: Partial<FrameRegionParams> = {};
  if (stored && stored.version === 2) {
    for (const key of Object.keys(DEFAULT_FRAME_REGION_PARAMS) as (keyof FrameRegionParams)[]) {
      if (key !== 'version' && typeof stored[key] === 'number') (inherited as Record<string, number>)[key] = stored[key] as number;
    }
  }
  return resolveFrameRegionParams({ ...inherited, ...explicit });
}

/**
 * Regions of one recording from probabilities (given, in frame order) and its
 * human labels; stored with their source (rows kept in place when nothing
 * moved: `changed` says whether any did).
 */
export function deriveAndStoreFrameRegions(
  db: ProjectDb,
  headId: number,
  recording: RecordingRecord,
  frames: { analysis: FrameAnalysis; analysisKey: string; nativeFrames: number },
  pSilence: Float32Array,
  params: FrameRegionParams,
): { regions: Region[]; changed: boolean } {
  const human = humanRangesOf(db, recording.id);
  const targets = humanFrameTargets(human.ranges, frames.analysis, pSilence.length, frames.nativeFrames);
  const regions = deriveFrameRegions(applyHumanTargets(pSilence, targets), frames.analysis, frames.nativeFrames, params, targets);
  const source: FrameRegionSource = { ...params, headModelId: headId, analysisKey: frames.analysisKey, labelsChangedAt: human.lastChange };
  const changed = replaceRegionsIfChanged(
    db,
    { recordingId: recording.id, modelId: headId, sourceParams: { ...source } },
    regions.map((r) => ({ kind: r.kind, startSample: r.startSample, endSample: r.endSample, p: r.pSilence })),
  );
  return { regions, changed };
}

/** The stored regions of a recording when they are current for head, params, analysis and human labels; else null. */
export function currentStoredRegions(db: ProjectDb, headId: number, recording: RecordingRecord, params: FrameRegionParams, analysisKey: string): Region[] | null {
  const rows = listRegions(db, recording.id, { modelId: headId });
  if (rows.length === 0) return null;
  const s = rows[0].sourceParams as Partial<FrameRegionSource>;
  const same = (Object.keys(params) as (keyof FrameRegionParams)[]).every((k) => s[k] === params[k]);
  if (!same || s.analysisKey !== analysisKey || s.labelsChangedAt !== humanRangesOf(db, recording.id).lastChange) return null;
  const rate = recording.sampleRate ?? 1;
  return rows.map((r) => ({
    kind: r.kind, startSample: r.startSample, endSample: r.endSample,
    startSeconds: r.startSample / rate, endSeconds: r.endSample / rate, pSilence: r.p ?? Number.NaN,
  }));
}

/**
 * Re-derives one recording's regions from the active head's cached
 * probabilities and its current human labels (after a label edit, an undo,
 * or a settings change). Returns null when the recording has no detection
 * yet (nothing to refresh); `changed` says whether any region moved.
 */
export function refreshRecordingRegions(
  db: ProjectDb,
  recordingId: number,
  explicit: Partial<FrameRegionParams> = {},
): { regions: Region[]; changed: boolean } | null {
  const recording = getRecording(db, recordingId);
  if (!recording) throw new SonotypeError('NOT_FOUND', `No recording with id ${recordingId} in this project.`);
  const head = activeHead(db);
  if (!head || recording.status !== 'ok') return null;
  const analysis = frameAnalysisOf(db, recording);
  const analysisKey = analysisKeyOf(analysis);
  const info = frameFeaturesInfo(db, recordingId, analysisKey);
  const p = getFrameProbabilities(db, head.id, recordingId, analysisKey);
  if (!info || !p || p.length !== info.frames) return null;
  return deriveAndStoreFrameRegions(db, head.id, recording, { analysis, analysisKey, nativeFrames: info.nativeFrames }, p, frameRegionParamsFor(db, head.id, explicit));
}

/**
 * The regions a recording would get under other region settings (active
 * head's cached probabilities, human labels applied), without storing them:
 * the live preview of the settings panel. O(frames): a one-hour file is ~720k
 * frames. NOT_FOUND when the recording has no detection yet.
 */
export function previewRecordingRegions(db: ProjectDb, recordingId: number, settings: Partial<FrameRegionParams>): Region[] {
  const recording = getRecording(db, recordingId);
  if (!recording) throw new SonotypeError('NOT_FOUND', `No recording with id ${recordingId} in this project.`);
  const head = activeHead(db);
  const analysis = recording.status === 'ok' ? frameAnalysisOf(db, recording) : null;
  const analysisKey = analysis ? analysisKeyOf(analysis) : '';
  const info = analysis ? frameFeaturesInfo(db, recordingId, analysisKey) : null;
  const p = head && info ? getFrameProbabilities(db, head.id, recordingId, analysisKey) : null;
  if (!analysis || !info || !p || p.length !== info.frames) {
    throw new SonotypeError('NOT_FOUND', `${recording.path} has no detection to preview yet: run detection first.`);
  }
  const targets = humanFrameTargets(humanRangesOf(db, recordingId).ranges, analysis, p.length, info.nativeFrames);
  return deriveFrameRegions(applyHumanTargets(p, targets), analysis, info.nativeFrames, frameRegionParamsFor(db, head!.id, settings), targets);
}
