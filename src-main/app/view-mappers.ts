/**
 * Store rows → the contract's view objects (LabelView, RegionView): seconds
 * derived from the recording's native sample rate; sample positions stay exact.
 */
import type { LabelView, RegionView } from '../../src-shared/review-types';
import type { StoredLabel } from '../engine/store/labels';
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
