/**
 * Per-window silence probabilities from a silence model.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';

export interface SilencePrediction {
  windowId: number;
  /** Probability that the window is silence, in [0, 1]. */
  p: number;
}

/** A prediction joined with its window's position in the recording (native samples). */
export interface PlacedSilencePrediction extends SilencePrediction {
  windowIndex: number;
  startNativeSample: number;
  endNativeSample: number;
}

/** Stores (or replaces) predictions of a model, in one transaction. */
export function putSilencePredictions(db: ProjectDb, modelId: number, rows: readonly SilencePrediction[]): void {
  for (const row of rows) {
    if (!(row.p >= 0 && row.p <= 1)) {
      throw new SonotypeError('INVALID_ARGUMENT', `Silence probability for window ${row.windowId} must be between 0 and 1 (got ${row.p}).`);
    }
  }
  db.transaction(() => {
    const insert = db.statement('INSERT OR REPLACE INTO silence_predictions (model_id, window_id, p) VALUES (?, ?, ?)');
    for (const row of rows) insert.run(modelId, row.windowId, row.p);
  });
}

/** Predictions of a model for one recording, in window order. */
export function listSilencePredictions(db: ProjectDb, modelId: number, recordingId: number): PlacedSilencePrediction[] {
  const rows = db
    .statement(
      `SELECT s.window_id, s.p, w.window_index, w.start_native_sample, w.end_native_sample
       FROM silence_predictions s JOIN windows w ON w.id = s.window_id
       WHERE s.model_id = ? AND w.recording_id = ? ORDER BY w.window_index`,
    )
    .all(modelId, recordingId) as { window_id: number; p: number; window_index: number; start_native_sample: number; end_native_sample: number }[];
  return rows.map((r) => ({
    windowId: r.window_id, p: r.p, windowIndex: r.window_index,
    startNativeSample: r.start_native_sample, endNativeSample: r.end_native_sample,
  }));
}
