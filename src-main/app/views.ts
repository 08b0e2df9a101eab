/**
 * Store rows → the shapes the UI sees (seconds derived from the recording's
 * native sample rate; sample positions stay exact).
 */
import type { LabelView, RegionView } from '../../src-shared/review-types';
import { SonotypeError } from '../../src-shared/errors';
import type { ProjectDb } from '../engine/store/database';
import { getRecording, type RecordingRecord } from '../engine/store/recordings';
import { getLabel, type StoredLabel } from '../engine/store/labels';
import type { ReviewedRegionRow } from '../engine/store/review-queries';

/** Seconds of a native sample position; 0 when the rate is unknown (a recording that failed to scan). */
function seconds(sample: number, sampleRate: number | null): number {
  return sampleRate ? sample / sampleRate : 0;
}

export function toLabelView(label: StoredLabel, sampleRate: number | null): LabelView {
  return {
    id: label.id,
    recordingId: label.recordingId,
    startSample: label.startSample,
    endSample: label.endSample,
    startSeconds: seconds(label.startSample, sampleRate),
    endSeconds: seconds(label.endSample, sampleRate),
    value: label.value,
    source: label.source,
    sourceTable: label.sourceTable,
    reference: label.reference,
    lowHz: label.lowHz,
    highHz: label.highHz,
    annotation: label.annotation,
    soundType: label.soundType,
    confidence: label.confidence,
    author: label.author,
    updatedAt: label.updatedAt,
  };
}

export function toRegionView(row: ReviewedRegionRow, sampleRate: number | null): RegionView {
  return {
    id: row.id,
    recordingId: row.recording_id,
    kind: row.kind,
    startSample: row.start_sample,
    endSample: row.end_sample,
    startSeconds: seconds(row.start_sample, sampleRate),
    endSeconds: seconds(row.end_sample, sampleRate),
    pSilence: row.p,
    reviewed: row.covered * 2 > row.end_sample - row.start_sample,
  };
}

/** The recording with this id, or NOT_FOUND with a readable message. */
export function requireRecordingRecord(db: ProjectDb, recordingId: number): RecordingRecord {
  const recording = getRecording(db, recordingId);
  if (!recording) throw new SonotypeError('NOT_FOUND', `No recording with id ${recordingId} in this project.`);
  return recording;
}

/** A live (not deleted) label, or NOT_FOUND. */
export function requireLiveLabel(db: ProjectDb, labelId: number): StoredLabel {
  const label = getLabel(db, labelId);
  if (!label || label.deleted) throw new SonotypeError('NOT_FOUND', `Label ${labelId} does not exist (it may have been deleted).`);
  return label;
}
