/**
 * Queries over hand-set sound types (labels with a sound type that count as
 * a person's: human or imported, not reference, not deleted).
 */
import type { ProjectDb } from './database';

const HUMAN_TYPED = "deleted = 0 AND reference = 0 AND source IN ('human', 'imported') AND sound_type IS NOT NULL AND value <> 'silence'";

/** Ids of the live human labels of sound type `type`. */
export function humanLabelIdsOfType(db: ProjectDb, type: string): number[] {
  return (db.statement(`SELECT id FROM labels WHERE ${HUMAN_TYPED} AND sound_type = ? ORDER BY id`).all(type) as { id: number }[]).map((r) => r.id);
}

/** Every hand-set sound type with its number of labels, most frequent first. */
export function humanTypeCounts(db: ProjectDb): { type: string; labels: number }[] {
  return db
    .statement(`SELECT sound_type AS type, count(*) AS labels FROM labels WHERE ${HUMAN_TYPED} GROUP BY sound_type ORDER BY labels DESC, sound_type`)
    .all() as { type: string; labels: number }[];
}
