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
import type { ProjectDb } from './database';

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
 * WITH-clause defining `newest_regions` (the regions of each recording's
 * newest detection) and `overlaps` (for each of those regions under a human
 * label: the samples covered, and its length). Coverage is computed from the
 * human side — people label far fewer ranges than detection writes regions —
 * so it costs little even with 100 000 regions.
 * `oneRecording` restricts everything to the recording bound as `@rid`, so the
 * per-recording queries use the recording indexes instead of scanning.
 */
function reviewCte(oneRecording: boolean): string {
  const regionFilter = oneRecording ? 'WHERE recording_id = @rid' : '';
  const labelFilter = oneRecording ? 'AND recording_id = @rid' : '';
  // SQLite returns the bare column model_id from the row holding MAX(created_at).
  return `
  WITH newest_source AS (
    SELECT recording_id, model_id, MAX(created_at) AS created_at FROM regions ${regionFilter} GROUP BY recording_id
  ),
  newest_regions AS (
    SELECT r.id, r.recording_id, r.kind, r.start_sample, r.end_sample, r.p
    FROM newest_source n JOIN regions r ON r.recording_id = n.recording_id AND r.model_id IS n.model_id
  ),
  human_ordered AS (
    SELECT recording_id, start_sample AS s, end_sample AS e,
      MAX(end_sample) OVER (PARTITION BY recording_id ORDER BY start_sample, end_sample
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM labels WHERE source IN ('human', 'imported') AND reference = 0 AND deleted = 0 ${labelFilter}
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
  longest AS (
    SELECT recording_id, MAX(end_sample - start_sample) AS len FROM regions ${regionFilter} GROUP BY recording_id
  ),
  -- From each human range to the regions it overlaps, through the (recording_id, start_sample)
  -- index: a region starting at or before s − longest ends at or before s, so the scan is bounded.
  overlaps AS (
    SELECT r.id AS region_id, r.recording_id, r.end_sample - r.start_sample AS len,
      SUM(MIN(c.e, r.end_sample) - MAX(c.s, r.start_sample)) AS covered
    FROM human_cover c
    JOIN longest m ON m.recording_id = c.recording_id
    JOIN regions r ON r.recording_id = c.recording_id AND r.start_sample < c.e AND r.start_sample > c.s - m.len AND r.end_sample > c.s
    JOIN newest_source n ON n.recording_id = r.recording_id AND r.model_id IS n.model_id
    GROUP BY r.id
  ),
  reviewed AS (
    SELECT region_id, recording_id FROM overlaps WHERE covered * 2 > len
  )`;
}

/** Regions of one recording's newest detection, in time order, with their human coverage. */
export function reviewedRegionsOf(db: ProjectDb, recordingId: number): ReviewedRegionRow[] {
  return db
    .statement(
      `${reviewCte(true)}
       SELECT nr.*, COALESCE(o.covered, 0) AS covered
       FROM newest_regions nr LEFT JOIN overlaps o ON o.region_id = nr.id
       ORDER BY nr.start_sample, nr.id`,
    )
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
       SELECT t.recording_id AS recordingId, t.regionCount, t.silenceSamples, COALESCE(v.n, 0) AS reviewedCount
       FROM (
         SELECT recording_id, COUNT(*) AS regionCount,
           SUM(CASE WHEN kind = 'silence' THEN end_sample - start_sample ELSE 0 END) AS silenceSamples
         FROM newest_regions GROUP BY recording_id
       ) t
       LEFT JOIN (SELECT recording_id, COUNT(*) AS n FROM reviewed GROUP BY recording_id) v ON v.recording_id = t.recording_id`,
    )
    .all() as RecordingRegionTotals[];
  return new Map(rows.map((r) => [r.recordingId, r]));
}

export interface UncertainRegionRow extends ReviewedRegionRow {
  path: string;
  sample_rate: number | null;
  certainty: number;
  /** Unreviewed regions in the whole project (recordings present on disk). */
  remaining: number;
}

/**
 * The next region to review. The queue is every unreviewed region of the
 * newest detection ordered by certainty |p − 0.5|·2 ascending (no probability
 * counts as 0: nothing vouches for it), then recording path, start sample, id.
 * Without `after` it is the head of the queue. With `after` (the region the
 * researcher is on) it is the first region *past* that one in queue order,
 * wrapping around at the end — so "next" skips a region without deciding it,
 * and after a decision (the region leaves the queue) it continues from there.
 * Missing recordings are skipped.
 */
export function mostUncertainRegion(db: ProjectDb, after: { path: string; sample: number } | null): UncertainRegionRow | undefined {
  const row = db
    .statement(
      `${reviewCte(false)}
       , here AS (
         SELECT COALESCE(ABS(nr.p - 0.5) * 2, 0) AS c
         FROM newest_regions nr JOIN recordings rec ON rec.id = nr.recording_id
         WHERE rec.rel_path = @afterPath AND nr.start_sample <= @afterSample AND nr.end_sample > @afterSample
         LIMIT 1
       )
       SELECT nr.*, 0 AS covered, rec.rel_path AS path, rec.sample_rate, COALESCE(ABS(nr.p - 0.5) * 2, 0) AS certainty
       FROM newest_regions nr JOIN recordings rec ON rec.id = nr.recording_id
       WHERE rec.missing = 0 AND nr.id NOT IN (SELECT region_id FROM reviewed)
       ORDER BY
         CASE WHEN @afterPath IS NULL THEN 0
              WHEN COALESCE(ABS(nr.p - 0.5) * 2, 0) > COALESCE((SELECT c FROM here), -1) THEN 0
              WHEN COALESCE(ABS(nr.p - 0.5) * 2, 0) = COALESCE((SELECT c FROM here), -1)
                   AND (rec.rel_path > @afterPath OR (rec.rel_path = @afterPath AND nr.start_sample > @afterSample)) THEN 0
              ELSE 1 END,
         certainty, rec.rel_path, nr.start_sample, nr.id
       LIMIT 1`,
    )
    .get({ afterPath: after?.path ?? null, afterSample: after?.sample ?? 0 }) as Omit<UncertainRegionRow, 'remaining'> | undefined;
  if (!row) return undefined;
  const { remaining } = db
    .statement(
      `${reviewCte(false)}
       SELECT (SELECT COUNT(*) FROM newest_regions nr JOIN recordings rec ON rec.id = nr.recording_id WHERE rec.missing = 0)
            - (SELECT COUNT(*) FROM reviewed v JOIN recordings rec ON rec.id = v.recording_id WHERE rec.missing = 0) AS remaining`,
    )
    .get() as { remaining: number };
  return { ...row, remaining };
}
