/**
 * Read queries behind the review UI: the regions of each recording's newest
 * detection, whether people have reviewed them, per-recording totals for the
 * recordings table, and the next most uncertain region. Each is one SQL
 * statement, so projects with 100 000 regions answer in milliseconds without
 * a JavaScript loop over every region.
 *
 * Definitions (shared by every query, so the table, the review view and the
 * queue agree):
 * - Newest detection of a recording: the regions written by the model (or
 *   heuristic, model_id NULL) whose regions for that recording were written
 *   last (created_at, then id). Older detections by other models are ignored.
 * - Reviewed: human labels (live ones, overlapping each other or not) cover
 *   more than half of the region's samples. Human labels are first merged
 *   into disjoint ranges so overlaps are not counted twice.
 */
import type { ProjectDb } from '../engine/store/database';

export interface ReviewedRegionRow {
  id: number;
  recording_id: number;
  kind: 'silence' | 'sound';
  start_sample: number;
  end_sample: number;
  p: number | null;
  /** Samples of the region under human labels. */
  covered: number;
}

/**
 * WITH-clause defining `region_review` (the newest regions with `covered`).
 * `oneRecording` restricts everything to the recording bound as `@rid`, so the
 * per-recording queries use the recording indexes instead of scanning.
 */
function reviewCte(oneRecording: boolean): string {
  const regionFilter = oneRecording ? 'WHERE recording_id = @rid' : '';
  const labelFilter = oneRecording ? 'AND recording_id = @rid' : '';
  return `
  WITH newest_source AS (
    SELECT recording_id, model_id FROM (
      SELECT recording_id, model_id,
        ROW_NUMBER() OVER (PARTITION BY recording_id ORDER BY created_at DESC, id DESC) AS rn
      FROM regions ${regionFilter}
    ) WHERE rn = 1
  ),
  newest AS (
    SELECT r.id, r.recording_id, r.kind, r.start_sample, r.end_sample, r.p
    FROM regions r JOIN newest_source n ON n.recording_id = r.recording_id AND r.model_id IS n.model_id
  ),
  human_ordered AS (
    SELECT recording_id, start_sample AS s, end_sample AS e,
      MAX(end_sample) OVER (PARTITION BY recording_id ORDER BY start_sample, end_sample
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM labels WHERE source = 'human' AND deleted = 0 ${labelFilter}
  ),
  human_grouped AS (
    SELECT recording_id, s, e,
      SUM(CASE WHEN prev_end IS NULL OR s > prev_end THEN 1 ELSE 0 END)
        OVER (PARTITION BY recording_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS grp
    FROM human_ordered
  ),
  human_cover AS (
    SELECT recording_id, MIN(s) AS s, MAX(e) AS e FROM human_grouped GROUP BY recording_id, grp
  ),
  region_review AS (
    SELECT n.*, COALESCE((
      SELECT SUM(MIN(c.e, n.end_sample) - MAX(c.s, n.start_sample)) FROM human_cover c
      WHERE c.recording_id = n.recording_id AND c.s < n.end_sample AND c.e > n.start_sample
    ), 0) AS covered
    FROM newest n
  )`;
}

/** SQL condition: the region is not reviewed (human labels cover at most half of it). */
const UNREVIEWED = 'covered * 2 <= end_sample - start_sample';

/** Regions of one recording's newest detection, in time order, with their human coverage. */
export function reviewedRegionsOf(db: ProjectDb, recordingId: number): ReviewedRegionRow[] {
  return db
    .statement(`${reviewCte(true)} SELECT * FROM region_review ORDER BY start_sample, id`)
    .all({ rid: recordingId }) as ReviewedRegionRow[];
}

export interface RecordingRegionTotals {
  recordingId: number;
  regionCount: number;
  reviewedCount: number;
  /** Samples inside silence regions (native rate). */
  silenceSamples: number;
}

/** Per-recording totals of the newest detection (recordings without regions are absent). */
export function regionTotalsByRecording(db: ProjectDb): Map<number, RecordingRegionTotals> {
  const rows = db
    .statement(
      `${reviewCte(false)}
       SELECT recording_id AS recordingId, COUNT(*) AS regionCount,
         SUM(CASE WHEN ${UNREVIEWED} THEN 0 ELSE 1 END) AS reviewedCount,
         SUM(CASE WHEN kind = 'silence' THEN end_sample - start_sample ELSE 0 END) AS silenceSamples
       FROM region_review GROUP BY recording_id`,
    )
    .all() as RecordingRegionTotals[];
  return new Map(rows.map((r) => [r.recordingId, r]));
}

export interface UncertainRegionRow extends ReviewedRegionRow {
  path: string;
  sample_rate: number | null;
  certainty: number;
  /** Unreviewed regions in the whole project. */
  remaining: number;
}

/**
 * The most uncertain unreviewed region of the project, or undefined when none
 * is left. Order: certainty |p − 0.5|·2 ascending (a region without a
 * probability counts as certainty 0: nothing vouches for it); among equal
 * certainties, regions after `after` (by recording path, then start sample,
 * strictly after) come first, so "next" walks forward through ties; then
 * recording path, start sample, id. A region not yet reviewed keeps its rank,
 * so it comes back until a person labels it. Missing recordings are skipped.
 */
export function mostUncertainRegion(db: ProjectDb, after: { path: string; sample: number } | null): UncertainRegionRow | undefined {
  return db
    .statement(
      `${reviewCte(false)},
       pending AS (
         SELECT rr.*, rec.rel_path AS path, rec.sample_rate, COALESCE(ABS(rr.p - 0.5) * 2, 0) AS certainty
         FROM region_review rr JOIN recordings rec ON rec.id = rr.recording_id
         WHERE rec.missing = 0 AND ${UNREVIEWED.replace(/(covered|end_sample|start_sample)/g, 'rr.$1')}
       )
       SELECT *, COUNT(*) OVER () AS remaining FROM pending
       ORDER BY certainty,
         CASE WHEN @afterPath IS NULL THEN 0
              WHEN path > @afterPath OR (path = @afterPath AND start_sample > @afterSample) THEN 0 ELSE 1 END,
         path, start_sample, id
       LIMIT 1`,
    )
    .get({ afterPath: after?.path ?? null, afterSample: after?.sample ?? 0 }) as UncertainRegionRow | undefined;
}
