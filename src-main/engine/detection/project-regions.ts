/**
 * Regions of a recording from a head's stored window predictions, stored
 * with the parameters that produced them; and reading them back.
 */
import type { ProjectDb } from '../store/database';
import { listSilencePredictions } from '../store/predictions';
import { listRegions, replaceRegions } from '../store/regions';
import type { RecordingRecord } from '../store/recordings';
import type { StoredWindow } from '../store/windows';
import { deriveRegions, type Region, type RegionParams, type WindowProbability } from './regions';

/** What is stored as a region's source_params: the region settings plus the head they came from. */
export interface RegionSourceParams extends RegionParams {
  headModelId: number;
}

/**
 * Length of a recording in native samples as the decoder delivered it: the
 * end of its last window (windows always reach the end of the file), else
 * the scanned frame count.
 */
export function deliveredFrames(recording: RecordingRecord, windows: readonly StoredWindow[]): number {
  return windows.length ? windows[windows.length - 1].endNativeSample : (recording.frames ?? 0);
}

/**
 * Derives the regions of one recording (`nativeFrames` long) from head
 * `headId`'s window probabilities — given, or else read from its stored
 * predictions — and stores them with their parameters.
 */
export function deriveAndStoreRegions(
  db: ProjectDb,
  headId: number,
  recording: RecordingRecord,
  nativeFrames: number,
  params: RegionParams,
  probabilities?: readonly WindowProbability[],
): Region[] {
  const windows =
    probabilities ??
    listSilencePredictions(db, headId, recording.id).map((p) => ({
      span: { startNativeSample: p.startNativeSample, endNativeSample: p.endNativeSample },
      pSilence: p.p,
    }));
  const regions = deriveRegions(windows, nativeFrames, recording.sampleRate ?? 1, params);
  const sourceParams: RegionSourceParams = { ...params, headModelId: headId };
  replaceRegions(
    db,
    { recordingId: recording.id, modelId: headId, sourceParams: { ...sourceParams } },
    regions.map((r) => ({ kind: r.kind, startSample: r.startSample, endSample: r.endSample, p: r.pSilence })),
  );
  return regions;
}

/** The stored regions of a recording from head `headId`, or null when none are stored or they were made with other parameters. */
export function storedRegions(db: ProjectDb, headId: number, recording: RecordingRecord, params?: RegionParams): Region[] | null {
  const rows = listRegions(db, recording.id, { modelId: headId });
  if (rows.length === 0) return null;
  if (params && !sameParams(rows[0].sourceParams, params)) return null;
  const rate = recording.sampleRate ?? 1;
  return rows.map((r) => ({
    kind: r.kind,
    startSample: r.startSample,
    endSample: r.endSample,
    startSeconds: r.startSample / rate,
    endSeconds: r.endSample / rate,
    pSilence: r.p ?? Number.NaN,
  }));
}

function sameParams(stored: Record<string, unknown>, params: RegionParams): boolean {
  return (Object.keys(params) as (keyof RegionParams)[]).every((k) => stored[k] === params[k]);
}
