/**
 * What clustering reads from the project: the sound regions of each
 * recording's newest detection (the same definition the review view uses:
 * the regions written last for that recording, by whichever model or
 * heuristic wrote them).
 */
import type { ProjectDb } from './database';

export interface SoundRegionRow {
  recordingId: number;
  startSample: number;
  endSample: number;
  /** Mean p(silence) of the region, when the detector gave one. */
  p: number | null;
}

/** Sound regions of every recording's newest detection, by recording and time. */
export function newestSoundRegions(db: ProjectDb): SoundRegionRow[] {
  return db
    .statement(
      `WITH newest_source AS (
         SELECT recording_id, model_id, MAX(created_at) AS created_at FROM regions GROUP BY recording_id
       )
       SELECT r.recording_id AS recordingId, r.start_sample AS startSample, r.end_sample AS endSample, r.p AS p
       FROM newest_source n JOIN regions r ON r.recording_id = n.recording_id AND r.model_id IS n.model_id
       WHERE r.kind = 'sound'
       ORDER BY r.recording_id, r.start_sample`,
    )
    .all() as SoundRegionRow[];
}
